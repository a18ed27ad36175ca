package dev.ippools.mailgun.account;

import dev.ippools.mailgun.client.MailgunApiException;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.model.PoolDomain;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which domains each pool has, from {@code GET /v3/ip_pools/{id}/domains} (paged): read only for
 * pools whose bindings are not settled, once per pool for all of them. Kept complete between reads
 * by what the bulk list says (a pool Mailgun shows unlinked has none) and by the links this
 * operator made and saw.
 */
final class PoolLinks {

    /** One read: lower-case domain names, when it began, and the pool as the snapshot showed it. */
    record Read(Set<String> domains, Instant readAt, String poolFingerprint) {
        boolean has(String domain) {
            return domains.contains(domain.toLowerCase(Locale.ROOT));
        }
    }

    private final MailgunClient client;
    private final Clock clock;
    private final Map<String, Read> reads = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    PoolLinks(MailgunClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /**
     * The pool's domains as read at or after {@code notBefore} with the pool unchanged since;
     * reads again otherwise. Callers waiting meanwhile share the read. A pool gone has none.
     */
    Read read(String poolId, Instant notBefore, String poolFingerprint) {
        return read(poolId, notBefore, poolFingerprint, client);
    }

    /** As {@link #read(String, Instant, String)}, reading through {@code via}. */
    Read read(String poolId, Instant notBefore, String poolFingerprint, MailgunClient via) {
        synchronized (locks.computeIfAbsent(poolId, k -> new Object())) {
            Read r = reads.get(poolId);
            if (r != null
                    && !r.readAt().isBefore(notBefore)
                    && r.poolFingerprint().equals(poolFingerprint)) {
                return r;
            }
            Instant started = clock.instant();
            Set<String> names = new HashSet<>();
            try {
                for (PoolDomain d : via.listAllPoolDomains(poolId)) {
                    names.add(d.name().toLowerCase(Locale.ROOT));
                }
            } catch (MailgunApiException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
            r = new Read(Set.copyOf(names), started, poolFingerprint);
            reads.put(poolId, r);
            return r;
        }
    }

    /** What a bulk read showed: the pool has no domains (Mailgun's link flag is off). */
    void noneLinked(String poolId, Instant readAt, String poolFingerprint) {
        reads.compute(
                poolId,
                (k, r) -> r != null && r.readAt().isAfter(readAt) ? r : new Read(Set.of(), readAt, poolFingerprint));
    }

    /**
     * Adds a link this operator made and saw, so what is known of the pool stays complete, and takes
     * the domain off the other pools' reads: Mailgun links a domain to one pool at a time.
     */
    void linked(String poolId, String domain) {
        String name = domain.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, Read> e : reads.entrySet()) {
            if (e.getKey().equals(poolId) == e.getValue().domains().contains(name)) {
                continue; // nothing to add or take off: most of a thousand pools
            }
            reads.computeIfPresent(e.getKey(), (k, r) -> {
                Set<String> names = new HashSet<>(r.domains());
                boolean changed = k.equals(poolId) ? names.add(name) : names.remove(name);
                return changed ? new Read(Set.copyOf(names), r.readAt(), r.poolFingerprint()) : r;
            });
        }
    }
}
