package dev.ippools.mailgun.account;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The latest observation of each domain read so far, with a version that moves only when what
 * the planner sees of a domain changes (a re-read that found the same leaves it).
 */
final class DomainObservations {

    private final Map<String, DomainObservation> byName = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();

    void put(DomainObservation observation) {
        DomainObservation before = byName.put(observation.name(), observation);
        if (before == null
                || before.exists() != observation.exists()
                || !Objects.equals(before.ips(), observation.ips())
                || !Objects.equals(before.linkedPoolId(), observation.linkedPoolId())) {
            version.incrementAndGet();
        }
    }

    Optional<DomainObservation> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    void forget(String name) {
        if (byName.remove(name) != null) {
            version.incrementAndGet();
        }
    }

    Collection<DomainObservation> all() {
        return List.copyOf(byName.values());
    }

    long version() {
        return version.get();
    }
}
