package dev.ippools.mailgun.plan;

import static dev.ippools.mailgun.plan.Fixtures.COLD;
import static dev.ippools.mailgun.plan.Fixtures.DOMAIN;
import static dev.ippools.mailgun.plan.Fixtures.FOREIGN;
import static dev.ippools.mailgun.plan.Fixtures.IP1;
import static dev.ippools.mailgun.plan.Fixtures.IP2;
import static dev.ippools.mailgun.plan.Fixtures.IP3;
import static dev.ippools.mailgun.plan.Fixtures.IP4;
import static dev.ippools.mailgun.plan.Fixtures.POOL_A;
import static dev.ippools.mailgun.plan.Fixtures.POOL_B;
import static dev.ippools.mailgun.plan.Fixtures.SHARED_ONLY;
import static dev.ippools.mailgun.plan.Fixtures.WARMING;
import static dev.ippools.mailgun.plan.Fixtures.account;
import static dev.ippools.mailgun.plan.Fixtures.binding;
import static dev.ippools.mailgun.plan.Fixtures.ctx;
import static dev.ippools.mailgun.plan.Fixtures.expect;
import static dev.ippools.mailgun.plan.Fixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import dev.ippools.mailgun.plan.DesiredBinding.OnDelete;
import dev.ippools.mailgun.plan.Fixtures.AccountBuilder;
import dev.ippools.mailgun.plan.Fixtures.Expect;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import dev.ippools.mailgun.plan.Plan.State;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BindingPlannerTest {

    private static final String D = "/v3/domains/" + DOMAIN;

    /** Pool a (POOL_A: IP1, IP2) and pool b (POOL_B: IP3) exist and are managed here. */
    private static final List<DesiredPool> POOLS = List.of(
            pool("a").recorded(POOL_A).ips(IP1, IP2).build(),
            pool("b").recorded(POOL_B).ips(IP3).build());

    private static AccountBuilder pools() {
        return account().owned(POOL_A, "a", IP1, IP2).owned(POOL_B, "b", IP3);
    }

    record Case(DesiredBinding binding, PlanningContext ctx, Expect expect) {}

    private static Arguments row(String name, DesiredBinding binding, PlanningContext ctx, Expect expect) {
        return Arguments.of(named(name, new Case(binding, ctx, expect)));
    }

    private static PlanningContext with(AccountBuilder account, DesiredBinding... bindings) {
        return ctx(account, POOLS, List.of(bindings));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"poolTargets", "explicitIps", "invalidAndModes", "deletion"})
    void plansExactly(Case c) {
        Plan plan = BindingPlanner.plan(c.binding(), c.ctx());
        c.expect().verify(plan);
    }

    static Stream<Arguments> poolTargets() {
        DesiredBinding toA = binding("web").poolRef("a").build();
        DesiredBinding adoptingA = binding("web").poolRef("a").adopting().build();
        return Stream.of(
                row(
                        "new binding, domain linked to another pool: waits for spec.adoption, no call",
                        adoptingA,
                        with(pools().domain(DOMAIN, POOL_B, IP3)),
                        expect(State.ADOPTION_WOULD_CHANGE)
                                .conflicts(1)
                                .mentions(
                                        "adopting domain " + DOMAIN + " would move it from pool " + POOL_B + " to pool "
                                                + POOL_A,
                                        "spec.adoption: Overwrite")),
                row(
                        "new binding, domain already in its pool: adopted without a call",
                        adoptingA,
                        with(pools().domain(DOMAIN, POOL_A, IP1, IP2)),
                        expect(State.AVAILABLE)),
                row(
                        "new binding, domain in no pool: linked as usual",
                        adoptingA,
                        with(pools().domain(DOMAIN, null, IP4)),
                        expect(State.UPDATING).steps("PATCH /v3/ip_pools/" + POOL_A + " link_domain=" + DOMAIN)),
                row(
                        "new explicit-IP binding, domain linked to a pool: waits, no unlink",
                        binding("web").ips(IP4).adopting().build(),
                        with(pools().domain(DOMAIN, POOL_B, IP3)),
                        expect(State.ADOPTION_WOULD_CHANGE)
                                .conflicts(1)
                                .mentions("would unlink it from pool " + POOL_B)),
                row(
                        "already linked: zero steps",
                        toA,
                        with(pools().domain(DOMAIN, POOL_A, IP1, IP2)),
                        expect(State.AVAILABLE).relinking(false)),
                row(
                        "linked but the domain's IPs still differ: Relinking",
                        toA,
                        with(pools().domain(DOMAIN, POOL_A, IP1)),
                        expect(State.RELINKING).relinking(true).mentions(DOMAIN)),
                row(
                        "explicit IPs to a pool: link directly",
                        toA,
                        with(pools().domain(DOMAIN, null, IP4)),
                        expect(State.UPDATING).steps("PATCH /v3/ip_pools/" + POOL_A + " link_domain=" + DOMAIN)),
                row(
                        "linked to another pool: relink in one call",
                        toA,
                        with(pools().domain(DOMAIN, POOL_B, IP3)),
                        expect(State.UPDATING).steps("PATCH /v3/ip_pools/" + POOL_A + " link_domain=" + DOMAIN)),
                row(
                        "pool without a Mailgun id yet: wait",
                        binding("web").poolRef("new").build(),
                        ctx(
                                pools().domain(DOMAIN, null, IP4),
                                List.of(pool("new").ips(IP4).build()),
                                List.of()),
                        expect(State.WAITING).waitsOn("mail/new").mentions("no Mailgun pool yet")),
                row(
                        "pool without IPs yet: wait",
                        binding("web").poolRef("empty").build(),
                        ctx(
                                account().owned(POOL_A, "empty").domain(DOMAIN, null, IP4),
                                List.of(pool("empty").recorded(POOL_A).build()),
                                List.of()),
                        expect(State.WAITING).waitsOn("mail/empty").mentions("no IPs yet")),
                row(
                        "IpPool does not exist (yet): wait",
                        binding("web").poolRef("later").build(),
                        with(pools().domain(DOMAIN, null, IP4)),
                        expect(State.WAITING).waitsOn("mail/later").mentions("does not exist")),
                row(
                        "poolId of an inherited pool: link with the legacy POST (PATCH is refused there)",
                        binding("web").poolId(FOREIGN).build(),
                        with(pools().pool(new ObservedPool(FOREIGN, "parent", "p", Set.of(IP4), true, true, null))
                                .domain(DOMAIN, null, IP1)),
                        expect(State.UPDATING).steps("POST /v3/domains/" + DOMAIN + "/ips pool_id=" + FOREIGN)),
                row(
                        "poolId not on the account: Invalid",
                        binding("web").poolId(FOREIGN).build(),
                        with(pools().domain(DOMAIN, null, IP1)),
                        expect(State.INVALID).problems(1).mentions("not found")),
                row(
                        "poolId of an empty pool: wait",
                        binding("web").poolId(FOREIGN).build(),
                        with(pools().foreign(FOREIGN, "empty").domain(DOMAIN, null, IP1)),
                        expect(State.WAITING).waitsOn(FOREIGN)),
                row(
                        "second binding of one domain: Conflict",
                        binding("late").createdAt(10).poolRef("b").build(),
                        with(pools().domain(DOMAIN, POOL_A, IP1, IP2), toA),
                        expect(State.CONFLICT).conflicts(1).mentions("DomainPoolBinding mail/web")));
    }

    static Stream<Arguments> explicitIps() {
        return Stream.of(
                row(
                        "pool to explicit IPs: unlink with a desired IP, then add the rest",
                        binding("web").ips(IP4, IP3).build(),
                        with(pools().domain(DOMAIN, POOL_A, IP1, IP2)),
                        expect(State.UPDATING)
                                .steps("DELETE " + D + "/ips/ip_pool?ip=10.0.0.3", "POST " + D + "/ips ip=10.0.0.4")),
                row(
                        "explicit IPs changed: add missing, then remove extras",
                        binding("web").ips(IP2, IP3, IP4).build(),
                        with(pools().domain(DOMAIN, null, IP1, IP2)),
                        expect(State.UPDATING)
                                .steps(
                                        "POST " + D + "/ips ip=10.0.0.3",
                                        "POST " + D + "/ips ip=10.0.0.4",
                                        "DELETE " + D + "/ips/10.0.0.1")),
                row(
                        "explicit IPs replaced entirely: adds first, so never empty",
                        binding("web").ips(IP4).build(),
                        with(pools().domain(DOMAIN, null, IP1)),
                        expect(State.UPDATING)
                                .steps("POST " + D + "/ips ip=10.0.0.4", "DELETE " + D + "/ips/10.0.0.1")),
                row(
                        "explicit IPs match: zero steps",
                        binding("web").ips(IP1, IP4).build(),
                        with(pools().domain(DOMAIN, null, IP4, IP1)),
                        expect(State.AVAILABLE)),
                row(
                        "explicit IPs may sit in a pool (only dedicated + the account's matter)",
                        binding("web").ips(IP1).build(),
                        with(pools().domain(DOMAIN, null, IP4)),
                        expect(State.UPDATING)
                                .steps("POST " + D + "/ips ip=10.0.0.1", "DELETE " + D + "/ips/10.0.0.4")),
                // Mailgun keeps warming IPs out of pools only: a domain takes one at once (and adds a
                // warm IP itself when only warming ones would remain, rule 11), so nothing waits.
                row(
                        "explicit IPs may be warming up or new: assigned at once, not waited for",
                        binding("web").ips(IP1, WARMING, COLD).build(),
                        with(pools().domain(DOMAIN, null, IP1)),
                        expect(State.UPDATING)
                                .steps("POST " + D + "/ips ip=192.0.2.60", "POST " + D + "/ips ip=192.0.2.61")));
    }

    static Stream<Arguments> invalidAndModes() {
        return Stream.of(
                row(
                        "domain not on the account",
                        binding("web").poolRef("a").build(),
                        with(pools()),
                        expect(State.INVALID).problems(1).mentions("domain not found", DOMAIN)),
                row(
                        "explicit IP not dedicated",
                        binding("web").ips(IP1, SHARED_ONLY).build(),
                        with(pools().domain(DOMAIN, null, IP1)),
                        expect(State.INVALID).problems(1).mentions("not a dedicated IP")),
                row(
                        "explicit IP not the account's",
                        binding("web").ips("198.51.100.7").build(),
                        with(pools().domain(DOMAIN, null, IP1)),
                        expect(State.INVALID).problems(1).mentions("not an IP of this Mailgun account")),
                row(
                        "pool target without the DIPPs feature",
                        binding("web").poolRef("a").build(),
                        with(pools().dippsOff().domain(DOMAIN, null, IP1)),
                        expect(State.INVALID).problems(1).mentions("DIPPs")),
                row(
                        "no target at all",
                        binding("web").noTarget().build(),
                        with(pools().domain(DOMAIN, null, IP1)),
                        expect(State.INVALID).problems(1).mentions("exactly one of")),
                row(
                        "Observe: drift only in notes",
                        binding("web").observe().poolRef("a").build(),
                        with(pools().domain(DOMAIN, POOL_B, IP3)),
                        expect(State.OBSERVED)
                                .mentions("drift: domain is not linked to pool " + POOL_A + ", which the spec")),
                row(
                        "Observe: the pool's domain list does not name the domain, nor says where it is",
                        binding("web").observe().poolId(POOL_A).build(),
                        with(pools().domainInNoListedPool(DOMAIN)),
                        expect(State.OBSERVED)
                                .relinking(false)
                                .mentions("drift: domain is not linked to pool " + POOL_A)),
                row(
                        "Observe with explicit IPs",
                        binding("web").observe().ips(IP4).build(),
                        with(pools().domain(DOMAIN, null, IP1)),
                        expect(State.OBSERVED).mentions("drift: domain uses IPs [10.0.0.1]")));
    }

    static Stream<Arguments> deletion() {
        AccountBuilder linkedToA = pools().domain(DOMAIN, POOL_A, IP1, IP2);
        return Stream.of(
                row(
                        "Orphan: never calls Mailgun",
                        binding("web").poolRef("a").deleting(OnDelete.ORPHAN).build(),
                        with(linkedToA),
                        expect(State.DELETED).mentions("Orphan")),
                row(
                        "Observe: never calls Mailgun",
                        binding("web")
                                .observe()
                                .poolRef("a")
                                .deleting(OnDelete.UNLINK)
                                .build(),
                        with(linkedToA),
                        expect(State.DELETED)),
                row(
                        "Unlink without replacement: blocked with what to set",
                        binding("web").poolRef("a").deleting(OnDelete.UNLINK).build(),
                        with(linkedToA),
                        expect(State.DELETION_BLOCKED)
                                .waits(1)
                                .mentions("set spec.replacement.ip (an IP or \"shared\"), spec.replacement.poolId or"
                                        + " spec.replacement.poolRef.name")),
                row(
                        "Unlink with a replacement IP",
                        binding("web")
                                .poolRef("a")
                                .deleting(OnDelete.UNLINK)
                                .replacement(new Replacement.Ip(IP4))
                                .build(),
                        with(linkedToA),
                        expect(State.DELETING).steps("DELETE " + D + "/ips/ip_pool?ip=10.0.0.4")),
                row(
                        "Unlink with a shared IP",
                        binding("web")
                                .poolRef("a")
                                .deleting(OnDelete.UNLINK)
                                .replacement(new Replacement.Ip("shared"))
                                .build(),
                        with(linkedToA),
                        expect(State.DELETING).steps("DELETE " + D + "/ips/ip_pool?ip=shared")),
                row(
                        "Unlink with a replacement IP that is not the account's",
                        binding("web")
                                .poolRef("a")
                                .deleting(OnDelete.UNLINK)
                                .replacement(new Replacement.Ip("198.51.100.7"))
                                .build(),
                        with(linkedToA),
                        expect(State.INVALID).problems(1).mentions("spec.replacement.ip")),
                row(
                        "Unlink with a replacement poolId",
                        binding("web")
                                .poolRef("a")
                                .deleting(OnDelete.UNLINK)
                                .replacement(new Replacement.PoolId(POOL_B))
                                .build(),
                        with(linkedToA),
                        expect(State.DELETING).steps("PATCH /v3/ip_pools/" + POOL_B + " link_domain=" + DOMAIN)),
                row(
                        "Unlink with a replacement poolRef: linked there, which moves it",
                        binding("web")
                                .poolId(POOL_A)
                                .deleting(OnDelete.UNLINK)
                                .replacement(new Replacement.PoolRef("b"))
                                .build(),
                        with(linkedToA),
                        expect(State.DELETING).steps("PATCH /v3/ip_pools/" + POOL_B + " link_domain=" + DOMAIN)),
                row(
                        "moved to the replacement pool: nothing left to undo",
                        binding("web")
                                .poolRef("a")
                                .deleting(OnDelete.UNLINK)
                                .replacement(new Replacement.PoolRef("b"))
                                .build(),
                        with(pools().domain(DOMAIN, POOL_B, IP3)),
                        expect(State.DELETED).mentions("not linked to this binding's pool")),
                row(
                        "Unlink with a replacement poolRef that has no IPs yet: blocked",
                        binding("web")
                                .poolRef("a")
                                .deleting(OnDelete.UNLINK)
                                .replacement(new Replacement.PoolRef("c"))
                                .build(),
                        ctx(
                                pools().owned(Fixtures.POOL_C, "c").domain(DOMAIN, POOL_A, IP1, IP2),
                                List.of(
                                        POOLS.get(0),
                                        POOLS.get(1),
                                        pool("c").recorded(Fixtures.POOL_C).build()),
                                List.of()),
                        expect(State.DELETION_BLOCKED).waitsOn("mail/c")),
                row(
                        "Unlink of explicit IPs: the domain keeps them",
                        binding("web").ips(IP1).deleting(OnDelete.UNLINK).build(),
                        with(pools().domain(DOMAIN, null, IP1)),
                        expect(State.DELETED).mentions("keeps its IPs")),
                row(
                        "RemoveDomainPool of a pool target",
                        binding("web")
                                .poolRef("a")
                                .deleting(OnDelete.REMOVE_DOMAIN_POOL)
                                .build(),
                        with(linkedToA),
                        expect(State.DELETING).steps("DELETE " + D + "/ips/all")),
                row(
                        "RemoveDomainPool of explicit IPs",
                        binding("web")
                                .ips(IP1)
                                .deleting(OnDelete.REMOVE_DOMAIN_POOL)
                                .build(),
                        with(pools().domain(DOMAIN, null, IP1)),
                        expect(State.DELETING).steps("DELETE " + D + "/ips/all")),
                row(
                        "domain linked to a pool this binding did not link: left alone",
                        binding("web")
                                .poolRef("a")
                                .deleting(OnDelete.UNLINK)
                                .replacement(new Replacement.Ip(IP4))
                                .build(),
                        with(pools().domain(DOMAIN, POOL_B, IP3)),
                        expect(State.DELETED).mentions("not linked to this binding's pool")),
                row(
                        "RemoveDomainPool while another pool is linked: left alone",
                        binding("web")
                                .poolRef("a")
                                .deleting(OnDelete.REMOVE_DOMAIN_POOL)
                                .build(),
                        with(pools().domain(DOMAIN, POOL_B, IP3)),
                        expect(State.DELETED)),
                row(
                        "domain already gone",
                        binding("web").poolRef("a").deleting(OnDelete.UNLINK).build(),
                        with(pools()),
                        expect(State.DELETED).mentions("nothing to undo")),
                row(
                        "a newer binding took over the domain: left alone",
                        binding("old").poolRef("a").deleting(OnDelete.UNLINK).build(),
                        with(
                                linkedToA,
                                binding("new").createdAt(10).poolRef("a").build()),
                        expect(State.DELETED).mentions("DomainPoolBinding mail/new")));
    }

    /** Explicit IPs to a pool and back, applied to the test Mailgun between rounds. */
    @Test
    void domainSwitchesFromIpsToAPoolAndBack() {
        ObservedAccount state = pools().domain(DOMAIN, null, IP4).build();
        DesiredBinding toPool = binding("web").poolRef("a").build();
        Plan link = BindingPlanner.plan(toPool, new PlanningContext(state, POOLS, List.of(toPool)));
        expect(State.UPDATING)
                .steps("PATCH /v3/ip_pools/" + POOL_A + " link_domain=" + DOMAIN)
                .verify(link);
        assertThat(link.poolId()).isEqualTo(POOL_A);

        state = Fixtures.apply(state, link.steps());
        expect(State.AVAILABLE).verify(BindingPlanner.plan(toPool, new PlanningContext(state, POOLS, List.of(toPool))));

        DesiredBinding toIps = binding("web").ips(IP4, IP2, IP1).build();
        Plan back = BindingPlanner.plan(toIps, new PlanningContext(state, POOLS, List.of(toIps)));
        expect(State.UPDATING)
                .steps(
                        "DELETE " + D + "/ips/ip_pool?ip=10.0.0.1",
                        "POST " + D + "/ips ip=10.0.0.2",
                        "POST " + D + "/ips ip=10.0.0.4")
                .verify(back);
        assertThat(back.poolId()).isNull();

        state = Fixtures.apply(state, back.steps());
        assertThat(state.domains().get(DOMAIN).ips()).containsExactlyInAnyOrder(IP1, IP2, IP4);
        expect(State.AVAILABLE).verify(BindingPlanner.plan(toIps, new PlanningContext(state, POOLS, List.of(toIps))));
    }

    @Test
    void observeOfADomainInItsPoolNotesNoDrift() {
        Plan plan = BindingPlanner.plan(
                binding("web").observe().poolRef("a").build(), with(pools().domain(DOMAIN, POOL_A, IP1, IP2)));
        expect(State.OBSERVED).relinking(false).verify(plan);
        assertThat(plan.notes()).isEmpty();
    }

    @Test
    void aDeletionMovesTheDomainToAnInheritedReplacementPoolWithTheLegacyPost() {
        DesiredBinding leaving = binding("web")
                .poolRef("a")
                .deleting(OnDelete.UNLINK)
                .replacement(new Replacement.PoolId(FOREIGN))
                .build();
        ObservedAccount state = pools().foreign(FOREIGN, "parent", IP4)
                .inherited(FOREIGN)
                .domain(DOMAIN, POOL_A, IP1, IP2)
                .build();
        Plan move = BindingPlanner.plan(leaving, new PlanningContext(state, POOLS, List.of(leaving)));
        assertThat(move.steps()).containsExactly(new MailgunStep.LinkDomainPool(DOMAIN, FOREIGN, true));
        assertThat(Plans.lines(move)).startsWith("POST /v3/domains/" + DOMAIN + "/ips pool_id=" + FOREIGN);
    }

    @Test
    void aDeletionMovesTheDomainToItsReplacementPoolAndThenIsDone() {
        DesiredBinding leaving = binding("web")
                .poolRef("a")
                .deleting(OnDelete.UNLINK)
                .replacement(new Replacement.PoolRef("b"))
                .build();
        ObservedAccount state = pools().domain(DOMAIN, POOL_A, IP1, IP2).build();
        Plan move = BindingPlanner.plan(leaving, new PlanningContext(state, POOLS, List.of(leaving)));
        assertThat(move.steps()).containsExactly(new MailgunStep.LinkDomainPool(DOMAIN, POOL_B));

        state = Fixtures.apply(state, move.steps());
        assertThat(state.domains().get(DOMAIN).linkedPoolId()).isEqualTo(POOL_B);
        expect(State.DELETED).verify(BindingPlanner.plan(leaving, new PlanningContext(state, POOLS, List.of(leaving))));
    }

    @Test
    void domainNamesCompareWithoutCase() {
        DesiredBinding upper =
                binding("web").domain("News.Example.COM").poolRef("a").build();
        Plan plan = BindingPlanner.plan(upper, with(pools().domain(DOMAIN, null, IP4)));
        expect(State.UPDATING)
                .steps("PATCH /v3/ip_pools/" + POOL_A + " link_domain=" + DOMAIN)
                .verify(plan);
    }

    @Test
    void poolIdIsTheTargetEvenWhileWaiting() {
        Plan plan = BindingPlanner.plan(
                binding("web").poolRef("empty").build(),
                ctx(
                        account().owned(POOL_A, "empty").domain(DOMAIN, null, IP4),
                        List.of(pool("empty").recorded(POOL_A).build()),
                        List.of()));
        assertThat(plan.poolId()).isEqualTo(POOL_A);
        assertThat(plan.state()).isEqualTo(State.WAITING);
    }
}
