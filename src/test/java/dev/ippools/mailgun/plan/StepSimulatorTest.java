package dev.ippools.mailgun.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.plan.ObservedAccount.ObservedDomain;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StepSimulatorTest {

    private static final String A = "a";
    private static final String B = "b";
    private static final String NEW = "new";

    /** Pool a holds .1 and .2 and is linked to news.example; pool b holds .3; shop uses .4. */
    private static ObservedAccount account() {
        return new ObservedAccount(
                Map.of(
                        A, new ObservedPool(A, "a", "d", Set.of("10.0.0.1", "10.0.0.2"), false, true, null),
                        B, new ObservedPool(B, "b", "d", Set.of("10.0.0.3"), false, false, null)),
                Map.of(),
                true,
                Map.of(A, Set.of("sub1")),
                Map.of(
                        "news.example", new ObservedDomain("news.example", Set.of("10.0.0.1", "10.0.0.2"), A),
                        "shop.example", new ObservedDomain("shop.example", Set.of("10.0.0.4"), null)));
    }

    private static StepSimulator.Result run(MailgunStep... steps) {
        return StepSimulator.apply(account(), List.of(steps), c -> NEW);
    }

    @Test
    void createAddsAPoolUnderTheGivenId() {
        var r = run(new MailgunStep.CreatePool("n", "desc", List.of("10.0.0.9")));
        assertThat(r.violations()).isEmpty();
        assertThat(r.account().pools().get(NEW).ips()).containsExactly("10.0.0.9");
        assertThat(r.account().pools().get(NEW).name()).isEqualTo("n");
    }

    @Test
    void linkedDomainsFollowTheirPoolsIpsOnceSettled() {
        var r = run(new MailgunStep.AddPoolIps(A, List.of("10.0.0.5")), new MailgunStep.RemovePoolIp(A, "10.0.0.1"));
        assertThat(r.violations()).isEmpty();
        assertThat(r.account().domains().get("news.example").ips()).containsExactlyInAnyOrder("10.0.0.2", "10.0.0.5");
    }

    @Test
    void deletingALinkedPoolMovesItsDomainsToTheReplacement() {
        var toPool = run(new MailgunStep.DeletePool(A, null, B));
        assertThat(toPool.violations()).isEmpty();
        assertThat(toPool.account().pools()).doesNotContainKey(A);
        assertThat(toPool.account().delegations()).doesNotContainKey(A);
        assertThat(toPool.account().domains().get("news.example"))
                .isEqualTo(new ObservedDomain("news.example", Set.of("10.0.0.3"), B));

        var toIp = run(new MailgunStep.DeletePool(A, "10.0.0.7", null));
        assertThat(toIp.account().domains().get("news.example"))
                .isEqualTo(new ObservedDomain("news.example", Set.of("10.0.0.7"), null));
    }

    @Test
    void domainStepsLinkUnlinkAndEditExplicitIps() {
        var r = run(
                new MailgunStep.LinkDomainPool("shop.example", B),
                new MailgunStep.UnlinkDomainPool("news.example", "10.0.0.8", null),
                new MailgunStep.AssignDomainIp("news.example", "10.0.0.9"),
                new MailgunStep.RemoveDomainIp("news.example", "10.0.0.8"));
        assertThat(r.violations()).isEmpty();
        assertThat(r.account().domains().get("shop.example"))
                .isEqualTo(new ObservedDomain("shop.example", Set.of("10.0.0.3"), B));
        assertThat(r.account().domains().get("news.example"))
                .isEqualTo(new ObservedDomain("news.example", Set.of("10.0.0.9"), null));
    }

    @Test
    void delegationsAreAddedAndRevoked() {
        var r = run(new MailgunStep.DelegatePool(B, "sub2"), new MailgunStep.RevokePoolDelegation(A, "sub1"));
        assertThat(r.account().delegations().get(B)).containsExactly("sub2");
        assertThat(r.account().delegations().get(A)).isEmpty();
    }

    @Test
    void stepsMailgunWouldRejectChangeNothingAndAreReported() {
        var r = run(
                new MailgunStep.AddPoolIps(B, List.of("10.0.0.1")),
                new MailgunStep.RemovePoolIp(B, "10.0.0.9"),
                new MailgunStep.UpdatePool("missing", "x", null),
                new MailgunStep.DeletePool(A, null, null),
                new MailgunStep.AssignDomainIp("news.example", "10.0.0.9"),
                new MailgunStep.UnlinkDomainPool("shop.example", "10.0.0.1", null),
                new MailgunStep.RemoveDomainIp("shop.example", "10.0.0.4"),
                new MailgunStep.LinkDomainPool("nope.example", A));
        assertThat(r.violations()).hasSize(8);
        assertThat(r.violations().get(0)).contains("10.0.0.1 is in pool a");
        assertThat(r.violations().get(3)).contains("a linked pool needs a replacement");
        assertThat(r.account())
                .isEqualTo(StepSimulator.apply(account(), List.of(), c -> NEW).account());
    }

    @Test
    void theLastIpOfALinkedPoolStays() {
        var r = run(new MailgunStep.RemovePoolIp(A, "10.0.0.1"), new MailgunStep.RemovePoolIp(A, "10.0.0.2"));
        assertThat(r.violations()).singleElement().asString().contains("a linked pool keeps at least one IP");
        assertThat(r.account().pools().get(A).ips()).containsExactly("10.0.0.2");
    }
}
