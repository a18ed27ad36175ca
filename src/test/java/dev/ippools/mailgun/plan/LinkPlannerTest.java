package dev.ippools.mailgun.plan;

import static dev.ippools.mailgun.plan.Fixtures.DOMAIN;
import static dev.ippools.mailgun.plan.Fixtures.IP1;
import static dev.ippools.mailgun.plan.Fixtures.IP3;
import static dev.ippools.mailgun.plan.Fixtures.IP4;
import static dev.ippools.mailgun.plan.Fixtures.POOL_A;
import static dev.ippools.mailgun.plan.Fixtures.POOL_B;
import static dev.ippools.mailgun.plan.Fixtures.account;
import static dev.ippools.mailgun.plan.Fixtures.ctx;
import static dev.ippools.mailgun.plan.Fixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.plan.DesiredBinding.Target;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The link planner: which pool a batched link goes to, what a binding reports while its link is
 * queued, accepted or refused, and which other bindings a queued link waits for.
 */
class LinkPlannerTest {

    private static final List<DesiredPool> POOLS = List.of(
            pool("a").recorded(POOL_A).ips(IP1).build(),
            pool("b").recorded(POOL_B).ips(IP3).build());

    private static PlanningContext notLinkedYet(DesiredBinding... bindings) {
        return ctx(
                account().owned(POOL_A, "a", IP1).owned(POOL_B, "b", IP3).domain(DOMAIN, null, IP4),
                POOLS,
                List.of(bindings));
    }

    @Test
    void aDomainNotLinkedQueuesTheLinkAndReportsItWaitingForTheBatch() {
        DesiredBinding web = Fixtures.binding("web").poolRef("a").build();
        DesiredBinding sibling =
                Fixtures.binding("api").domain("api.example.com").poolRef("a").build();

        LinkPlanner.Decision d = LinkPlanner.link(web, notLinkedYet(web, sibling), LinkStanding.NOT_LINKED, true);

        LinkPlanner.Decision.Queue queue = (LinkPlanner.Decision.Queue) d;
        assertThat(queue.link()).isEqualTo(new MailgunStep.LinkDomainPool(DOMAIN, POOL_A));
        assertThat(queue.plan().steps()).containsExactly(queue.link());
        assertThat(queue.queued().state()).isEqualTo(Plan.State.WAITING);
        assertThat(queue.queued().steps()).isEmpty();
        assertThat(queue.siblings()).containsExactly(sibling);
    }

    @Test
    void aDomainMailgunDoesNotListIsReportedWithoutAWrite() {
        DesiredBinding web = Fixtures.binding("web").poolRef("a").build();
        PlanningContext noDomain = ctx(account().owned(POOL_A, "a", IP1), POOLS, List.of(web));

        LinkPlanner.Decision d = LinkPlanner.link(web, noDomain, LinkStanding.DOMAIN_MISSING, false);

        assertThat(((LinkPlanner.Decision.Report) d).plan().steps()).isEmpty();
    }

    @Test
    void aLinkInTheBatchIsNotQueuedAgain() {
        DesiredBinding web = Fixtures.binding("web").poolRef("a").build();

        LinkPlanner.Decision queued = LinkPlanner.link(web, notLinkedYet(web), LinkStanding.QUEUED, true);
        LinkPlanner.Decision accepted = LinkPlanner.link(web, notLinkedYet(web), LinkStanding.ACCEPTED, true);

        assertThat(((LinkPlanner.Decision.Report) queued).plan().state()).isEqualTo(Plan.State.WAITING);
        Plan moving = ((LinkPlanner.Decision.Report) accepted).plan();
        assertThat(moving.state()).isEqualTo(Plan.State.RELINKING);
        assertThat(moving.relinking()).isTrue();
    }

    @Test
    void aRefusedPartIsReportedAsTheRefusedLinkAndAFailedOneIsRetried() {
        DesiredBinding web = Fixtures.binding("web").poolId(POOL_B).build();

        LinkPlanner.Decision refused = LinkPlanner.link(web, notLinkedYet(web), LinkStanding.REJECTED, true);

        assertThat(((LinkPlanner.Decision.Refused) refused).link())
                .isEqualTo(new MailgunStep.LinkDomainPool(DOMAIN, POOL_B));
        assertThat(LinkPlanner.link(web, notLinkedYet(web), LinkStanding.FAILED, true))
                .isInstanceOf(LinkPlanner.Decision.Retry.class);
    }

