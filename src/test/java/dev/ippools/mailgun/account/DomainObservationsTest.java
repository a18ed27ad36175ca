package dev.ippools.mailgun.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DomainObservationsTest {

    private final DomainObservations domains = new DomainObservations();

    private static DomainObservation seen(String name, String pool, Instant at) {
        return new DomainObservation(name, true, Set.of("10.0.0.1"), pool, null, at);
    }

    @Test
    void tellsWhichDomainsChangedSinceAVersion() {
        domains.put(seen("a", null, Instant.EPOCH));
        long afterA = domains.version();
        domains.put(seen("b", "p1", Instant.EPOCH));
        domains.put(seen("a", "p1", Instant.EPOCH));

        assertThat(domains.changedSince(afterA)).containsExactlyInAnyOrder("a", "b");
        assertThat(domains.changedSince(domains.version())).isEmpty();
        assertThat(domains.current().byName()).containsOnlyKeys("a", "b");

        // A re-read that shows the same is no change; the latest read is still what get returns.
        long before = domains.version();
        domains.put(seen("a", "p1", Instant.EPOCH.plusSeconds(60)));
        assertThat(domains.version()).isEqualTo(before);
        assertThat(domains.get("a").orElseThrow().readAt()).isEqualTo(Instant.EPOCH.plusSeconds(60));

        domains.forget("b");
        assertThat(domains.changedSince(before)).containsExactly("b");
        assertThat(domains.current().byName()).containsOnlyKeys("a");
    }

    @Test
    void aVersionTooOldOrFromElsewhereIsNotAnswered() {
        for (int i = 0; i <= DomainObservations.CHANGES_KEPT; i++) {
            domains.put(seen("d" + i, null, Instant.EPOCH));
        }
        assertThat(domains.changedSince(0)).isNull();
        assertThat(domains.changedSince(1)).hasSize(DomainObservations.CHANGES_KEPT);
        assertThat(domains.changedSince(domains.version() + 5)).isNull();
    }
}
