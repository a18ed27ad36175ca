package dev.ippools.mailgun.account;

import dev.ippools.mailgun.account.Watcher.Change;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.model.AccountIps;
import dev.ippools.mailgun.client.model.MailgunPool;
import dev.ippools.mailgun.client.model.SubaccountPoolDelegation;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The account's latest bulk read, and the reads that replace it. One refresh costs {@code GET
 * /v3/ip_pools} and {@code GET /v3/ips?dedicated=true} (plus the delegation list once any pool
 * of the account delegates), however many resources use the account. Refreshes and the first
 * read are serialized on this object; readers take the latest snapshot without locking.
 */
final class AccountReads {

    private final AccountKey key;
    private final MailgunClient client;
    private final Clock clock;
    private volatile Snapshot latest;
    private volatile boolean delegationsWanted;
    private volatile RuntimeException lastError;
    private volatile Instant lastConfirmed;

    AccountReads(AccountKey key, MailgunClient client, Clock clock) {
        this.key = key;
        this.client = client;
        this.clock = clock;
    }

    /** The latest snapshot, null before the first read. */
    Snapshot latest() {
        return latest;
    }

    /** The latest snapshot, reading one first if there is none yet. */
    Snapshot snapshot() {
        Snapshot s = latest;
        if (s == null) {
            // Every reconcile of a new account asks at once: one of them reads, the rest wait for it.
            synchronized (this) {
                if (latest == null) {
                    refresh();
                }
                s = latest;
            }
        }
        return s;
    }

    Optional<RuntimeException> lastError() {
        return Optional.ofNullable(lastError);
    }

    Optional<Instant> lastConfirmed() {
        return Optional.ofNullable(lastConfirmed);
    }

    /** Reads delegations from the next refresh on; the snapshot without them is dropped. */
    void wantDelegations() {
        if (!delegationsWanted) {
            delegationsWanted = true;
            latest = null;
        }
    }

    synchronized Change refresh() {
        Instant started = clock.instant();
        try {
            List<MailgunPool> pools = client.listPools();
            AccountIps ips = client.listIps(true, null);
            Map<String, Set<String>> delegations =
                    delegationsWanted && key.subaccountId() == null ? readDelegations() : Map.of();
            Snapshot next = new Snapshot(pools, ips, delegations, started);
            Change change = next.diff(latest);
            latest = next;
            lastError = null;
            lastConfirmed = started;
            return change;
        } catch (RuntimeException e) {
            lastError = e;
            throw e;
        }
    }

    synchronized Change refreshIfOlderThan(Instant writtenAt) {
        Snapshot s = latest;
        if (s != null && s.readAt().isAfter(writtenAt)) {
            return new Change(Set.of(), Set.of(), Set.of());
        }
        return refresh();
    }

    synchronized Change recordCreated(MailgunPool created) {
        Snapshot s = snapshot();
        if (s.pool(created.poolId()).isPresent()) {
            return new Change(Set.of(), Set.of(), Set.of());
        }
        latest = s.withPool(created);
        // what diff() would say, without comparing thousands of pools and IPs per create
        return new Change(Set.of(created.poolId()), Set.copyOf(created.ips()), Set.of());
    }

    private Map<String, Set<String>> readDelegations() {
        Map<String, Set<String>> byPool = new HashMap<>();
        for (SubaccountPoolDelegation d : client.listSubaccountPoolDelegations()) {
            if (d.poolId() != null) {
                byPool.computeIfAbsent(d.poolId(), k -> new TreeSet<>()).add(d.subaccountId());
            }
        }
        return byPool;
    }
}
