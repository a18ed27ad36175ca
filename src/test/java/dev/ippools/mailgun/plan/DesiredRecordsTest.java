package dev.ippools.mailgun.plan;

import static dev.ippools.mailgun.plan.Fixtures.binding;
import static dev.ippools.mailgun.plan.Fixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DesiredRecordsTest {

    private static final List<String> IPS = List.of("10.0.0.1", "10.0.0.2", "10.0.0.3", "2001:db8::1", "2001:DB8:0::1");
    private static final List<String> DOMAINS = List.of("a.example.com", "A.Example.com", "b.example.com");

    @Test
    void lookupsFollowEachChangeAsAListIndexedFromScratchWould() {
        Random random = new Random(21);
        DesiredRecords<DesiredPool> pools = DesiredRecords.noPools();
        DesiredRecords<DesiredBinding> bindings = DesiredRecords.noBindings();
        Map<ResourceKey, DesiredPool> poolsNow = new TreeMap<>();
        Map<ResourceKey, DesiredBinding> bindingsNow = new TreeMap<>();
        for (int step = 0; step < 400; step++) {
            String name = "r" + random.nextInt(12);
            if (random.nextInt(4) == 0) {
                DesiredPool gonePool = pool(name).build();
                pools = pools.without(gonePool);
                poolsNow.remove(gonePool.key());
                DesiredBinding goneBinding = binding(name).poolRef("x").build();
                bindings = bindings.without(goneBinding);
                bindingsNow.remove(goneBinding.key());
            } else {
                DesiredPool p =
                        pool(name).ips(pick(random, IPS), pick(random, IPS)).build();
                pools = pools.with(p);
                poolsNow.put(p.key(), p);
                var b = binding(name).domain(pick(random, DOMAINS));
                switch (random.nextInt(3)) {
                    case 0 -> b.poolRef("p" + random.nextInt(3));
                    case 1 -> b.poolId("id" + random.nextInt(3));
                    default -> b.ips(pick(random, IPS));
                }
                DesiredBinding made = b.build();
                bindings = bindings.with(made);
                bindingsNow.put(made.key(), made);
            }
            assertSameLookups(
                    pools, bindings, new ArrayList<>(poolsNow.values()), new ArrayList<>(bindingsNow.values()));
        }
    }

    @Test
    void aChangeLeavesTheEarlierRecordsAsTheyWere() {
        DesiredRecords<DesiredPool> one =
                DesiredRecords.noPools().with(pool("a").ips("10.0.0.1").build());
        DesiredRecords<DesiredPool> moved = one.with(pool("a").ips("10.0.0.2").build());

        PlanningContext before = new PlanningContext(null, one, List.of());
        PlanningContext after = new PlanningContext(null, moved, List.of());
        assertThat(before.poolsNaming("10.0.0.1")).hasSize(1);
        assertThat(after.poolsNaming("10.0.0.1")).isEmpty();
        assertThat(after.poolsNaming("10.0.0.2")).hasSize(1);
        assertThat(after.pools()).as("kept, not copied, by the context").isSameAs(moved);
        assertThat(moved.with(pool("a").ips("10.0.0.2").build())).isSameAs(moved);
    }

    private static void assertSameLookups(
            DesiredRecords<DesiredPool> pools,
            DesiredRecords<DesiredBinding> bindings,
            List<DesiredPool> poolList,
            List<DesiredBinding> bindingList) {
        PlanningContext incremental = new PlanningContext(null, pools, bindings);
        PlanningContext fresh = new PlanningContext(null, poolList, bindingList);
        assertThat(incremental.pools()).containsExactlyElementsOf(poolList);
        assertThat(incremental.pools()).isEqualTo(poolList);
        for (int i = 0; i < poolList.size(); i++) {
            assertThat(incremental.pools().get(i)).isEqualTo(poolList.get(i));
        }
        assertThat(incremental.bindings()).containsExactlyElementsOf(bindingList);
        for (String ip : IPS) {
            assertThat(incremental.poolsNaming(ip)).isEqualTo(fresh.poolsNaming(ip));
            assertThat(incremental.bindingsTargeting(new DesiredBinding.Target.Ips(java.util.Set.of(ip))))
                    .isEqualTo(fresh.bindingsTargeting(new DesiredBinding.Target.Ips(java.util.Set.of(ip))));
        }
        for (String domain : DOMAINS) {
            assertThat(incremental.bindingsOf(domain)).isEqualTo(fresh.bindingsOf(domain));
        }
        for (int i = 0; i < 3; i++) {
            assertThat(incremental.bindingsTargeting(new DesiredBinding.Target.PoolRef("p" + i)))
                    .isEqualTo(fresh.bindingsTargeting(new DesiredBinding.Target.PoolRef("p" + i)));
            assertThat(incremental.bindingsTargeting(new DesiredBinding.Target.PoolId("id" + i)))
                    .isEqualTo(fresh.bindingsTargeting(new DesiredBinding.Target.PoolId("id" + i)));
        }
        for (int i = 0; i < 4; i++) {
            ObservedAccount.ObservedPool marked = new ObservedAccount.ObservedPool(
                    "id" + i, "p", OwnershipMarker.stamp("pool", "uid-" + i), java.util.Set.of(), false, false, null);
            ObservedAccount.ObservedPool unmarked =
                    new ObservedAccount.ObservedPool("id" + i, "p", "pool", java.util.Set.of(), false, false, null);
            assertThat(incremental.owners(marked)).isEqualTo(fresh.owners(marked));
            assertThat(incremental.owners(unmarked)).isEqualTo(fresh.owners(unmarked));
            assertThat(incremental.owners(unmarked))
                    .as("owns() decides as owners() does")
                    .isEqualTo(poolList.stream()
                            .filter(d -> incremental.owns(d, unmarked))
                            .sorted(PlanningContext.POOL_CLAIM_ORDER)
                            .toList());
            assertThat(incremental.owners(marked))
                    .isEqualTo(poolList.stream()
                            .filter(d -> incremental.owns(d, marked))
                            .sorted(PlanningContext.POOL_CLAIM_ORDER)
                            .toList());
        }
        for (int i = 0; i < 12; i++) {
            assertThat(incremental.pool(Fixtures.NS, "r" + i)).isEqualTo(fresh.pool(Fixtures.NS, "r" + i));
        }
    }

    private static String pick(Random random, List<String> from) {
        return from.get(random.nextInt(from.size()));
    }
}
