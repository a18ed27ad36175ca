package dev.ippools.mailgun.account;

import dev.ippools.mailgun.account.Watcher.Change;
import dev.ippools.mailgun.client.model.AccountIps;
import dev.ippools.mailgun.client.model.MailgunPool;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One bulk read of an account: its pools, dedicated IPs and (once wanted) delegations, pool id to
 * subaccounts. Immutable; a newer snapshot says what changed since an older one ({@link #diff}).
 */
public record Snapshot(
        List<MailgunPool> pools,
        AccountIps ips,
        Map<String, Set<String>> delegations,
        Instant readAt,
        Map<String, MailgunPool> poolsById) {

    public Snapshot(List<MailgunPool> pools, AccountIps ips, Map<String, Set<String>> delegations, Instant readAt) {
        this(pools, ips, delegations, readAt, byId(pools));
    }

    /** The pool with this id, if the read showed it. */
    public Optional<MailgunPool> pool(String poolId) {
        return Optional.ofNullable(poolsById.get(poolId));
    }

    /** This read with a pool added (one Mailgun just created), keeping its read time. */
    Snapshot withPool(MailgunPool created) {
        List<MailgunPool> more = new ArrayList<>(pools);
        more.add(created);
        return new Snapshot(List.copyOf(more), ips, delegations, readAt);
    }

    /**
     * The pool's IPs and link flag as this read showed them ({@code "gone"}: not shown; null: no
     * pool), so an observation made against it notices when the pool changed.
     */
    String poolFingerprint(String poolId) {
        if (poolId == null) {
            return null;
        }
        return pool(poolId).map(p -> new TreeSet<>(p.ips()) + "/" + p.linked()).orElse("gone");
    }

    /** What changed from {@code before} (null: nothing was read) to this read. */
    public Change diff(Snapshot before) {
        Set<String> poolIds = new TreeSet<>();
        Set<String> changedIps = new TreeSet<>();
        Map<String, MailgunPool> old = before == null ? Map.of() : before.poolsById();
        Map<String, MailgunPool> now = poolsById;
        for (String id : union(old.keySet(), now.keySet())) {
            MailgunPool a = old.get(id);
            MailgunPool b = now.get(id);
            if (!samePool(a, b)) {
                poolIds.add(id);
                if (a != null) {
                    changedIps.addAll(a.ips());
                }
                if (b != null) {
                    changedIps.addAll(b.ips());
                }
            }
        }
        Map<String, Set<String>> oldDelegations = before == null ? Map.of() : before.delegations();
        for (String id : union(oldDelegations.keySet(), delegations.keySet())) {
            if (!Objects.equals(oldDelegations.get(id), delegations.get(id))) {
                poolIds.add(id);
            }
        }
        if (before == null || !sameIps(before.ips(), ips)) {
            changedIps.addAll(ips.items());
            if (before != null) {
                changedIps.addAll(before.ips().items());
            }
        }
        return new Change(poolIds, changedIps, Set.of());
    }

    private static boolean samePool(MailgunPool a, MailgunPool b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.name().equals(b.name())
                && Objects.equals(a.description(), b.description())
                && new TreeSet<>(a.ips()).equals(new TreeSet<>(b.ips()))
                && a.inherited() == b.inherited()
                && a.linked() == b.linked();
    }

    private static boolean sameIps(AccountIps a, AccountIps b) {
        return new TreeSet<>(a.items()).equals(new TreeSet<>(b.items()))
                && Objects.equals(a.details(), b.details())
                && Objects.equals(a.assignableToPools(), b.assignableToPools());
    }

    // Looked up by every binding's reconcile: a scan of a thousand pools each time adds up.
    private static Map<String, MailgunPool> byId(List<MailgunPool> pools) {
        Map<String, MailgunPool> m = new HashMap<>();
        pools.forEach(p -> m.putIfAbsent(p.poolId(), p));
        return Collections.unmodifiableMap(m);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new TreeSet<>(a);
        u.addAll(b);
        return u;
    }
}
