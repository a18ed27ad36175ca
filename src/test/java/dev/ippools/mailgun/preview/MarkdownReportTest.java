package dev.ippools.mailgun.preview;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.plan.Plan;
import dev.ippools.mailgun.plan.ResourceKey;
import dev.ippools.mailgun.preview.ResourcePlan.Action;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MarkdownReportTest {

    private static ResourcePlan resource(String name, Plan plan, Action action, String account) {
        return new ResourcePlan(
                "IpPool",
                new ResourceKey("mail", name),
                "pools.yaml#1",
                plan,
                action,
                account,
                action == Action.DELETE ? "blocked: waits" : null);
    }

    @Test
    void everyKindOfProblemGetsARowAndTablesGoPerAccount() {
        Plan waiting = new Plan(
                null,
                List.of(),
                List.of(new Plan.Wait("mail/a", "IP x | y is held")),
                List.of(),
                List.of(),
                false,
                Plan.State.WAITING);
        Plan conflict = new Plan(
                null, List.of(), List.of(), List.of(new Plan.Conflict("taken")), List.of(), false, Plan.State.CONFLICT);
        Plan invalid = new Plan(
                null,
                List.of(),
                List.of(),
                List.of(),
                List.of(new Plan.Problem("spec.ips[0]", "not an IP")),
                false,
                Plan.State.INVALID);
        Plan blocked = new Plan(
                "p1",
                List.of(),
                List.of(new Plan.Wait(null, "set a replacement")),
                List.of(),
                List.of(),
                false,
                Plan.State.DELETION_BLOCKED);
        PreviewReport report = new PreviewReport(
                List.of(
                        resource("w", waiting, Action.CREATE, "one"),
                        resource("c", conflict, Action.NO_OP, "one"),
                        resource("i", invalid, Action.UPDATE, "two"),
                        resource("b", blocked, Action.DELETE, "two")),
                List.of(),
                Map.of(),
                true);

        String md = MarkdownReport.render(report);

        assertThat(md)
                .contains(
                        "#### Account one\n\n| Resource | Action | Mailgun calls | Result |\n|---|---|---|---|\n"
                                + "| IpPool `mail/w` | create | — | Waiting |\n"
                                + "| IpPool `mail/c` | no-op | — | Conflict |\n\n#### Account two",
                        "| IpPool `mail/b` | delete | — | blocked: waits |",
                        "| IpPool `mail/w` | Waiting | IP x \\| y is held |\n"
                                + "| IpPool `mail/c` | Conflict | taken |\n"
                                + "| IpPool `mail/i` | Invalid | spec.ips[0]: not an IP |\n"
                                + "| IpPool `mail/b` | DeletionBlocked | set a replacement |\n",
                        "· 4 problems · the operator would not converge");
    }
}
