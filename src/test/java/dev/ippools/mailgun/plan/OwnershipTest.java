package dev.ippools.mailgun.plan;

import static dev.ippools.mailgun.plan.Fixtures.DOMAIN;
import static dev.ippools.mailgun.plan.Fixtures.FOREIGN;
import static dev.ippools.mailgun.plan.Fixtures.IP1;
import static dev.ippools.mailgun.plan.Fixtures.IP2;
import static dev.ippools.mailgun.plan.Fixtures.IP3;
import static dev.ippools.mailgun.plan.Fixtures.IP4;
import static dev.ippools.mailgun.plan.Fixtures.POOL_A;
import static dev.ippools.mailgun.plan.Fixtures.POOL_B;
import static dev.ippools.mailgun.plan.Fixtures.account;
import static dev.ippools.mailgun.plan.Fixtures.binding;
import static dev.ippools.mailgun.plan.Fixtures.expect;
import static dev.ippools.mailgun.plan.Fixtures.pool;
import static dev.ippools.mailgun.plan.Fixtures.stamped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import dev.ippools.mailgun.plan.DesiredBinding.OnDelete;
import dev.ippools.mailgun.plan.Fixtures.AccountBuilder;
import dev.ippools.mailgun.plan.Fixtures.Expect;
import dev.ippools.mailgun.plan.Fixtures.PoolBuilder;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import dev.ippools.mailgun.plan.Plan.State;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Design §9: IpPool {@code team-a/a} owns pool A (its marker); every way another resource points
 * at that pool (or at pools nobody live owns) is planned here, and no plan writes a pool that is
 * not the planner's own.
 */
class OwnershipTest {

    private static final String OWNER_NS = "team-a";
    private static final String TENANT_NS = "team-b";
    /** Marked for an IpPool that was deleted (Orphan) or lives in another cluster. */
    private static final String GONE = "000000000000000000000d01";

    private static PoolBuilder owner() {
        return pool("a").namespace(OWNER_NS).createdAt(100).recorded(POOL_A).ips(IP1);
    }

    private static PoolBuilder intruder(String name) {
        return pool(name).namespace(TENANT_NS);
    }

    private static AccountBuilder world() {
        return account()
                .owned(POOL_A, "a", IP1)
                .pool(new ObservedPool(GONE, "old", stamped("old", "uid-gone"), Set.of(IP2), false, false, null))
                .foreign(FOREIGN, "legacy", IP3)
                .domain(DOMAIN, null, IP4);
    }

    private static PlanningContext ctx(AccountBuilder account, DesiredPool... others) {
        List<DesiredPool> pools = new ArrayList<>(List.of(owner().build()));
        pools.addAll(List.of(others));
        return new PlanningContext(account.build(), pools, List.of());
    }

    record Case(Supplier<Plan> plan, Expect expect) {}

    private static Arguments row(String name, DesiredPool p, Expect expect) {
        return Arguments.of(named(name, new Case(() -> PoolPlanner.plan(p, ctx(world(), p)), expect)));
    }

    private static Arguments poolWith(String name, DesiredPool p, DesiredPool sibling, Expect e) {
        return Arguments.of(named(name, new Case(() -> PoolPlanner.plan(p, ctx(world(), p, sibling)), e)));
    }

