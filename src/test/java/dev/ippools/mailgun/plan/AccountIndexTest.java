package dev.ippools.mailgun.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.plan.ObservedAccount.ObservedIp;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Views made one after another share the pool lookups only while pools keep IPs and descriptions. */
class AccountIndexTest {

    private static final String UID = "0f8fad5b-d9cb-469f-a165-70867728950e";
    private final Map<String, ObservedIp> ips = Map.of("10.0.0.1", new ObservedIp("10.0.0.1", true, false, true));
    private final Set<String> poolIps = Set.of("10.0.0.1");
    private final String description = OwnershipMarker.stamp("team pool", UID);

    private ObservedAccount account(ObservedPool pool) {
        return new ObservedAccount(Map.of(pool.id(), pool), ips, true, Map.of(), Map.of());
    }

    private ObservedPool pool(String description, Set<String> linked) {
        return new ObservedPool("p1", "team", description, poolIps, false, linked != null, linked);
    }

    @Test
    void aLaterViewAnswersWithItsOwnPools() {
        PlanningContext first = new PlanningContext(account(pool(description, null)), List.of(), List.of());
        assertThat(first.poolHolding("10.0.0.1").orElseThrow().linkedDomains()).isNull();

        PlanningContext linked =
                new PlanningContext(account(pool(description, Set.of("a.example.com"))), List.of(), List.of());
        assertThat(linked.poolHolding("10.0.0.1").orElseThrow().linkedDomains()).containsExactly("a.example.com");
        assertThat(linked.markedPool(UID).orElseThrow().linkedDomains()).containsExactly("a.example.com");

        PlanningContext unmarked = new PlanningContext(account(pool("team pool", null)), List.of(), List.of());
        assertThat(unmarked.markedPool(UID)).isEmpty();
        assertThat(first.markedPool(UID)).isPresent();
    }
}