    @Test
    void aDeletionMovesTheDomainToTheReplacementPoolThroughTheBatch() {
        DesiredBinding leaving = Fixtures.binding("web")
                .poolRef("a")
                .deleting(DesiredBinding.OnDelete.UNLINK)
                .replacement(new Replacement.PoolRef("b"))
                .build();
        PlanningContext linkedToA = ctx(
                account().owned(POOL_A, "a", IP1).owned(POOL_B, "b", IP3).domain(DOMAIN, POOL_A, IP1),
                POOLS,
                List.of(leaving));

        assertThat(LinkPlanner.batches(leaving, linkedToA.account(), () -> linkedToA))
                .isTrue();
        LinkPlanner.Decision.Queue move =
                (LinkPlanner.Decision.Queue) LinkPlanner.move(leaving, linkedToA, LinkStanding.LINKED, true);
        assertThat(move.link()).isEqualTo(new MailgunStep.LinkDomainPool(DOMAIN, POOL_B));
        assertThat(move.queued().state()).isEqualTo(Plan.State.DELETING);
        assertThat(move.siblings()).isEmpty();
        assertThat(LinkPlanner.move(leaving, linkedToA, LinkStanding.QUEUED, true))
                .isInstanceOf(LinkPlanner.Decision.Report.class);
    }

    @Test
    void explicitIpsAndLinksToInheritedPoolsDoNotBatch() {
        DesiredBinding ips = Fixtures.binding("web").ips(IP1).build();
        DesiredBinding inherited = Fixtures.binding("web").poolId(POOL_B).build();
        PlanningContext inheritsB = ctx(
                account().owned(POOL_A, "a", IP1).foreign(POOL_B, "b", IP3).inherited(POOL_B),
                POOLS,
                List.of(inherited));

        assertThat(LinkPlanner.batches(ips, notLinkedYet().account(), () -> notLinkedYet()))
                .isFalse();
        assertThat(LinkPlanner.batches(inherited, inheritsB.account(), () -> inheritsB))
                .isFalse();
    }

    private static final Target TO_POOL_A = new Target.PoolRef("pool-a");
    private static final Target BY_ID = new Target.PoolId("665000000000000000000001");

    @Test
    void siblingsNameTheSamePoolTheSameWayAndWillLinkIt() {
        DesiredBinding self = binding("team", "self", "self.example.com", TO_POOL_A);
        PlanningContext ctx = new PlanningContext(
                null,
                List.of(),
                List.of(
                        self,
                        binding("team", "same-pool", "same.example.com", TO_POOL_A),
                        binding("other-team", "same-name-elsewhere", "elsewhere.example.com", TO_POOL_A),
                        binding("team", "other-pool", "other.example.com", new Target.PoolRef("pool-b")),
                        observe(binding("team", "observer", "observed.example.com", TO_POOL_A)),
                        deleting(binding("team", "leaving", "leaving.example.com", TO_POOL_A))));

        assertThat(LinkPlanner.siblings(self, ctx))
                .extracting(DesiredBinding::domain)
                .containsExactly("same.example.com");
    }

    @Test
    void aPoolIdIsTheSamePoolInEveryNamespace() {
        DesiredBinding self = binding("team", "self", "self.example.com", BY_ID);
        PlanningContext ctx = new PlanningContext(
                null, List.of(), List.of(self, binding("other-team", "by-id", "by-id.example.com", BY_ID)));

        assertThat(LinkPlanner.siblings(self, ctx))
                .extracting(DesiredBinding::domain)
                .containsExactly("by-id.example.com");
    }

    private static DesiredBinding binding(String namespace, String name, String domain, Target target) {
        return new DesiredBinding(
                new ResourceKey(namespace, name),
                Instant.EPOCH,
                domain,
                target,
                ManagementPolicy.MANAGE,
                false,
                null,
                null);
    }

    private static DesiredBinding observe(DesiredBinding b) {
        return new DesiredBinding(
                b.key(), b.createdAt(), b.domain(), b.target(), ManagementPolicy.OBSERVE, false, null, null);
    }

    private static DesiredBinding deleting(DesiredBinding b) {
        return new DesiredBinding(b.key(), b.createdAt(), b.domain(), b.target(), b.policy(), true, null, null);
    }
}
