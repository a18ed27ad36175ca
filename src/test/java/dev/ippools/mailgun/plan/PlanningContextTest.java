package dev.ippools.mailgun.plan;

import static dev.ippools.mailgun.plan.Fixtures.DOMAIN;
import static dev.ippools.mailgun.plan.Fixtures.FOREIGN;
import static dev.ippools.mailgun.plan.Fixtures.IP1;
import static dev.ippools.mailgun.plan.Fixtures.IP2;
import static dev.ippools.mailgun.plan.Fixtures.IP6;
import static dev.ippools.mailgun.plan.Fixtures.POOL_A;
import static dev.ippools.mailgun.plan.Fixtures.POOL_B;
import static dev.ippools.mailgun.plan.Fixtures.account;
import static dev.ippools.mailgun.plan.Fixtures.binding;
import static dev.ippools.mailgun.plan.Fixtures.ctx;
import static dev.ippools.mailgun.plan.Fixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.plan.ObservedAccount.ObservedDomain;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlanningContextTest {

    @Test
    void ownedPoolPrefersRecordedThenAdoptedThenMarker() {
        PlanningContext ctx =
                ctx(account().owned(POOL_A, "a", IP1).owned(POOL_B, "x").foreign(FOREIGN, "f"), List.of());
        DesiredPool byMarker = pool("a").build();
        assertThat(ctx.ownedPool(byMarker)).map(ObservedPool::id).contains(POOL_A);
        DesiredPool adopted = pool("a").adopt(FOREIGN).build();
        assertThat(ctx.ownedPool(adopted)).map(ObservedPool::id).contains(FOREIGN);
        DesiredPool recorded = pool("a").recorded(POOL_B).adopt(FOREIGN).build();
        assertThat(ctx.ownedPool(recorded)).map(ObservedPool::id).contains(POOL_B);
        DesiredPool recordedGone =
                pool("z").recorded("00000000000000000000dead").build();
        assertThat(ctx.ownedPool(recordedGone)).isEmpty();
        DesiredPool adoptedGone = pool("a").adopt("00000000000000000000dead").build();
        assertThat(ctx.ownedPool(adoptedGone))
                .as("a missing poolId never falls back to the marker")
                .isEmpty();
    }

    @Test
    void ownersAreListedInClaimOrder() {
        DesiredPool early = pool("z").createdAt(0).adopt(FOREIGN).build();
        DesiredPool tie1 = pool("b").createdAt(5).adopt(FOREIGN).build();
        DesiredPool tie2 = pool("c").createdAt(5).adopt(FOREIGN).build();
        DesiredPool unrelated = pool("d").build();
        PlanningContext ctx = ctx(account().foreign(FOREIGN, "f"), List.of(tie2, unrelated, tie1, early));
        ObservedPool foreign = ctx.account().pools().get(FOREIGN);
        assertThat(ctx.owners(foreign)).containsExactly(early, tie1, tie2);
        assertThat(ctx.owns(unrelated, foreign)).isFalse();
    }

    @Test
    void bindingsReferencingByPoolRefAndByPoolId() {
        DesiredPool a = pool("a").recorded(POOL_A).build();
        DesiredBinding byRef = binding("x").poolRef("a").build();
        DesiredBinding byId = binding("w").poolId(POOL_A).build();
        DesiredBinding otherNamespace = new DesiredBinding(
                new ResourceKey("other", "y"),
                null,
                DOMAIN,
                new DesiredBinding.Target.PoolRef("a"),
                ManagementPolicy.MANAGE,
                false,
                DesiredBinding.OnDelete.UNLINK,
                null);
        DesiredBinding explicit = binding("v").ips(IP1).build();
        PlanningContext ctx =
                ctx(account().owned(POOL_A, "a"), List.of(a), List.of(byRef, otherNamespace, byId, explicit));
        assertThat(ctx.bindingsReferencing(a)).containsExactly(byId, byRef);
        assertThat(ctx.pool("mail", "a")).contains(a);
        assertThat(ctx.pool("other", "a")).isEmpty();
    }

    @Test
    void ipLookupsCompareCanonically() {
        PlanningContext ctx = ctx(account().owned(POOL_A, "a", "2001:DB8::1"), List.of());
        assertThat(ctx.poolHolding("2001:db8:0::1")).map(ObservedPool::id).contains(POOL_A);
        assertThat(ctx.accountIp("2001:0DB8::1")).isPresent();
        assertThat(ctx.spelling("2001:DB8:0:0::1")).isEqualTo(IP6);
        assertThat(ctx.spelling("198.51.100.7")).isEqualTo("198.51.100.7");
    }

    @Test
    void linkedDomainsFromFlagListAndDomainReads() {
        ObservedPool listed = new ObservedPool(POOL_A, "a", "", Set.of(IP1, IP2), false, true, Set.of("b.example.com"));
        ObservedAccount account = new ObservedAccount(
                Map.of(POOL_A, listed),
                Map.of(),
                true,
                Map.of(),
                Map.of(
                        "a.example.com", new ObservedDomain("a.example.com", Set.of(IP1), POOL_A),
                        "b.example.com", new ObservedDomain("b.example.com", Set.of(IP2, IP1), POOL_A),
                        "c.example.com", new ObservedDomain("c.example.com", null, POOL_A)));
        PlanningContext ctx = new PlanningContext(account, List.of(), List.of());
        assertThat(ctx.linkedDomainNames(listed)).containsExactly("a.example.com", "b.example.com", "c.example.com");
        assertThat(ctx.domainsOutOfSync(listed)).as("unread IPs are not judged").containsExactly("a.example.com");
        assertThat(ctx.isLinked(listed)).isTrue();
        assertThat(ctx.domain("A.Example.com")).map(ObservedDomain::name).contains("a.example.com");
    }

    @Test
    void nullPartsReadAsEmpty() {
        ObservedPool noIps = new ObservedPool(null, "n", null, null, false, false, null);
        ObservedAccount sparse =
                new ObservedAccount(new java.util.HashMap<>(Map.of(POOL_A, noIps)), null, true, null, null);
        PlanningContext ctx = new PlanningContext(sparse, null, null);
        assertThat(ctx.account().pools().get(POOL_A).ips()).isEmpty();
        assertThat(ctx.account().pools().get(POOL_A).id()).isEqualTo(POOL_A);
        assertThat(ctx.account().ips()).isEmpty();
        assertThat(ctx.account().domains()).isEmpty();
        assertThat(ctx.pools()).isEmpty();
        assertThat(ctx.bindings()).isEmpty();
        assertThat(ctx.isLinked(ctx.account().pools().get(POOL_A))).isFalse();
    }
}
