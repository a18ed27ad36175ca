package dev.ippools.mailgun.plan;

import static dev.ippools.mailgun.plan.Fixtures.COLD;
import static dev.ippools.mailgun.plan.Fixtures.DOMAIN;
import static dev.ippools.mailgun.plan.Fixtures.FOREIGN;
import static dev.ippools.mailgun.plan.Fixtures.IP1;
import static dev.ippools.mailgun.plan.Fixtures.IP2;
import static dev.ippools.mailgun.plan.Fixtures.IP3;
import static dev.ippools.mailgun.plan.Fixtures.IP4;
import static dev.ippools.mailgun.plan.Fixtures.IP6;
import static dev.ippools.mailgun.plan.Fixtures.POOL_A;
import static dev.ippools.mailgun.plan.Fixtures.POOL_B;
import static dev.ippools.mailgun.plan.Fixtures.SHARED_ONLY;
import static dev.ippools.mailgun.plan.Fixtures.SUB_1;
import static dev.ippools.mailgun.plan.Fixtures.SUB_2;
import static dev.ippools.mailgun.plan.Fixtures.WARMING;
import static dev.ippools.mailgun.plan.Fixtures.account;
import static dev.ippools.mailgun.plan.Fixtures.binding;
import static dev.ippools.mailgun.plan.Fixtures.ctx;
import static dev.ippools.mailgun.plan.Fixtures.expect;
import static dev.ippools.mailgun.plan.Fixtures.pool;
import static dev.ippools.mailgun.plan.Fixtures.stamped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import dev.ippools.mailgun.plan.DesiredBinding.OnDelete;
import dev.ippools.mailgun.plan.Fixtures.Expect;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedDomain;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import dev.ippools.mailgun.plan.Plan.State;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PoolPlannerTest {

    private static final String A = "/v3/ip_pools/" + POOL_A;
    private static final String MARK_A = "[managed-by: mailgun-ip-pool-operator uid=uid-a]";

    /** One planner call: the pool under test, its context, what the plan must be. */
    record Case(DesiredPool pool, PlanningContext ctx, Expect expect) {}

    private static Arguments row(String name, DesiredPool pool, PlanningContext ctx, Expect expect) {
        return Arguments.of(named(name, new Case(pool, ctx, expect)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"identity", "diffs", "claims", "invalid", "modes", "deletion", "warmups"})
    void plansExactly(Case c) {
        c.expect().verify(PoolPlanner.plan(c.pool(), c.ctx()));
    }

    static Stream<Arguments> identity() {
        DesiredPool created = pool("a").recorded(POOL_A).ips(IP1, IP2).build();
        DesiredPool fresh = pool("a").ips(IP1, IP2).build();
        return Stream.of(
                row(
                        "no difference: zero steps (Mailgun rejects no-op PATCH)",
                        created,
                        ctx(account().owned(POOL_A, "a", IP1, IP2), List.of(created)),
                        expect(State.AVAILABLE)),
                row(
                        "create with the IPs free to claim",
                        fresh,
                        ctx(account(), List.of(fresh)),
                        expect(State.CREATING).steps("POST /v3/ip_pools name=a ips=[10.0.0.1, 10.0.0.2]")),
                row(
                        "crash recovery: marker found, so no second pool",
                        fresh,
                        ctx(account().owned(POOL_A, "a", IP1, IP2), List.of(fresh)),
                        expect(State.AVAILABLE).mentions("ownership marker")),
                row(
                        "crash recovery after a partial create: finish on the found pool",
                        fresh,
                        ctx(account().owned(POOL_A, "a", IP1), List.of(fresh)),
                        expect(State.UPDATING)
                                .steps("PUT " + A + "/ips/10.0.0.2")
                                .mentions("ownership marker")),
                row(
                        "recorded pool deleted behind our back: recreate",
                        created,
                        ctx(account(), List.of(created)),
                        expect(State.CREATING)
                                .steps("POST /v3/ip_pools name=a ips=[10.0.0.1, 10.0.0.2]")
                                .mentions("no longer exists")),
                row(
                        "adopt by spec.poolId: the marker is written first, the text kept",
                        pool("a")
                                .adopt(FOREIGN)
                                .name(null)
                                .description(null)
                                .ips(IP3)
                                .build(),
                        ctx(account().foreign(FOREIGN, "legacy", IP3), List.of()),
                        expect(State.UPDATING)
                                .steps("PATCH /v3/ip_pools/" + FOREIGN + " description=legacy legacy " + MARK_A)
                                .mentions("adopting pool " + FOREIGN)),
                row(
                        "adopt by spec.poolId: adopted and marked",
                        pool("a")
                                .adopt(FOREIGN)
                                .name(null)
                                .description(null)
                                .ips(IP3)
                                .build(),
                        ctx(
                                account()
                                        .pool(new ObservedPool(
                                                FOREIGN,
                                                "legacy",
                                                stamped("legacy", "uid-a"),
                                                Set.of(IP3),
                                                false,
                                                false,
                                                null)),
                                List.of()),
                        expect(State.AVAILABLE).mentions("adopting pool " + FOREIGN)),
                row(
                        "adopt by spec.poolId with Overwrite: renamed and marked in one PATCH",
                        pool("a")
                                .adopt(FOREIGN)
                                .overwrite()
                                .description(null)
                                .ips(IP3)
                                .build(),
                        ctx(account().foreign(FOREIGN, "legacy", IP3), List.of()),
                        expect(State.UPDATING)
                                .steps("PATCH /v3/ip_pools/" + FOREIGN + " name=a description=legacy legacy "
                                        + MARK_A)),
                row(
                        "adopt by spec.poolId: another name waits for consent, nothing written",
                        pool("a").adopt(FOREIGN).description(null).ips(IP3).build(),
                        ctx(account().foreign(FOREIGN, "legacy", IP3), List.of()),
                        expect(State.ADOPTION_WOULD_CHANGE)
                                .conflicts(1)
                                .mentions(
                                        "adopting pool " + FOREIGN + " would change it",
                                        "name is \"legacy\", the spec says \"a\"",
                                        "spec.adoption: Overwrite")),
                row(
                        "adopt by spec.poolId: other IPs and text wait for consent, each difference listed",
                        pool("a")
                                .adopt(FOREIGN)
                                .name("legacy")
                                .description("new text")
                                .ips(IP3, IP4)
                                .build(),
                        ctx(account().foreign(FOREIGN, "legacy", IP3), List.of()),
                        expect(State.ADOPTION_WOULD_CHANGE)
                                .conflicts(1)
                                .mentions(
                                        "IPs [10.0.0.4] are not in the pool",
                                        "description is \"legacy legacy\", the spec says \"new text\"")),
                row(
                        "adopt by spec.poolId: IPs it would drop from a linked pool move its domains",
                        pool("a")
                                .adopt(FOREIGN)
                                .name("legacy")
                                .description(null)
                                .ips(IP4)
                                .build(),
                        ctx(
                                account()
                                        .pool(new ObservedPool(
                                                FOREIGN,
                                                "legacy",
                                                "legacy legacy",
                                                Set.of(IP3),
                                                false,
                                                true,
                                                Set.of("mail.example.com"))),
                                List.of()),
                        expect(State.ADOPTION_WOULD_CHANGE)
                                .conflicts(1)
                                .mentions(
                                        "IPs [10.0.0.3] are in the pool but not in the spec",
                                        "the domains linked to it would move to other IPs")),
                row(
                        "adopt by spec.poolId: a delegation it would revoke waits for consent",
                        pool("a")
                                .adopt(FOREIGN)
                                .name("legacy")
                                .description(null)
                                .ips(IP3)
                                .build(),
                        ctx(
                                account()
                                        .foreign(FOREIGN, "legacy", IP3)
                                        .delegated(FOREIGN, "6a1b2c3d4e5f60718293a4b5"),
                                List.of()),
                        expect(State.ADOPTION_WOULD_CHANGE)
                                .conflicts(1)
                                .mentions(
                                        "delegated to [6a1b2c3d4e5f60718293a4b5], which the spec does not" + " list")),
                row(
                        "adopt by spec.poolId: not found",
                        pool("a").adopt(FOREIGN).ips(IP3).build(),
                        ctx(account(), List.of()),
                        expect(State.INVALID).problems(1).mentions("pool " + FOREIGN + " not found")),
                row(
                        "spec.poolId changed after the id was recorded",
                        pool("a").recorded(POOL_A).adopt(FOREIGN).ips(IP1).build(),
                        ctx(account().owned(POOL_A, "a", IP1).foreign(FOREIGN, "legacy", IP3), List.of()),
                        expect(State.INVALID).problems(1).mentions("identity cannot change")),
                row(
                        "two IpPools adopt one pool: the later one gets Conflict",
                        pool("b").createdAt(10).adopt(FOREIGN).ips(IP3).build(),
                        ctx(
                                account().foreign(FOREIGN, "legacy", IP3),
                                List.of(pool("a").adopt(FOREIGN).ips(IP3).build())),
                        expect(State.CONFLICT).conflicts(1).mentions("already managed by IpPool mail/a")));
    }

    static Stream<Arguments> diffs() {
        return Stream.of(
                row(
                        "name change: one PATCH with only the name",
                        pool("a").recorded(POOL_A).name("senders").ips(IP1).build(),
                        ctx(account().owned(POOL_A, "a", IP1), List.of()),
                        expect(State.UPDATING).steps("PATCH " + A + " name=senders")),
                row(
                        "description change: one PATCH with only the stamped description",
                        pool("a")
                                .recorded(POOL_A)
                                .description("EU senders")
                                .ips(IP1)
                                .build(),
                        ctx(account().owned(POOL_A, "a", IP1), List.of()),
                        expect(State.UPDATING)
                                .steps("PATCH "
                                        + A
                                        + " description=EU senders"
                                        + " [managed-by: mailgun-ip-pool-operator uid=uid-a]")),
                row(
                        "name and description change: still one PATCH",
                        pool("a")
                                .recorded(POOL_A)
                                .name("senders")
                                .description("EU")
                                .ips(IP1)
                                .build(),
                        ctx(account().owned(POOL_A, "a", IP1), List.of()),
                        expect(State.UPDATING)
                                .steps("PATCH "
                                        + A
                                        + " name=senders description=EU"
                                        + " [managed-by: mailgun-ip-pool-operator uid=uid-a]")),
                row(
                        "several IPs to add: one ips.json call",
                        pool("a").recorded(POOL_A).ips(IP1, IP4, IP3, IP6).build(),
                        ctx(account().owned(POOL_A, "a", IP1), List.of()),
                        expect(State.UPDATING).steps("POST " + A + "/ips.json ips=[10.0.0.3, 10.0.0.4, 2001:db8::1]")),
                row(
                        "IPv6 spelled differently is the same address",
                        pool("a").recorded(POOL_A).ips("2001:DB8:0:0::1").build(),
                        ctx(account().owned(POOL_A, "a", IP6), List.of()),
                        expect(State.AVAILABLE)),
                row(
                        "patch, then adds, then removes, then delegations",
                        pool("a")
                                .recorded(POOL_A)
                                .name("senders")
                                .ips(IP3, IP4)
                                .delegatedTo(SUB_1)
                                .build(),
                        ctx(
                                account()
                                        .owned(POOL_A, "a", IP1, IP2)
                                        .linked(POOL_A)
                                        .delegated(POOL_A, SUB_2),
                                List.of()),
                        expect(State.UPDATING)
                                .steps(
                                        "PATCH " + A + " name=senders",
                                        "POST " + A + "/ips.json ips=[10.0.0.3, 10.0.0.4]",
                                        "DELETE " + A + "/ips/10.0.0.1",
                                        "DELETE " + A + "/ips/10.0.0.2",
                                        "PUT " + A + "/delegate subaccount_id=" + SUB_1,
                                        "DELETE " + A + "/delegate subaccount_id=" + SUB_2)),
                row(
                        "delegations already match: nothing to do",
                        pool("a")
                                .recorded(POOL_A)
                                .ips(IP1)
                                .delegatedTo(SUB_1, SUB_2)
                                .build(),
                        ctx(account().owned(POOL_A, "a", IP1).delegated(POOL_A, SUB_2, SUB_1), List.of()),
                        expect(State.AVAILABLE)),
                row(
                        "a delegation Mailgun accepted but does not list yet: relinking, not sent again",
                        pool("a").recorded(POOL_A).ips(IP1).delegatedTo(SUB_1).build(),
                        ctx(
                                account()
                                        .owned(POOL_A, "a", IP1)
                                        .delegated(POOL_A, SUB_1)
                                        .propagating(POOL_A, SUB_1),
                                List.of()),
                        expect(State.RELINKING)
                                .relinking(true)
                                .mentions("propagating the delegation to subaccount " + SUB_1)),
                row(
                        "a revocation Mailgun accepted but does not list yet: relinking, not sent again",
                        pool("a").recorded(POOL_A).ips(IP1).build(),
                        ctx(account().owned(POOL_A, "a", IP1).propagating(POOL_A, SUB_2), List.of()),
                        expect(State.RELINKING)
                                .relinking(true)
                                .mentions("propagating the revocation from subaccount " + SUB_2)),
                row(
                        "linked pool swapping its only IP: add first, then remove",
                        pool("a").recorded(POOL_A).ips(IP2).build(),
                        ctx(account().owned(POOL_A, "a", IP1).linked(POOL_A), List.of()),
                        expect(State.UPDATING).steps("PUT " + A + "/ips/10.0.0.2", "DELETE " + A + "/ips/10.0.0.1")),
                row(
                        "linked pool whose new IP cannot come yet keeps its last IP",
                        pool("a").recorded(POOL_A).ips(IP3).build(),
                        ctx(
                                account().owned(POOL_A, "a", IP1).linked(POOL_A).owned(POOL_B, "b", IP3),
                                List.of(pool("b").recorded(POOL_B).build())),
                        expect(State.WAITING).waits(2).mentions("wait for mail/b", "keeping IP 10.0.0.1")),
                row(
                        "unlinked pool may go empty while its new IP is held",
                        pool("a").recorded(POOL_A).ips(IP3).build(),
                        ctx(
                                account().owned(POOL_A, "a", IP1).owned(POOL_B, "b", IP3),
                                List.of(pool("b").recorded(POOL_B).build())),
                        expect(State.UPDATING)
                                .steps("DELETE " + A + "/ips/10.0.0.1")
                                .waits(1)),
                row(
                        "linked domains still on old IPs: Relinking",
                        pool("a").recorded(POOL_A).ips(IP1, IP2).build(),
                        ctx(
                                account()
                                        .owned(POOL_A, "a", IP1, IP2)
                                        .linked(POOL_A)
                                        .domain(DOMAIN, POOL_A, IP1),
                                List.of()),
                        expect(State.RELINKING).relinking(true).mentions(DOMAIN)),
                row(
                        "linked domains caught up: Available",
                        pool("a").recorded(POOL_A).ips(IP1, IP2).build(),
                        ctx(
                                account()
                                        .owned(POOL_A, "a", IP1, IP2)
                                        .linked(POOL_A)
                                        .domain(DOMAIN, POOL_A, IP2, IP1),
                                List.of()),
                        expect(State.AVAILABLE).relinking(false)),
                row(
                        "steps while relinking: Updating, relinking still reported",
                        pool("a").recorded(POOL_A).ips(IP1, IP2, IP3).build(),
                        ctx(account().owned(POOL_A, "a", IP1, IP2).domain(DOMAIN, POOL_A, IP1), List.of()),
                        expect(State.UPDATING)
                                .steps("PUT " + A + "/ips/10.0.0.3")
                                .relinking(true)));
    }

    static Stream<Arguments> claims() {
        DesiredPool b = pool("b").createdAt(10).recorded(POOL_B).ips(IP3).build();
        return Stream.of(
                row(
                        "IP held by an unmanaged pool: Conflict, other IPs still planned",
                        pool("a").recorded(POOL_A).ips(IP1, IP2, IP3).build(),
                        ctx(account().owned(POOL_A, "a", IP1).foreign(FOREIGN, "legacy", IP3), List.of()),
                        expect(State.UPDATING)
                                .steps("PUT " + A + "/ips/10.0.0.2")
                                .conflicts(1)
                                .mentions("does not manage")),
                row(
                        "IP held by an unmanaged pool and nothing else to do: Conflict",
                        pool("a").recorded(POOL_A).ips(IP1, IP3).build(),
                        ctx(account().owned(POOL_A, "a", IP1).foreign(FOREIGN, "legacy", IP3), List.of()),
                        expect(State.CONFLICT).conflicts(1).mentions(FOREIGN)),
                row(
                        "IP held by a sibling that still wants it and claimed first",
                        pool("c")
                                .createdAt(20)
                                .recorded(Fixtures.POOL_C)
                                .ips(IP3)
                                .build(),
                        ctx(account().owned(Fixtures.POOL_C, "c").owned(POOL_B, "b", IP3), List.of(b)),
                        expect(State.CONFLICT).conflicts(1).mentions("IpPool mail/b, which claimed it first")),
                row(
                        "IP held by a sibling in Observe mode: Conflict",
                        pool("a").recorded(POOL_A).ips(IP3).build(),
                        ctx(
                                account().owned(POOL_A, "a").owned(POOL_B, "b", IP3),
                                List.of(pool("b")
                                        .createdAt(10)
                                        .recorded(POOL_B)
                                        .observe()
                                        .build())),
                        expect(State.CONFLICT).conflicts(1).mentions("Observe mode")),
                row(
                        "IP held by a sibling being deleted: wait for it",
                        pool("a").recorded(POOL_A).ips(IP3).build(),
                        ctx(
                                account().owned(POOL_A, "a").owned(POOL_B, "b", IP3),
                                List.of(pool("b")
                                        .recorded(POOL_B)
                                        .ips(IP3)
                                        .deleting()
                                        .build())),
                        expect(State.WAITING).waits(1).mentions("wait for mail/b", "being deleted")),
                row(
                        "two new pools want one free IP: the later one does not add it",
                        pool("b").createdAt(10).ips(IP4, IP3).build(),
                        ctx(account(), List.of(pool("a").ips(IP4).build())),
                        expect(State.CREATING)
                                .steps("POST /v3/ip_pools name=b ips=[10.0.0.3]")
                                .conflicts(1)
                                .mentions("IpPool mail/a, which claimed it first")),
                row(
                        "a sibling with an invalid spec claims nothing",
                        pool("b").createdAt(10).ips(IP4).build(),
                        ctx(account(), List.of(pool("a").ips(IP4, "10.0.0.300").build())),
                        expect(State.CREATING).steps("POST /v3/ip_pools name=b ips=[10.0.0.4]")));
    }

    static Stream<Arguments> warmups() {
        String waiting = "IP " + WARMING + " waits for warm-up (stage 3 of 20, 40% of the stage sent,"
                + " stage started 2026-01-01T00:00:00Z, warm-up started 2025-12-30T00:00:00Z)";
        return Stream.of(
                row(
                        "a warming IP is left out, the warm one added: waiting, not invalid",
                        pool("a").recorded(POOL_A).ips(IP1, IP2, WARMING).build(),
                        ctx(account().owned(POOL_A, "a", IP1).warming(WARMING, 3, 20, "40%"), List.of()),
                        expect(State.UPDATING)
                                .steps("PUT " + A + "/ips/10.0.0.2")
                                .warmups(waiting)),
                row(
                        "the rest applied: only the warm-up is left",
                        pool("a").recorded(POOL_A).ips(IP1, WARMING).build(),
                        ctx(account().owned(POOL_A, "a", IP1).warming(WARMING, 3, 20, "40%"), List.of()),
                        expect(State.WAITING_FOR_WARMUP).warmups(waiting)),
                row(
                        "progress not read yet",
                        pool("a").recorded(POOL_A).ips(IP1, WARMING).build(),
                        ctx(account().owned(POOL_A, "a", IP1), List.of()),
                        expect(State.WAITING_FOR_WARMUP)
                                .warmups("IP " + WARMING + " waits for warm-up (stage not read yet)")),
                row(
                        "renamed and delegated while an IP warms up",
                        pool("a")
                                .recorded(POOL_A)
                                .name("renamed")
                                .ips(IP1, WARMING)
                                .delegatedTo(SUB_1)
                                .build(),
                        ctx(account().owned(POOL_A, "a", IP1), List.of()),
                        expect(State.UPDATING)
                                .steps("PATCH " + A + " name=renamed", "PUT " + A + "/delegate subaccount_id=" + SUB_1)
                                .warmups("IP " + WARMING + " waits for warm-up (stage not read yet)")),
                row(
                        "a new pool is created with its warm IPs only",
                        pool("a").ips(IP1, WARMING).build(),
                        ctx(account(), List.of()),
                        expect(State.CREATING)
                                .steps("POST /v3/ip_pools name=a ips=[10.0.0.1]")
                                .warmups("IP " + WARMING + " waits for warm-up (stage not read yet)")),
                row(
                        "warm now: added",
                        pool("a").recorded(POOL_A).ips(IP1, IP2).build(),
                        ctx(account().owned(POOL_A, "a", IP1), List.of()),
                        expect(State.UPDATING).steps("PUT " + A + "/ips/10.0.0.2")),
                row(
                        "a new IP without spec.warmup: Start is a problem that says how to fix it",
                        pool("a").recorded(POOL_A).ips(IP1, COLD).build(),
                        ctx(account().owned(POOL_A, "a", IP1), List.of()),
                        expect(State.INVALID).problems(1).mentions("set spec.warmup: Start")),
                row(
                        "spec.warmup: Start: a new IP's warm-up is started by a step of the plan",
                        pool("a")
                                .recorded(POOL_A)
                                .ips(IP1, COLD)
                                .startsWarmups()
                                .build(),
                        ctx(account().owned(POOL_A, "a", IP1), List.of()),
                        expect(State.UPDATING)
                                .steps("POST /v3/ip_warmups/" + COLD)
                                .warmups("IP " + COLD + " waits for warm-up (to be started: spec.warmup is"
                                        + " Start)")),
                row(
                        "spec.warmup: Start: the pool's own changes come before the warm-up start",
                        pool("a")
                                .recorded(POOL_A)
                                .ips(IP1, IP2, COLD)
                                .startsWarmups()
                                .build(),
                        ctx(account().owned(POOL_A, "a", IP1), List.of()),
                        expect(State.UPDATING)
                                .steps("PUT " + A + "/ips/10.0.0.2", "POST /v3/ip_warmups/" + COLD)
                                .warmups("IP " + COLD + " waits for warm-up (to be started: spec.warmup is"
                                        + " Start)")),
                row(
                        "spec.warmup: Start: a new pool is created, then the warm-up started",
                        pool("a").ips(IP1, COLD).startsWarmups().build(),
                        ctx(account(), List.of()),
                        expect(State.CREATING)
                                .steps("POST /v3/ip_pools name=a ips=[10.0.0.1]", "POST /v3/ip_warmups/" + COLD)
                                .warmups("IP " + COLD + " waits for warm-up (to be started: spec.warmup is"
                                        + " Start)")),
                row(
                        "a warm-up it started for an IP no longer listed is cancelled by a step",
                        pool("a")
                                .recorded(POOL_A)
                                .ips(IP1)
                                .startsWarmups(WARMING)
                                .build(),
                        ctx(account().owned(POOL_A, "a", IP1), List.of()),
                        expect(State.UPDATING).steps("DELETE /v3/ip_warmups/" + WARMING)),
                row(
                        "spec.warmup: Start: one already started is never started again",
                        pool("a")
                                .recorded(POOL_A)
                                .ips(IP1, COLD)
                                .startsWarmups(COLD)
                                .build(),
                        ctx(account().owned(POOL_A, "a", IP1), List.of()),
                        expect(State.WAITING_FOR_WARMUP)
                                .warmups("IP " + COLD + " waits for warm-up (started by the operator; Mailgun"
                                        + " does not show it warming up yet, and if it was cancelled in Mailgun,"
                                        + " start it again there)")),
                row(
                        "spec.warmup: Start leaves warm and warming IPs alone",
                        pool("a")
                                .recorded(POOL_A)
                                .ips(IP1, IP2, WARMING)
                                .startsWarmups()
                                .build(),
                        ctx(account().owned(POOL_A, "a", IP1, IP2), List.of()),
                        expect(State.WAITING_FOR_WARMUP)
                                .warmups("IP " + WARMING + " waits for warm-up (stage not read yet)")),
                row(
                        "a pool that already holds a warming IP keeps it",
                        pool("a").recorded(POOL_A).ips(WARMING).build(),
                        ctx(account().owned(POOL_A, "a", WARMING), List.of()),
                        expect(State.AVAILABLE)),
                row(
                        "a conflict still wins over waiting for warm-up",
                        pool("a").recorded(POOL_A).ips(IP3, WARMING).build(),
                        ctx(account().owned(POOL_A, "a").foreign(FOREIGN, "legacy", IP3), List.of()),
                        expect(State.CONFLICT)
                                .conflicts(1)
                                .warmups("IP " + WARMING + " waits for warm-up (stage not read yet)")));
    }

    @Test
    void cancelsOnlyWarmupsItStartedForIpsNoLongerListed() {
        PlanningContext ctx = ctx(account().owned(POOL_A, "a", IP1), List.of());

        assertThat(Warmups.toCancel(
                        pool("a")
                                .recorded(POOL_A)
                                .ips(IP1)
                                .startsWarmups(WARMING)
                                .build(),
                        ctx))
                .containsExactly(WARMING);
        assertThat(Warmups.toCancel(
                        pool("a").recorded(POOL_A).ips(IP1).startsWarmups().build(), ctx))
                .as("a warm-up started by someone else")
                .isEmpty();
        assertThat(Warmups.toCancel(
                        pool("a")
                                .recorded(POOL_A)
                                .ips(IP1, WARMING)
                                .startsWarmups(WARMING)
                                .build(),
                        ctx))
                .as("still listed")
                .isEmpty();
        assertThat(Warmups.toCancel(
                        pool("a").recorded(POOL_A).ips(IP1).startsWarmups(COLD).build(), ctx))
                .as("no longer warming")
                .isEmpty();
    }

    static Stream<Arguments> invalid() {
        DesiredPool valid = pool("a").recorded(POOL_A).ips(IP1).build();
        PlanningContext owned = ctx(account().owned(POOL_A, "a", IP1), List.of());
        return Stream.of(
                row(
                        "invalid IP syntax",
                        pool("a").recorded(POOL_A).ips(IP1, "10.0.0.256").build(),
                        owned,
                        expect(State.INVALID).problems(1).mentions("not a valid IPv4 or IPv6 address")),
                row(
                        "IP not dedicated",
                        pool("a").recorded(POOL_A).ips(IP1, SHARED_ONLY).build(),
                        owned,
                        expect(State.INVALID).problems(1).mentions("not a dedicated IP")),
                row(
                        "IP not on the account",
                        pool("a").recorded(POOL_A).ips(IP1, "198.51.100.7").build(),
                        owned,
                        expect(State.INVALID).problems(1).mentions("not an IP of this Mailgun account")),
                row(
                        "create with an IP not on the account: invalid, no POST",
                        pool("a").ips(IP1, "198.51.100.7").build(),
                        ctx(account(), List.of()),
                        expect(State.INVALID).problems(1).mentions("not an IP of this Mailgun account")),
                row(
                        "DIPPs feature off",
                        valid,
                        ctx(account().owned(POOL_A, "a", IP1).dippsOff(), List.of()),
                        expect(State.INVALID).problems(1).mentions("DIPPs")),
                row(
                        "invalid spec is never planned, even for create",
                        pool("a").ips("shared").build(),
                        ctx(account(), List.of()),
                        expect(State.INVALID).problems(1).mentions("\"shared\" is not an address")),
                row(
                        "linked pool emptied by the spec",
                        pool("a").recorded(POOL_A).ips().build(),
                        ctx(account().owned(POOL_A, "a", IP1).linked(POOL_A), List.of()),
                        expect(State.INVALID).problems(1).mentions("must keep at least one IP")),
                row(
                        "unlinked pool emptied by the spec is fine",
                        pool("a").recorded(POOL_A).ips().build(),
                        ctx(account().owned(POOL_A, "a", IP1), List.of()),
                        expect(State.UPDATING).steps("DELETE " + A + "/ips/10.0.0.1")));
    }

    static Stream<Arguments> modes() {
        ObservedPool inherited = new ObservedPool(FOREIGN, "parent", "from parent", Set.of(IP3), true, true, null);
        return Stream.of(
                row(
                        "inherited pool that matches: Available, no writes",
                        pool("a")
                                .adopt(FOREIGN)
                                .name(null)
                                .description(null)
                                .ips(IP3)
                                .build(),
                        ctx(account().pool(inherited), List.of()),
                        expect(State.AVAILABLE)),
                row(
                        "inherited pool that differs: Conflict, read-only",
                        pool("a")
                                .adopt(FOREIGN)
                                .name("mine")
                                .description(null)
                                .ips(IP3)
                                .build(),
                        ctx(account().pool(inherited), List.of()),
                        expect(State.CONFLICT).conflicts(1).mentions("read-only", "name is \"parent\"")),
                row(
                        "Observe: drift reported in notes, zero steps",
                        pool("a")
                                .observe()
                                .adopt(FOREIGN)
                                .name("mine")
                                .ips(IP3, IP4)
                                .build(),
                        ctx(account().foreign(FOREIGN, "legacy", IP3), List.of()),
                        expect(State.OBSERVED)
                                .mentions("drift: name is \"legacy\"", "drift: IPs [10.0.0.4] are not in the pool")),
                row(
                        "Observe without a pool to import",
                        pool("a").observe().ips(IP3).build(),
                        ctx(account(), List.of()),
                        expect(State.INVALID).problems(1).mentions("set spec.poolId")));
    }

    static Stream<Arguments> deletion() {
        PlanningContext linkedA = ctx(
                account().owned(POOL_A, "a", IP1).linked(POOL_A).owned(POOL_B, "b", IP2),
                List.of(pool("b").recorded(POOL_B).ips(IP2).build()));
        DesiredPool deletingA = pool("a").recorded(POOL_A).ips(IP1).deleting().build();
        return Stream.of(
                row(
                        "Orphan: removes only its ownership marker, the pool stays",
                        pool("a").recorded(POOL_A).ips(IP1).deleting().orphan().build(),
                        linkedA,
                        expect(State.DELETING)
                                .steps("PATCH /v3/ip_pools/" + POOL_A + " description=pool a")
                                .mentions("Orphan")),
                row(
                        "Orphan once the marker is gone: nothing more to call",
                        pool("a").recorded(POOL_A).ips(IP1).deleting().orphan().build(),
                        ctx(account().foreign(POOL_A, "a", IP1), List.of()),
                        expect(State.DELETED).mentions("Orphan")),
                row(
                        "Orphan of a pool marked with no text: the name keeps the description non-empty",
                        pool("a").recorded(POOL_A).ips(IP1).deleting().orphan().build(),
                        ctx(
                                account()
                                        .pool(new ObservedPool(
                                                POOL_A, "a", stamped("", "uid-a"), Set.of(IP1), false, false, null)),
                                List.of()),
                        expect(State.DELETING).steps("PATCH /v3/ip_pools/" + POOL_A + " description=a")),
                row(
                        "never created: nothing to delete",
                        pool("a").ips(IP1).deleting().build(),
                        ctx(account(), List.of()),
                        expect(State.DELETED)),
                row(
                        "already gone from Mailgun",
                        deletingA,
                        ctx(account(), List.of()),
                        expect(State.DELETED).mentions("already gone")),
                row(
                        "Observe: never calls Mailgun",
                        pool("a").adopt(FOREIGN).observe().deleting().build(),
                        ctx(account().foreign(FOREIGN, "legacy", IP3), List.of()),
                        expect(State.DELETED)),
                row(
                        "inherited pool is left in place",
                        pool("a").adopt(FOREIGN).deleting().build(),
                        ctx(account().foreign(FOREIGN, "legacy", IP3).inherited(FOREIGN), List.of()),
                        expect(State.DELETED).mentions("read-only")),
                row(
                        "still bound: blocked, naming the bindings in order",
                        deletingA,
                        ctx(
                                account().owned(POOL_A, "a", IP1),
                                List.of(),
                                List.of(
                                        binding("web").poolRef("a").build(),
                                        binding("gone")
                                                .poolRef("a")
                                                .deleting(OnDelete.UNLINK)
                                                .build(),
                                        binding("api").poolId(POOL_A).build(),
                                        binding("other").poolRef("b").build())),
                        expect(State.DELETION_BLOCKED)
                                .waitsOn("mail/api", "mail/web")
                                .mentions("still used by DomainPoolBinding mail/api")),
                row(
                        "linked with IPs and no replacement: blocked with what to set",
                        deletingA,
                        linkedA,
                        expect(State.DELETION_BLOCKED)
                                .waits(1)
                                .mentions("set spec.replacement.poolRef.name, spec.replacement.poolId or"
                                        + " spec.replacement.ip (\"shared\" for a shared IP)")),
                row(
                        "linked, replacement poolRef with IPs",
                        pool("a")
                                .recorded(POOL_A)
                                .deleting()
                                .replacement(new Replacement.PoolRef("b"))
                                .build(),
                        linkedA,
                        expect(State.DELETING).steps("DELETE " + A + "?pool_id=" + POOL_B)),
                row(
                        "linked, replacement poolRef without IPs yet: wait",
                        pool("a")
                                .recorded(POOL_A)
                                .deleting()
                                .replacement(new Replacement.PoolRef("b"))
                                .build(),
                        ctx(
                                account().owned(POOL_A, "a", IP1).linked(POOL_A).owned(POOL_B, "b"),
                                List.of(pool("b").recorded(POOL_B).build())),
                        expect(State.DELETION_BLOCKED).waits(1).mentions("wait for mail/b", "no IPs")),
                row(
                        "linked, replacement poolRef to a missing IpPool: wait",
                        pool("a")
                                .recorded(POOL_A)
                                .deleting()
                                .replacement(new Replacement.PoolRef("z"))
                                .build(),
                        linkedA,
                        expect(State.DELETION_BLOCKED).waits(1).mentions("wait for mail/z")),
                row(
                        "linked, replacement poolId",
                        pool("a")
                                .recorded(POOL_A)
                                .deleting()
                                .replacement(new Replacement.PoolId(POOL_B))
                                .build(),
                        linkedA,
                        expect(State.DELETING).steps("DELETE " + A + "?pool_id=" + POOL_B)),
                row(
                        "linked, replacement poolId not on the account",
                        pool("a")
                                .recorded(POOL_A)
                                .deleting()
                                .replacement(new Replacement.PoolId(FOREIGN))
                                .build(),
                        linkedA,
                        expect(State.INVALID).problems(1).mentions("not found")),
                row(
                        "linked, replacement IP",
                        pool("a")
                                .recorded(POOL_A)
                                .deleting()
                                .replacement(new Replacement.Ip(IP4))
                                .build(),
                        linkedA,
                        expect(State.DELETING).steps("DELETE " + A + "?ip=10.0.0.4")),
                row(
                        "linked, replacement IP held by another pool: wait",
                        pool("a")
                                .recorded(POOL_A)
                                .deleting()
                                .replacement(new Replacement.Ip(IP2))
                                .build(),
                        linkedA,
                        expect(State.DELETION_BLOCKED).waits(1).mentions("no other pool")),
                row(
                        "linked, replacement shared IP",
                        pool("a")
                                .recorded(POOL_A)
                                .deleting()
                                .replacement(new Replacement.Ip("shared"))
                                .build(),
                        linkedA,
                        expect(State.DELETING).steps("DELETE " + A + "?ip=shared")),
                row(
                        "unlinked with IPs and no replacement: empty it, then delete",
                        pool("a").recorded(POOL_A).deleting().build(),
                        ctx(account().owned(POOL_A, "a", IP2, IP1), List.of()),
                        expect(State.DELETING)
                                .steps(
                                        "DELETE " + A + "/ips/10.0.0.1",
                                        "DELETE " + A + "/ips/10.0.0.2",
                                        "DELETE " + A)),
                row(
                        "empty pool: plain delete",
                        pool("a").recorded(POOL_A).deleting().build(),
                        ctx(account().owned(POOL_A, "a").linked(POOL_A), List.of()),
                        expect(State.DELETING).steps("DELETE " + A)),
                row(
                        "pool also owned by a live sibling is left in place",
                        pool("a").adopt(FOREIGN).deleting().build(),
                        ctx(
                                account().foreign(FOREIGN, "legacy", IP3),
                                List.of(pool("b").adopt(FOREIGN).ips(IP3).build())),
                        expect(State.DELETED).mentions("also managed by IpPool mail/b")));
    }

    @Test
    void createStampsTheOwnershipMarker() {
        DesiredPool fresh = pool("a").description("EU senders").ips(IP1).build();
        Plan plan = PoolPlanner.plan(fresh, ctx(account(), List.of(fresh)));
        assertThat(plan.steps())
                .containsExactly(new MailgunStep.CreatePool(
                        "a", "EU senders [managed-by: mailgun-ip-pool-operator uid=uid-a]", List.of(IP1)));
        assertThat(plan.poolId()).isNull();
    }

    /** Crash between POST and recording the id, in every shape the found pool may have. */
    @ParameterizedTest(name = "found pool holds {0}")
    @ValueSource(strings = {"", IP1, IP1 + "," + IP2, IP2 + "," + IP3})
    void markerMatchNeverCreatesASecondPool(String held) {
        String[] ips = held.isEmpty() ? new String[0] : held.split(",");
        DesiredPool fresh = pool("a").ips(IP1, IP2).build();
        Plan plan = PoolPlanner.plan(fresh, ctx(account().owned(POOL_A, "a", ips), List.of(fresh)));
        assertThat(plan.steps()).noneMatch(s -> s instanceof MailgunStep.CreatePool);
        assertThat(plan.poolId()).isEqualTo(POOL_A);
    }

    @ParameterizedTest(name = "B created {0}s after A")
    @ValueSource(ints = {-10, 10})
    void ipMovesBetweenTwoOwnedPoolsInOneChange(int bAfterA) {
        // A drops IP2, B now wants it; who was created first does not matter
        DesiredPool a = pool("a").recorded(POOL_A).ips(IP1).build();
        DesiredPool b =
                pool("b").createdAt(bAfterA).recorded(POOL_B).ips(IP3, IP2).build();
        ObservedAccount before =
                account().owned(POOL_A, "a", IP1, IP2).owned(POOL_B, "b", IP3).build();
        PlanningContext first = new PlanningContext(before, List.of(a, b), List.of());

        Plan planB = PoolPlanner.plan(b, first);
        expect(State.WAITING)
                .waits(1)
                .mentions("wait for mail/a", "no longer wants it")
                .verify(planB);
        Plan planA = PoolPlanner.plan(a, first);
        expect(State.UPDATING).steps("DELETE " + A + "/ips/10.0.0.2").verify(planA);

        ObservedAccount afterA = Fixtures.apply(before, planA.steps());
        PlanningContext second = new PlanningContext(afterA, List.of(a, b), List.of());
        expect(State.UPDATING)
                .steps("PUT /v3/ip_pools/" + POOL_B + "/ips/10.0.0.2")
                .verify(PoolPlanner.plan(b, second));
        expect(State.AVAILABLE).verify(PoolPlanner.plan(a, second));
    }

    @Test
    void firstClaimWinsWhenItHoldsTheIp() {
        DesiredPool a = pool("a").recorded(POOL_A).ips(IP2).build();
        DesiredPool b = pool("b").createdAt(10).recorded(POOL_B).ips(IP3, IP2).build();
        PlanningContext ctx = ctx(account().owned(POOL_A, "a", IP2).owned(POOL_B, "b", IP3), List.of(a, b));
        expect(State.AVAILABLE).verify(PoolPlanner.plan(a, ctx));
        expect(State.CONFLICT)
                .conflicts(1)
                .mentions("mail/a, which claimed it first")
                .verify(PoolPlanner.plan(b, ctx));
    }

    @Test
    void laterClaimerThatHoldsTheIpReleasesItAndNeverTakesItBack() {
        // B (younger) holds IP2; A (older) starts wanting it too
        DesiredPool a = pool("a").recorded(POOL_A).ips(IP1, IP2).build();
        DesiredPool b = pool("b").createdAt(10).recorded(POOL_B).ips(IP3, IP2).build();
        ObservedAccount state =
                account().owned(POOL_A, "a", IP1).owned(POOL_B, "b", IP3, IP2).build();
        PlanningContext round1 = new PlanningContext(state, List.of(a, b), List.of());
        expect(State.WAITING)
                .waits(1)
                .mentions("wait for mail/b", "must release it")
                .verify(PoolPlanner.plan(a, round1));
        Plan releaseB = PoolPlanner.plan(b, round1);
        expect(State.UPDATING)
                .steps("DELETE /v3/ip_pools/" + POOL_B + "/ips/10.0.0.2")
                .conflicts(1)
                .mentions("claimed it first; releasing it")
                .verify(releaseB);

        state = Fixtures.apply(state, releaseB.steps());
        PlanningContext round2 = new PlanningContext(state, List.of(a, b), List.of());
        Plan addA = PoolPlanner.plan(a, round2);
        expect(State.UPDATING).steps("PUT " + A + "/ips/10.0.0.2").verify(addA);
        expect(State.CONFLICT).conflicts(1).verify(PoolPlanner.plan(b, round2));

        state = Fixtures.apply(state, addA.steps());
        PlanningContext steady = new PlanningContext(state, List.of(a, b), List.of());
        expect(State.AVAILABLE).verify(PoolPlanner.plan(a, steady));
        expect(State.CONFLICT).conflicts(1).mentions("mail/a").verify(PoolPlanner.plan(b, steady));
    }

    /** Plans every pool round after round against the test Mailgun until nothing changes. */
    @Test
    void siblingsConvergeWithoutFlipFlop() {
        List<DesiredPool> pools = List.of(
                pool("a").createdAt(0).ips(IP1, IP2).build(),
                pool("b").createdAt(5).ips(IP2, IP3).build(),
                pool("c").createdAt(9).ips(IP3, IP4, IP1).build());
        ObservedAccount state = account().build();
        List<String> history = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            List<DesiredPool> recorded = new ArrayList<>();
            for (DesiredPool p : pools) {
                String id = new PlanningContext(state, pools, List.of())
                        .ownedPool(p)
                        .map(ObservedPool::id)
                        .orElse(null);
                recorded.add(withRecorded(p, id));
            }
            pools = recorded;
            boolean changed = false;
            for (DesiredPool p : pools) {
                Plan plan = PoolPlanner.plan(p, new PlanningContext(state, pools, List.of()));
                plan.steps().forEach(s -> history.add(s.describe()));
                changed |= !plan.steps().isEmpty();
                state = Fixtures.apply(state, plan.steps());
            }
            if (!changed) {
                break;
            }
        }
        PlanningContext end = new PlanningContext(state, pools, List.of());
        Map<String, State> states = Map.of("a", State.AVAILABLE, "b", State.CONFLICT, "c", State.CONFLICT);
        for (DesiredPool p : pools) {
            Plan plan = PoolPlanner.plan(p, end);
            assertThat(plan.steps()).as(p.key() + " " + history).isEmpty();
            assertThat(plan.state())
                    .as(p.key().toString())
                    .isEqualTo(states.get(p.key().name()));
        }
        assertThat(end.ownedPool(pools.get(0)).orElseThrow().ips()).containsExactlyInAnyOrder(IP1, IP2);
        assertThat(end.ownedPool(pools.get(1)).orElseThrow().ips()).containsExactly(IP3);
        assertThat(end.ownedPool(pools.get(2)).orElseThrow().ips()).containsExactly(IP4);
        assertThat(history.stream().filter(s -> s.startsWith("DELETE")))
                .as("no IP ever released")
                .isEmpty();
    }

    @Test
    void observedDomainsOfAPoolCountAsLinkedEvenWithoutTheFlag() {
        DesiredPool a = pool("a").recorded(POOL_A).ips().build();
        ObservedAccount account = account().owned(POOL_A, "a", IP1).build();
        ObservedAccount withDomain = new ObservedAccount(
                account.pools(),
                account.ips(),
                true,
                Map.of(),
                Map.of(DOMAIN, new ObservedDomain(DOMAIN, Set.of(IP1), POOL_A)));
        expect(State.INVALID)
                .problems(1)
                .mentions(POOL_A)
                .verify(PoolPlanner.plan(a, new PlanningContext(withDomain, List.of(a), List.of())));
    }

    private static DesiredPool withRecorded(DesiredPool p, String id) {
        return new DesiredPool(
                p.key(),
                p.uid(),
                p.createdAt(),
                p.name(),
                p.description(),
                p.ips(),
                p.delegatedTo(),
                p.adoptPoolId(),
                id,
                p.policy(),
                p.deleting(),
                p.deletionPolicy(),
                p.replacement());
    }

    @Test
    void createdPoolDescriptionRoundTripsToNoDiff() {
        DesiredPool fresh = pool("a").description("EU senders").ips(IP1).build();
        ObservedAccount state = account().build();
        Plan create = PoolPlanner.plan(fresh, new PlanningContext(state, List.of(fresh), List.of()));
        state = Fixtures.apply(state, create.steps());
        Plan next = PoolPlanner.plan(fresh, new PlanningContext(state, List.of(fresh), List.of()));
        expect(State.AVAILABLE).mentions("ownership marker").verify(next);
        assertThat(stamped("EU senders", "uid-a"))
                .isEqualTo(state.pools().values().iterator().next().description());
    }
}
