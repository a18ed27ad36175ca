package dev.ippools.mailgun.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.account.AccountState.Reading;
import dev.ippools.mailgun.account.DomainObservation;
import dev.ippools.mailgun.account.Snapshot;
import dev.ippools.mailgun.client.model.AccountIps;
import dev.ippools.mailgun.client.model.MailgunPool;
import dev.ippools.mailgun.plan.ObservedAccount;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A view made from the last one and the domains changed since equals one made from scratch. */
class ObservedMapperTest {

    private static final List<String> POOLS = List.of("p1", "p2", "p3", "p4");

    private final Snapshot snapshot = new Snapshot(
            POOLS.stream()
                    .map(id -> new MailgunPool(id, id, "", List.of("10.0.0." + id.substring(1)), false, false))
                    .toList(),
            new AccountIps(List.of("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"), List.of(), null, 4),
            Map.of(),
            Instant.EPOCH);

    /** Versioned domains with their change log, as the account state keeps them. */
    private final Map<String, DomainObservation> domains = new LinkedHashMap<>();

    private final List<String> log = new ArrayList<>();

    private Reading reading(Object origin, boolean logKept) {
        Map<String, DomainObservation> now = Map.copyOf(domains);
        List<String> changes = List.copyOf(log);
        return new Reading(
                origin,
                snapshot,
                now,
                changes.size(),
                since -> logKept ? new HashSet<>(changes.subList((int) since, changes.size())) : null,
                Map.of(),
                Map.of(),
                Map.of());
    }

    @Test
    void madeFromTheLastViewEqualsMadeAfresh() {
        Random random = new Random(7);
        Object origin = new Object();
        for (int step = 0; step < 400; step++) {
            String name = "d" + random.nextInt(40) + ".example.com";
            int kind = random.nextInt(5);
            if (kind == 0) {
                domains.remove(name);
            } else {
                boolean exists = kind != 1;
                String pool = exists && random.nextBoolean() ? POOLS.get(random.nextInt(POOLS.size())) : null;
                domains.put(
                        name,
                        new DomainObservation(
                                name, exists, Set.of("10.0.0." + random.nextInt(4)), pool, null, Instant.EPOCH));
            }
            log.add(name);

            ObservedAccount incremental = ObservedMapper.observed(reading(origin, true));
            ObservedAccount afresh = ObservedMapper.observed(reading(new Object(), false));
            assertThat(incremental).as("after step %d", step).isEqualTo(afresh);
        }
        assertThat(ObservedMapper.observed(reading(origin, true)).pools().values())
                .anySatisfy(p -> assertThat(p.linkedDomains()).isNotEmpty());
    }

    @Test
    void aDomainLinkedElsewhereLeavesItsOldPoolsList() {
        Object origin = new Object();
        domains.put("a.example.com", new DomainObservation("a.example.com", true, Set.of(), "p1", null, Instant.EPOCH));
        log.add("a.example.com");
        assertThat(ObservedMapper.observed(reading(origin, true))
                        .pools()
                        .get("p1")
                        .linkedDomains())
                .containsExactly("a.example.com");

        domains.put("a.example.com", new DomainObservation("a.example.com", true, Set.of(), "p2", null, Instant.EPOCH));
        log.add("a.example.com");
        ObservedAccount moved = ObservedMapper.observed(reading(origin, true));
        assertThat(moved.pools().get("p1").linkedDomains()).isNull();
        assertThat(moved.pools().get("p2").linkedDomains()).containsExactly("a.example.com");
        assertThat(moved.domains().get("a.example.com").linkedPoolId()).isEqualTo("p2");
    }
}
