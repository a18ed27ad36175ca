package dev.ippools.mailgun.account;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Delegations and revocations Mailgun accepted ({@code PUT} / {@code DELETE
 * /v3/ip_pools/{id}/delegate}) that its delegation list may not show yet: Mailgun answers at once
 * and propagates in the background, so a plan made from the list alone would send the change
 * again. Each change is held until a read made after it shows it, or until {@link
 * BindingLinks#ACCEPTED_EXPIRY} passes, after which the read is trusted again, so a change Mailgun
 * lost is sent again. Held in memory only: after a restart the reads decide.
 */
final class AcceptedDelegations {

    private record Key(String poolId, String subaccountId) {}

    /** {@code delegated}: a delegation (false: a revocation), accepted {@code at}. */
    private record Change(boolean delegated, Instant at) {}

    private final Clock clock;
    private final Map<Key, Change> accepted = new HashMap<>();
    private long version;

    AcceptedDelegations(Clock clock) {
        this.clock = clock;
    }

    synchronized void delegated(String poolId, String subaccountId) {
        remember(poolId, subaccountId, true);
    }

    synchronized void revoked(String poolId, String subaccountId) {
        remember(poolId, subaccountId, false);
    }

    private void remember(String poolId, String subaccountId, boolean delegated) {
        // The latest answer wins: a revocation sent after a delegation replaces it.
        accepted.put(new Key(poolId, subaccountId), new Change(delegated, clock.instant()));
        version++;
    }

    /** Forgets the changes {@code read} shows (or cannot show: the pool is gone) and expired ones. */
    synchronized void settle(Snapshot read) {
        Instant now = clock.instant();
        if (accepted.entrySet()
                .removeIf(e -> shown(e.getKey(), e.getValue(), read)
                        || !e.getValue().at().plus(BindingLinks.ACCEPTED_EXPIRY).isAfter(now))) {
            version++;
        }
    }

    private static boolean shown(Key key, Change change, Snapshot read) {
        if (read.readAt().isBefore(change.at())) {
            return false; // the read may have begun before Mailgun took the change
        }
        if (read.pools().stream().noneMatch(p -> p.poolId().equals(key.poolId()))) {
            return true;
        }
        Set<String> listed = read.delegations().getOrDefault(key.poolId(), Set.of());
        return listed.contains(key.subaccountId()) == change.delegated();
    }

    /** The read's delegations (pool id to subaccounts) with every held change made. */
    synchronized Map<String, Set<String>> inEffect(Map<String, Set<String>> read) {
        if (accepted.isEmpty()) {
            return read;
        }
        Map<String, Set<String>> out = new TreeMap<>();
        read.forEach((poolId, subaccounts) -> out.put(poolId, new TreeSet<>(subaccounts)));
        accepted.forEach((key, change) -> {
            Set<String> subaccounts = out.computeIfAbsent(key.poolId(), k -> new TreeSet<>());
            if (change.delegated()) {
                subaccounts.add(key.subaccountId());
            } else {
                subaccounts.remove(key.subaccountId());
            }
        });
        out.values().removeIf(Set::isEmpty);
        return out;
    }

    /** Pool id to the subaccounts whose held change Mailgun does not show yet. */
    synchronized Map<String, Set<String>> propagating() {
        Map<String, Set<String>> out = new TreeMap<>();
        accepted.keySet()
                .forEach(key ->
                        out.computeIfAbsent(key.poolId(), k -> new TreeSet<>()).add(key.subaccountId()));
        return out;
    }

    /** Whether a change of the pool's delegations is held. */
    synchronized boolean propagating(String poolId) {
        return accepted.keySet().stream().anyMatch(key -> key.poolId().equals(poolId));
    }

    /** Moves whenever the held changes do, so views built from them know when to rebuild. */
    synchronized long version() {
        return version;
    }
}
