package dev.ippools.mailgun.plan;

import static dev.ippools.mailgun.plan.Fixtures.IP1;
import static dev.ippools.mailgun.plan.Fixtures.IP2;
import static dev.ippools.mailgun.plan.Fixtures.IP3;
import static dev.ippools.mailgun.plan.Fixtures.POOL_B;
import static dev.ippools.mailgun.plan.Fixtures.POOL_C;
import static dev.ippools.mailgun.plan.Fixtures.account;
import static dev.ippools.mailgun.plan.Fixtures.expect;
import static dev.ippools.mailgun.plan.Fixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import dev.ippools.mailgun.plan.Fixtures.Expect;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import dev.ippools.mailgun.plan.Plan.State;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Several clusters, one account: the operator with owner id {@code prod} plans against pools that
 * the operator {@code staging} marked, and against markers written before owner ids.
 */
class OwnerIdTest {

    private static final String PROD = "prod";
    private static final String STAGING = "staging";
    private static final String MARK_PROD_A = "[managed-by: mailgun-ip-pool-operator uid=uid-a owner=prod]";

    /** Pool B: staging's IpPool uid-s; pool C: prod's IpPool uid-a, marked before owner ids. */
    private static ObservedAccount world() {
        return account()
                .pool(new ObservedPool(
                        POOL_B,
                        "s",
                        OwnershipMarker.stamp("staging pool", "uid-s", STAGING),
                        Set.of(IP2),
                        false,
                        false,
                        null))
                .pool(new ObservedPool(
                        POOL_C, "a", OwnershipMarker.stamp("pool a", "uid-a"), Set.of(IP3), false, false, null))
                .build();
    }

    record Case(DesiredPool pool, Expect expect) {}

    private static Arguments row(String name, DesiredPool pool, Expect expect) {
        return Arguments.of(named(name, new Case(pool, expect)));
    }

