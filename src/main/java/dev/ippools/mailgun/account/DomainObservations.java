package dev.ippools.mailgun.account;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;

/**
 * The latest observation of each domain read so far, with a version that moves only when what
 * the planner sees of a domain changes (a re-read that found the same leaves it). What the planner
 * sees is kept as a persistent map, and the recent changes by version, so a view of thousands of
 * domains is made again from the few that changed.
 */
final class DomainObservations {

    /** How many changes are remembered; a view older than that is made afresh. */
    static final int CHANGES_KEPT = 4096;

    private record Change(long version, String name) {}

    // Written under the lock, read without it.
    private volatile PMap<String, DomainObservation> latest = HashTreePMap.empty();
    private volatile Versioned current = new Versioned(0, HashTreePMap.empty());
    private final Deque<Change> changes = new ArrayDeque<>();

    synchronized void put(DomainObservation observation) {
        DomainObservation before = latest.get(observation.name());
        latest = latest.plus(observation.name(), observation);
        if (before == null
                || before.exists() != observation.exists()
                || !Objects.equals(before.ips(), observation.ips())
                || !Objects.equals(before.linkedPoolId(), observation.linkedPoolId())) {
            changed(observation.name(), current.byName().plus(observation.name(), observation));
        }
    }

    Optional<DomainObservation> get(String name) {
        return Optional.ofNullable(latest.get(name));
    }

    synchronized void forget(String name) {
        if (latest.containsKey(name)) {
            latest = latest.minus(name);
            changed(name, current.byName().minus(name));
        }
    }

    private void changed(String name, PMap<String, DomainObservation> byName) {
        long version = current.version() + 1;
        current = new Versioned(version, byName);
        changes.addLast(new Change(version, name));
        if (changes.size() > CHANGES_KEPT) {
            changes.removeFirst();
        }
    }

    /** What the planner sees of every domain read so far, with its version. */
    Versioned current() {
        return current;
    }

    /** The names changed after {@code since}; null when that is too long ago to tell. */
    synchronized Set<String> changedSince(long since) {
        long version = current.version();
        if (since == version) {
            return Set.of();
        }
        if (since > version || changes.isEmpty() || changes.peekFirst().version() > since + 1) {
            return null;
        }
        Set<String> names = new HashSet<>();
        for (Iterator<Change> it = changes.descendingIterator(); it.hasNext(); ) {
            Change c = it.next();
            if (c.version() <= since) {
                break;
            }
            names.add(c.name());
        }
        return names;
    }

    long version() {
        return current.version();
    }

    /** The observations at one version; the map never changes. */
    record Versioned(long version, PMap<String, DomainObservation> byName) {}
}