    private static Arguments bind(String name, DesiredBinding b, DesiredPool owner, Expect e) {
        return Arguments.of(named(
                name,
                new Case(
                        () -> BindingPlanner.plan(b, new PlanningContext(world().build(), List.of(owner), List.of(b))),
                        e)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"livePools", "bindings", "deletions"})
    void nothingButTheOwnerWritesItsPool(Case c) {
        Plan plan = c.plan().get();
        c.expect().verify(plan);
        assertThat(plan.steps().stream().map(Ownership::writtenPool))
                .as("pools written")
                .allMatch(id -> id == null || !id.equals(GONE) && (!id.equals(POOL_A) || isOwner(plan)));
    }

    // pool A only by its owner, the orphan never (an unmarked pool only after the marker: see rows)
    private static boolean isOwner(Plan plan) {
        return POOL_A.equals(plan.poolId()) && plan.state() != State.CONFLICT;
    }

    static Stream<Arguments> livePools() {
        return Stream.of(
                row(
                        "younger IpPool adopts the pool by spec.poolId",
                        intruder("b").createdAt(200).adopt(POOL_A).ips(IP1).build(),
                        expect(State.CONFLICT).conflicts(1).mentions("belongs to IpPool team-a/a")),
                row(
                        "older IpPool adopts the pool by spec.poolId",
                        intruder("b").createdAt(0).adopt(POOL_A).ips(IP1).build(),
                        expect(State.CONFLICT).conflicts(1).mentions("belongs to IpPool team-a/a")),
                row(
                        "older IpPool whose spec matches the pool exactly (nothing to write)",
                        intruder("b")
                                .createdAt(0)
                                .adopt(POOL_A)
                                .name("a")
                                .description("pool a")
                                .ips(IP1)
                                .build(),
                        expect(State.CONFLICT).conflicts(1).mentions("never changes or deletes it")),
                row(
                        "pool-id annotation edited to the owner's pool",
                        intruder("b").createdAt(0).recorded(POOL_A).ips(IP1).build(),
                        expect(State.CONFLICT).conflicts(1).mentions("remove spec.poolId and the annotation")),
                row(
                        "pool-id annotation edited to an unmarked pool",
                        intruder("b").recorded(FOREIGN).ips(IP3).build(),
                        expect(State.CONFLICT).conflicts(1).mentions("set spec.poolId to " + FOREIGN)),
                row(
                        "spec.poolId names a pool whose owner is gone",
                        intruder("b").adopt(GONE).ips(IP2).build(),
                        expect(State.CONFLICT).conflicts(1).mentions("no longer exists", "remove the marker")),
                row(
                        "spec.poolId changed away from the recorded pool",
                        owner().adopt(FOREIGN).build(),
                        expect(State.INVALID).problems(1).mentions("identity cannot change")),
                row(
                        "spec.poolId of an unmarked pool: the marker is the first write",
                        intruder("b")
                                .adopt(FOREIGN)
                                .overwrite()
                                .description("mine")
                                .ips(IP3, IP4)
                                .build(),
                        expect(State.UPDATING)
                                .steps(
                                        "PATCH /v3/ip_pools/" + FOREIGN + " name=b description=mine"
                                                + " [managed-by: mailgun-ip-pool-operator uid=uid-b]",
                                        "PUT /v3/ip_pools/" + FOREIGN + "/ips/10.0.0.4")),
                row(
                        "Observe IpPool of another namespace reads the pool, never writes",
                        intruder("b").adopt(POOL_A).observe().ips(IP1, IP2).build(),
                        expect(State.OBSERVED).mentions("drift")),
                poolWith(
                        "the owner is not displaced by an older IpPool naming its pool",
                        owner().ips(IP1, IP4).build(),
                        intruder("b").createdAt(0).adopt(POOL_A).ips(IP1).build(),
                        expect(State.UPDATING).steps("PUT /v3/ip_pools/" + POOL_A + "/ips/10.0.0.4")));
    }

    static Stream<Arguments> bindings() {
        DesiredBinding tenant = binding("x").namespace(TENANT_NS).poolId(POOL_A).build();
        Function<String, String> link = pool -> "PATCH /v3/ip_pools/" + pool + " link_domain=" + DOMAIN;
        return Stream.of(
                bind(
                        "binding in another namespace links to the pool by poolId",
                        tenant,
                        owner().build(),
                        expect(State.CONFLICT)
                                .conflicts(1)
                                .mentions("does not share it with namespace team-b", Ownership.SHARED_WITH)),
                bind(
                        "... allowed when the owner shares the pool with that namespace",
                        tenant,
                        owner().sharedWith("team-b").build(),
                        expect(State.UPDATING).steps(link.apply(POOL_A))),
                bind(
                        "... allowed when the owner shares the pool with every namespace",
                        tenant,
                        owner().sharedWith("*").build(),
                        expect(State.UPDATING).steps(link.apply(POOL_A))),
                bind(
                        "binding in the owner's namespace",
                        binding("x").namespace(OWNER_NS).poolId(POOL_A).build(),
                        owner().build(),
                        expect(State.UPDATING).steps(link.apply(POOL_A))),
                bind(
                        "binding to a pool whose owner is gone",
                        binding("x").namespace(TENANT_NS).poolId(GONE).build(),
                        owner().build(),
                        expect(State.CONFLICT).conflicts(1).mentions("no longer exists")),
                bind(
                        "binding to a pool nobody here manages",
                        binding("x").namespace(TENANT_NS).poolId(FOREIGN).build(),
                        owner().build(),
                        expect(State.UPDATING).steps(link.apply(FOREIGN))),
                bind(
                        "Observe binding in another namespace only reads",
                        binding("x")
                                .namespace(TENANT_NS)
                                .poolId(POOL_A)
                                .observe()
                                .build(),
                        owner().build(),
                        expect(State.OBSERVED).mentions("drift")));
    }

    static Stream<Arguments> deletions() {
        return Stream.of(
                row(
                        "deleting an IpPool that named the owner's pool by spec.poolId",
                        intruder("b").adopt(POOL_A).ips(IP1).deleting().build(),
                        expect(State.DELETED).mentions("left in place")),
                row(
                        "deleting an IpPool whose annotation names the owner's pool",
                        intruder("b").recorded(POOL_A).ips(IP1).deleting().build(),
                        expect(State.DELETED).mentions("left in place")),
                row(
                        "deleting an IpPool that named a pool whose owner is gone",
                        intruder("b").adopt(GONE).ips(IP2).deleting().build(),
                        expect(State.DELETED).mentions("no longer exists", "left in place")),
                row(
                        "deleting an IpPool whose annotation names an unmarked pool",
                        intruder("b").recorded(FOREIGN).ips(IP3).deleting().build(),
                        expect(State.DELETED).mentions("left in place")),
                row(
                        "deleting an IpPool before its adoption wrote the marker",
                        intruder("b").adopt(FOREIGN).ips(IP3).deleting().build(),
                        expect(State.DELETED).mentions("left in place")),
                row(
                        "deleting an Observe IpPool",
                        intruder("b").adopt(POOL_A).observe().deleting().build(),
                        expect(State.DELETED).mentions("managementPolicy Observe")),
                Arguments.of(named(
                        "deleting its own pool with the owner's pool as replacement",
                        new Case(
                                () -> {
                                    DesiredPool b = intruder("b")
                                            .recorded(POOL_B)
                                            .ips(IP4)
                                            .replacement(new Replacement.PoolId(POOL_A))
                                            .deleting()
                                            .build();
                                    return PoolPlanner.plan(
                                            b,
                                            ctx(world().owned(POOL_B, "b", IP4).linked(POOL_B), b));
                                },
                                expect(State.DELETION_BLOCKED).conflicts(1).mentions("does not share it")))),
                Arguments.of(named(
                        "deleting a binding that would move its domain to the owner's pool",
                        new Case(
                                () -> {
                                    DesiredBinding b = binding("x")
                                            .namespace(TENANT_NS)
                                            .poolId(FOREIGN)
                                            .replacement(new Replacement.PoolId(POOL_A))
                                            .deleting(OnDelete.UNLINK)
                                            .build();
                                    return BindingPlanner.plan(
                                            b,
                                            new PlanningContext(
                                                    world().domain(DOMAIN, FOREIGN, IP3)
                                                            .build(),
                                                    List.of(owner().build()),
                                                    List.of(b)));
                                },
                                expect(State.DELETION_BLOCKED).conflicts(1).mentions("does not share it")))),
                row(
                        "the owner itself deletes its pool",
                        owner().deleting().build(),
                        expect(State.DELETING)
                                .steps(
                                        "DELETE /v3/ip_pools/" + POOL_A + "/ips/10.0.0.1",
                                        "DELETE /v3/ip_pools/" + POOL_A)));
    }

    @Test
    void theGuardRefusesAWriteWhenTheMarkerChangedAfterPlanning() {
        DesiredPool b = intruder("b").adopt(FOREIGN).overwrite().ips(IP3).build();
        Plan plan = PoolPlanner.plan(b, ctx(world(), b));
        assertThat(plan.steps()).isNotEmpty();
        // meanwhile IpPool team-a/a adopted the same pool: its marker is there now
        ObservedAccount now = world().pool(new ObservedPool(
                        FOREIGN, "legacy", stamped("legacy", "uid-a"), Set.of(IP3), false, false, null))
                .build();
        Ownership.Guard guard = Ownership.guard(Ownership.Actor.of(b), () -> now, List.of(owner().build(), b));
        Optional<Ownership.Refusal> refusal = guard.check(plan.steps().get(0), List.of());
        assertThat(refusal)
                .map(Ownership.Refusal::message)
                .hasValueSatisfying(m -> assertThat(m).contains("belongs to IpPool team-a/a"));
    }

    @Test
    void aCreateMustCarryTheCreatorsMarker() {
        Ownership.Actor actor = Ownership.Actor.of(intruder("b").build());
        MailgunStep forged = new MailgunStep.CreatePool("b", stamped("x", "uid-a"), List.of());
        assertThat(Ownership.check(forged, List.of(), actor, world().build(), List.of()))
                .isPresent();
        MailgunStep own = new MailgunStep.CreatePool("b", stamped("x", "uid-b"), List.of());
        assertThat(Ownership.check(own, List.of(), actor, world().build(), List.of()))
                .isEmpty();
    }

    @Test
    void aBindingNeverWritesAPool() {
        Ownership.Actor actor = Ownership.Actor.of(binding("x").poolId(POOL_A).build());
        MailgunStep write = new MailgunStep.RemovePoolIp(POOL_A, IP1);
        assertThat(Ownership.check(write, List.of(), actor, world().build(), List.of()))
                .isPresent();
    }

    @Test
    void aPoolInheritedFromTheParentMayBeLinkedWhateverItsMarkerNames() {
        Ownership.Actor actor = Ownership.Actor.of(
                binding("x").namespace(TENANT_NS).poolId(GONE).build());
        MailgunStep link = new MailgunStep.LinkDomainPool(DOMAIN, GONE);
        assertThat(Ownership.check(link, List.of(), actor, world().build(), List.of()))
                .isPresent();
        // Inherited, its marker names the parent account's IpPool, which no IpPool here can be.
        assertThat(Ownership.check(
                        link, List.of(), actor, world().inherited(GONE).build(), List.of()))
                .isEmpty();
    }

    @Test
    void onlyTheIpPoolThatRecordedAWarmupCancelsIt() {
        MailgunStep cancel = new MailgunStep.CancelWarmup(IP4);
        Ownership.Actor recorded = Ownership.Actor.of(owner().startsWarmups(IP4).build());
        assertThat(Ownership.check(cancel, List.of(), recorded, world().build(), List.of()))
                .isEmpty();
        Ownership.Actor other =
                Ownership.Actor.of(intruder("b").startsWarmups(IP2).build());
        assertThat(Ownership.check(cancel, List.of(), other, world().build(), List.of()))
                .hasValueSatisfying(r -> assertThat(r.message())
                        .contains("was not started by team-b/b", "cancels only warm-ups it started"));
        Ownership.Actor binding = Ownership.Actor.of(binding("x").poolId(POOL_A).build());
        assertThat(Ownership.check(cancel, List.of(), binding, world().build(), List.of()))
                .isPresent();
    }

    @Test
    void aWarmupIsStartedOnlyForAnIpInNoPool() {
        Ownership.Actor actor = Ownership.Actor.of(intruder("b").startsWarmups().build());
        assertThat(Ownership.check(new MailgunStep.StartWarmup(IP4), List.of(), actor, world().build(), List.of()))
                .isEmpty();
        assertThat(Ownership.check(new MailgunStep.StartWarmup(IP3), List.of(), actor, world().build(), List.of()))
                .hasValueSatisfying(r -> assertThat(r.message()).contains("is in pool " + FOREIGN));
        Ownership.Actor binding = Ownership.Actor.of(binding("x").poolId(POOL_A).build());
        assertThat(Ownership.check(new MailgunStep.StartWarmup(IP4), List.of(), binding, world().build(), List.of()))
                .isPresent();
    }
}