    static Stream<Arguments> pools() {
        return Stream.of(
                row(
                        "a new pool's marker names the owner id",
                        pool("n").ownerId(PROD).ips(IP1).build(),
                        expect(State.CREATING).steps("POST /v3/ip_pools name=n ips=[10.0.0.1]")),
                row(
                        "another owner's pool named by spec.poolId: never written",
                        pool("a")
                                .ownerId(PROD)
                                .adopt(POOL_B)
                                .overwrite()
                                .ips(IP2)
                                .build(),
                        expect(State.OWNED_ELSEWHERE)
                                .conflicts(1)
                                .mentions("owner id staging (this one is prod)", Ownership.HAND_OVER_FROM)),
                row(
                        "another owner's pool matching the spec exactly: still not claimed",
                        pool("a")
                                .ownerId(PROD)
                                .adopt(POOL_B)
                                .name("s")
                                .description("staging pool")
                                .ips(IP2)
                                .build(),
                        expect(State.OWNED_ELSEWHERE).conflicts(1)),
                row(
                        "another owner's pool recorded by annotation: never written",
                        pool("a").ownerId(PROD).recorded(POOL_B).ips(IP1).build(),
                        expect(State.OWNED_ELSEWHERE).conflicts(1)),
                row(
                        "hand-over from a different owner id than the marker's: refused",
                        pool("a")
                                .ownerId(PROD)
                                .adopt(POOL_B)
                                .handOverFrom("dev")
                                .name("s")
                                .description("staging pool")
                                .ips(IP2)
                                .build(),
                        expect(State.OWNED_ELSEWHERE).conflicts(1)),
                row(
                        "declared hand-over: the new marker is the only write",
                        pool("a")
                                .ownerId(PROD)
                                .adopt(POOL_B)
                                .handOverFrom(STAGING)
                                .name("s")
                                .description("staging pool")
                                .ips(IP2)
                                .build(),
                        expect(State.UPDATING)
                                .steps("PATCH /v3/ip_pools/" + POOL_B
                                        + " description=staging pool"
                                        + " [managed-by: mailgun-ip-pool-operator uid=uid-a owner=prod]")),
                row(
                        "declared hand-over that would change the pool waits for spec.adoption",
                        pool("a")
                                .ownerId(PROD)
                                .adopt(POOL_B)
                                .handOverFrom(STAGING)
                                .name("s")
                                .description("staging pool")
                                .ips(IP1, IP2)
                                .build(),
                        expect(State.ADOPTION_WOULD_CHANGE)
                                .conflicts(1)
                                .mentions("IPs [10.0.0.1] are not in the pool")),
                row(
                        "migration: the owner's marker without owner id gets it in one PATCH",
                        pool("a")
                                .ownerId(PROD)
                                .recorded(POOL_C)
                                .description("pool a")
                                .ips(IP3)
                                .build(),
                        expect(State.UPDATING)
                                .steps("PATCH /v3/ip_pools/" + POOL_C + " description=pool a " + MARK_PROD_A)),
                row(
                        "migration: an operator without owner id keeps the old marker as it is",
                        pool("a")
                                .recorded(POOL_C)
                                .description("pool a")
                                .ips(IP3)
                                .build(),
                        expect(State.AVAILABLE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pools")
    void eachOperatorWritesOnlyItsOwnPools(Case c) {
        Plan plan = PoolPlanner.plan(c.pool(), new PlanningContext(world(), List.of(c.pool()), List.of()));
        c.expect().verify(plan);
        if (c.pool().handOverFrom() == null) {
            assertThat(plan.steps().stream().map(Ownership::writtenPool)).doesNotContain(POOL_B);
        }
    }

    @Test
    void theCreatedPoolCarriesTheOwnerId() {
        DesiredPool n = pool("n").ownerId(PROD).ips(IP1).build();
        Plan plan = PoolPlanner.plan(n, new PlanningContext(world(), List.of(n), List.of()));
        MailgunStep.CreatePool create = (MailgunStep.CreatePool) plan.steps().get(0);
        assertThat(create.description()).endsWith("[managed-by: mailgun-ip-pool-operator uid=uid-n owner=prod]");
        assertThat(OwnershipMarker.marker(create.description())).contains(new OwnershipMarker.Marker("uid-n", PROD));
    }

    @Test
    void orphansAreOnlyThisOwnersAndLegacyMarkers() {
        PlanningContext ctx = new PlanningContext(world(), List.of(), List.of());
        // no IpPool is live: staging's pool is staging's, the unowned-format one may be prod's
        assertThat(StrayPools.orphans(ctx, Set.of(), PROD))
                .extracting(ObservedPool::id)
                .containsExactly(POOL_C);
        assertThat(StrayPools.orphans(ctx, Set.of(), STAGING))
                .extracting(ObservedPool::id)
                .containsExactly(POOL_B, POOL_C);
        assertThat(StrayPools.orphans(ctx, Set.of(), null))
                .extracting(ObservedPool::id)
                .containsExactly(POOL_B, POOL_C);
    }

    @Test
    void theSweepGuardNeverDeletesAnotherOwnersPool() {
        Ownership.Guard prod = Ownership.orphanRemoval(OwnerIdTest::world, Set.of(), PROD);
        Ownership.Guard staging = Ownership.orphanRemoval(OwnerIdTest::world, Set.of(), STAGING);
        MailgunStep delete = new MailgunStep.DeletePool(POOL_B, null, null);

        assertThat(prod.check(delete, List.of()))
                .map(Ownership.Refusal::message)
                .contains("pool " + POOL_B + " is not an orphan");
        assertThat(staging.check(delete, List.of())).isEqualTo(Optional.empty());
    }

    @Test
    void markersWithAndWithoutOwnerIdParse() {
        assertThat(OwnershipMarker.marker("text [managed-by: mailgun-ip-pool-operator uid=u1]"))
                .contains(new OwnershipMarker.Marker("u1", null));
        assertThat(OwnershipMarker.marker("text [managed-by: mailgun-ip-pool-operator uid=u1 owner=cluster-9]"))
                .contains(new OwnershipMarker.Marker("u1", "cluster-9"));
        assertThat(OwnershipMarker.userText("text [managed-by: mailgun-ip-pool-operator uid=u1 owner=cluster-9]"))
                .isEqualTo("text");
        assertThat(OwnershipMarker.markedElsewhere("x [managed-by: mailgun-ip-pool-operator uid=u1 owner=a]", "b"))
                .isTrue();
        assertThat(OwnershipMarker.markedElsewhere("x [managed-by: mailgun-ip-pool-operator uid=u1]", "b"))
                .isFalse();
        assertThat(OwnershipMarker.markedElsewhere("x [managed-by: mailgun-ip-pool-operator uid=u1 owner=a]", null))
                .isFalse();
    }
}
