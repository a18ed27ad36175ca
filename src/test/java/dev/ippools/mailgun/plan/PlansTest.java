package dev.ippools.mailgun.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.plan.Plan.Conflict;
import dev.ippools.mailgun.plan.Plan.Problem;
import dev.ippools.mailgun.plan.Plan.State;
import dev.ippools.mailgun.plan.Plan.Wait;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlansTest {

    private static final String ID = "000000000000000000000a01";

    @Test
    void rendersStepsThenWaitsConflictsProblemsAndNotes() {
        Plan plan = new Plan(
                ID,
                List.of(
                        new MailgunStep.AddPoolIps(ID, List.of("10.0.0.1", "10.0.0.2")),
                        new MailgunStep.RemovePoolIp(ID, "10.0.0.3")),
                List.of(new Wait("mail/b", "IP held"), new Wait(null, "keeping one IP")),
                List.of(new Conflict("IP 10.0.0.4 belongs to mail/c")),
                List.of(new Problem("spec.ips", "bad"), new Problem(null, "feature off")),
                false,
                State.UPDATING,
                List.of("adopted"));
        assertThat(Plans.lines(plan))
                .containsExactly(
                        "POST /v3/ip_pools/" + ID + "/ips.json ips=[10.0.0.1, 10.0.0.2]",
                        "DELETE /v3/ip_pools/" + ID + "/ips/10.0.0.3",
                        "wait for mail/b: IP held",
                        "wait: keeping one IP",
                        "conflict: IP 10.0.0.4 belongs to mail/c",
                        "invalid spec.ips: bad",
                        "invalid: feature off",
                        "note: adopted");
    }

    @Test
    void relinkingShownWhenNoNoteExplainsIt() {
        Plan bare = new Plan(ID, List.of(), List.of(), List.of(), List.of(), true, State.RELINKING);
        assertThat(Plans.lines(bare)).containsExactly("relinking: Mailgun is still updating linked domains");
        assertThat(bare.notes()).isEmpty();
        assertThat(bare.isNoop()).isTrue();
    }

    @Test
    void messagePicksTheMostImportantKind() {
        Plan invalid = new Plan(
                null,
                List.of(),
                List.of(new Wait(null, "w")),
                List.of(new Conflict("c")),
                List.of(new Problem("spec.ips", "bad"), new Problem(null, "off")),
                false,
                State.INVALID);
        assertThat(Plans.message(invalid)).isEqualTo("spec.ips: bad; off");
        Plan conflict = new Plan(
                null,
                List.of(),
                List.of(new Wait(null, "w")),
                List.of(new Conflict("c1"), new Conflict("c2")),
                List.of(),
                false,
                State.CONFLICT);
        assertThat(Plans.message(conflict)).isEqualTo("c1; c2");
        Plan waiting =
                new Plan(null, List.of(), List.of(new Wait("x", "w")), List.of(), List.of(), false, State.WAITING);
        assertThat(Plans.message(waiting)).isEqualTo("w");
        Plan updating = new Plan(
                ID,
                List.of(new MailgunStep.DeletePool(ID, null, null)),
                List.of(),
                List.of(),
                List.of(),
                false,
                State.DELETING);
        assertThat(Plans.message(updating)).isEqualTo("1 Mailgun call planned");
        Plan quiet =
                new Plan(ID, List.of(), List.of(), List.of(), List.of(), false, State.AVAILABLE, List.of("adopted"));
        assertThat(Plans.message(quiet)).isEqualTo("adopted");
    }
}
