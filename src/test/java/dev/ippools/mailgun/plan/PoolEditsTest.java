package dev.ippools.mailgun.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.plan.MailgunStep.AddPoolIps;
import dev.ippools.mailgun.plan.MailgunStep.CreatePool;
import dev.ippools.mailgun.plan.MailgunStep.DelegatePool;
import dev.ippools.mailgun.plan.MailgunStep.EditPool;
import dev.ippools.mailgun.plan.MailgunStep.RemovePoolIp;
import dev.ippools.mailgun.plan.MailgunStep.UpdatePool;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolEditsTest {

    private static final String P = "658041ae44842b99ee2eaa1b";
    private static final String Q = "658041ae44842b99ee2eaa1c";

    @Test
    void consecutiveEditsOfOnePoolBecomeOnePatch() {
        List<MailgunStep> steps = List.of(
                new UpdatePool(P, null, "d2"),
                new AddPoolIps(P, List.of("10.0.0.3", "10.0.0.4")),
                new RemovePoolIp(P, "10.0.0.1"),
                new RemovePoolIp(P, "10.0.0.2"),
                new DelegatePool(P, "sub"));

        List<MailgunStep> merged = PoolEdits.merged(steps);

        assertThat(merged)
                .containsExactly(
                        new EditPool(P, null, "d2", List.of("10.0.0.3", "10.0.0.4"), List.of("10.0.0.1", "10.0.0.2")),
                        new DelegatePool(P, "sub"));
        assertThat(merged.get(0).describe())
                .isEqualTo("PATCH /v3/ip_pools/" + P
                        + " description=d2 add_ip=[10.0.0.3, 10.0.0.4] remove_ip=[10.0.0.1, 10.0.0.2]");
    }

    @Test
    void addsAloneLoneEditsAndOtherPoolsStayAsTheyAre() {
        List<MailgunStep> adds = List.of(new AddPoolIps(P, List.of("10.0.0.3", "10.0.0.4")));
        assertThat(PoolEdits.merged(adds)).isEqualTo(adds);
        List<MailgunStep> mixed = List.of(
                new CreatePool("n", "d", List.of("10.0.0.1")),
                new RemovePoolIp(P, "10.0.0.1"),
                new RemovePoolIp(Q, "10.0.0.2"),
                new UpdatePool(Q, "q", null));
        assertThat(PoolEdits.merged(mixed))
                .containsExactly(
                        mixed.get(0), mixed.get(1), new EditPool(Q, "q", null, List.of(), List.of("10.0.0.2")));
    }
}
