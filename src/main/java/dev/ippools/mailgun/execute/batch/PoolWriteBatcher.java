package dev.ippools.mailgun.execute.batch;

import dev.ippools.mailgun.client.AccountRateLimiter;
import dev.ippools.mailgun.client.MailgunApiException;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.MailgunException;
import dev.ippools.mailgun.client.model.PoolChange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Domain links of one account, queued per pool and sent as one {@code PATCH /v3/ip_pools/{id}}
 * with repeated {@code link_domain} per pool (architecture §11). A pool's queue is sent once it has
 * lingered briefly (so the bindings a pool wakes together go together) and the account's rate
 * limiter has a permit no other call is waiting for (for at most {@link #BACKPRESSURE_DEFER});
 * whatever arrived while the call waited rides along, so under backpressure the cost approaches
 * one write per pool.
 *
 * <p>Each domain keeps a {@link Ticket} with the outcome of its own part. A batch Mailgun rejects
 * with 400, or with 404 while the pool is still there (one bad part fails the whole call: a domain
 * deleted meanwhile, say), is bisected: each half is sent again, down to single domains, so one
 * rejected domain costs about two calls per halving and never its neighbours' links. Other
 * rejections (the pool is gone, the feature is off, the key is refused) concern every part and
 * are not split; transient failures are handed back to the reconcilers, which retry with backoff.
 */
public final class PoolWriteBatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PoolWriteBatcher.class);

    /**
     * How long a pool's queue leaves the account's permits to other waiting calls (creates, say)
     * before it takes its turn among them: links wait for their pools anyway, and each second
     * they wait lets more of a pool's links ride in one call.
     */
    static final Duration BACKPRESSURE_DEFER = Duration.ofSeconds(60);

    /** Calls that may wait for the limiter or be on the wire at once, per account. */
    static final int IN_FLIGHT = 2;

    /** Where a domain's link stands. */
    public enum State {
        /** Waiting for its pool's next PATCH. */
        QUEUED,
        /** Mailgun accepted the PATCH; the link shows once Mailgun has propagated it. */
        ACCEPTED,
        /** Mailgun refused this domain's part; retrying cannot help. */
        REJECTED,
        /** The call failed in a way that may pass (after the client's own retries). */
        FAILED
    }

    /**
     * One domain's part of a pool's batch.
     *
     * @param poolWasLinked whether the pool showed linked domains when the link was queued: when it
     *     did not, the first bulk read that shows it linked verifies the whole batch
     * @param failure set for REJECTED and FAILED
     */
    public record Ticket(
            String domain, String poolId, State state, Instant at, boolean poolWasLinked, MailgunException failure) {

        Ticket with(State next, Instant when, MailgunException error) {
            return new Ticket(domain, poolId, next, when, poolWasLinked, error);
        }
    }

    private record Part(String domainId, String domain) {}

    private final MailgunClient client;
    private final AccountRateLimiter limiter;
    private final Clock clock;
    private final Duration linger;
    private final Duration recheck;
    private final Consumer<Set<String>> onSettled;
    private final BiConsumer<String, MailgunClient> verify;
    private final Map<String, Ticket> tickets = new ConcurrentHashMap<>();
    // Ticket keys by pool, so asking about one pool does not scan thousands of tickets. May hold
    // keys whose ticket is gone or moved on: each lookup checks the ticket itself.
    private final Map<String, Set<String>> ticketKeysByPool = new ConcurrentHashMap<>();
    // Pools in the order their first part arrived; guarded by this.
    private final LinkedHashMap<String, List<Part>> queue = new LinkedHashMap<>();
    private final Map<String, Instant> queuedAt = new LinkedHashMap<>();
    private final Map<String, Instant> lastQueuedAt = new LinkedHashMap<>();
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private ExecutorService senders;
    private Thread flusher;
    private volatile boolean closed;

    /**
     * @param client makes the batch's own calls; they wait for permits as deferrable work, so they
     *     never hold back the next batch
     * @param limiter the account's rate limiter: a pool's call goes out once it has a permit no
     *     other caller is waiting for
     * @param onSettled told the domains whose parts got an answer, so their resources wake
     * @param verify reads the pool's domains once for an accepted batch the bulk pool list cannot
     *     verify (the pool had links already), before its resources wake to look; called with the
     *     batch's client
     */
    public PoolWriteBatcher(
            MailgunClient client,
            AccountRateLimiter limiter,
            Clock clock,
            Duration linger,
            Consumer<Set<String>> onSettled,
            BiConsumer<String, MailgunClient> verify) {
        this(client, limiter, clock, linger, onSettled, verify, null);
    }

    /**
     * @param recheck the longest the flusher waits before it reads the clock again (null: until
     *     the next due time): a clock that tests move by hand is seen within it
     */
    PoolWriteBatcher(
            MailgunClient client,
            AccountRateLimiter limiter,
            Clock clock,
            Duration linger,
            Consumer<Set<String>> onSettled,
            BiConsumer<String, MailgunClient> verify,
            Duration recheck) {
        this.recheck = recheck;
        this.client = client.deferrable();
        this.limiter = limiter;
        this.clock = clock;
        this.linger = linger;
        this.onSettled = onSettled;
        this.verify = verify;
    }

    /**
     * Queues linking a domain to a pool, unless that link is already queued or accepted. The links
     * of all bindings naming a pool are queued together (the binding that finds the pool first
     * queues its siblings' too), so a pool's call need not wait for reconciles still to come.
     */
    public synchronized Ticket link(String poolId, String domainId, String domain, boolean poolLinked) {
        String key = key(domain);
        Ticket current = tickets.get(key);
        if (current != null
                && current.poolId().equals(poolId)
                && (current.state() == State.QUEUED || current.state() == State.ACCEPTED)) {
            return current;
        }
        Ticket ticket = new Ticket(domain, poolId, State.QUEUED, clock.instant(), poolLinked, null);
        tickets.put(key, ticket);
        ticketKeysByPool
                .computeIfAbsent(poolId, k -> ConcurrentHashMap.newKeySet())
                .add(key);
        queue.computeIfAbsent(poolId, k -> new ArrayList<>()).add(new Part(domainId, domain));
        queuedAt.putIfAbsent(poolId, clock.instant());
        lastQueuedAt.put(poolId, clock.instant());
        startFlusher();
        notifyAll();
        return ticket;
    }

    /** The latest part of this domain, if one was queued and not forgotten. */
    public Optional<Ticket> ticket(String domain) {
        return Optional.ofNullable(tickets.get(key(domain)));
    }

    /** Drops a settled ticket (verified, or its failure reported); a queued one stays. */
    public void forget(String domain) {
        tickets.computeIfPresent(key(domain), (k, t) -> t.state() == State.QUEUED ? t : null);
    }

    /** Whether some link to the pool was accepted and not yet settled by a read. */
    public synchronized boolean hasAccepted(String poolId) {
        Set<String> keys = ticketKeysByPool.get(poolId);
        if (keys == null) {
            return false;
        }
        boolean accepted = false;
        for (String key : keys) {
            Ticket t = tickets.get(key);
            if (t == null || !t.poolId().equals(poolId)) {
                keys.remove(key); // forgotten, or queued for another pool since
            } else if (t.state() == State.ACCEPTED) {
                accepted = true;
            }
        }
        return accepted;
    }

    /** Pools with parts waiting for their PATCH. */
    public synchronized int queuedPools() {
        return queue.size();
    }

    private void startFlusher() {
        if (flusher == null && !closed) {
            senders = Executors.newFixedThreadPool(IN_FLIGHT, r -> daemon(r, "mailgun-batch-sender"));
            flusher = daemon(this::flushLoop, "mailgun-batch-flusher");
            flusher.start();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void flushLoop() {
        try {
            while (!closed) {
                String poolId = nextDuePool();
                Instant deferUntil;
                synchronized (this) {
                    deferUntil = queuedAt.get(poolId).plus(BACKPRESSURE_DEFER);
                }
                inFlight.acquire();
                boolean handedOver = false;
                try {
                    limiter.awaitSpare(deferUntil);
                    List<Part> parts;
                    synchronized (this) {
                        parts = queue.remove(poolId);
                        queuedAt.remove(poolId);
                        lastQueuedAt.remove(poolId);
                    }
                    if (parts != null && !parts.isEmpty()) {
                        senders.execute(() -> {
                            try {
                                send(poolId, parts, true);
                            } finally {
                                inFlight.release();
                            }
                        });
                        handedOver = true;
                    }
                } finally {
                    if (!handedOver) {
                        inFlight.release();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("Mailgun batch flusher stopped", e);
        }
    }

    /**
     * Waits for the pool whose queue is due first: the linger after its first part, stretched
     * while parts keep coming (half a linger after the last), at most four lingers.
     */
    private synchronized String nextDuePool() throws InterruptedException {
        while (true) {
            while (queuedAt.isEmpty()) {
                wait();
            }
            String soonest = null;
            Instant soonestDue = null;
            for (Map.Entry<String, Instant> e : queuedAt.entrySet()) {
                Instant due = due(e.getKey(), e.getValue());
                if (soonestDue == null || due.isBefore(soonestDue)) {
                    soonest = e.getKey();
                    soonestDue = due;
                }
            }
            Duration untilDue = Duration.between(clock.instant(), soonestDue);
            if (untilDue.toMillis() <= 0) {
                return soonest;
            }
            if (recheck != null && recheck.compareTo(untilDue) < 0) {
                untilDue = recheck;
            }
            // Due times come from the clock; the wait only bounds how soon it is read again.
            wait(Math.max(1, untilDue.toMillis()));
        }
    }

    private Instant due(String poolId, Instant first) {
        Instant due = first.plus(linger);
        Instant settledAfterLast = lastQueuedAt.get(poolId).plus(linger.dividedBy(2));
        if (settledAfterLast.isAfter(due)) {
            Instant cap = first.plus(linger.multipliedBy(4));
            due = settledAfterLast.isBefore(cap) ? settledAfterLast : cap;
        }
        return due;
    }

    /**
     * One PATCH for the parts; on a 400 for several parts, each half again. {@code capacityAwaited}
     * says the flusher already waited for the limiter for this call.
     */
    private void send(String poolId, List<Part> parts, boolean capacityAwaited) {
        try {
            if (!capacityAwaited) {
                limiter.awaitSpare(Instant.MIN);
            }
            List<String> ids = parts.stream().map(Part::domainId).toList();
            client.updatePool(poolId, new PoolChange(null, null, null, null, ids, null));
            Instant acceptedAt = clock.instant();
            if (needsRead(parts)) {
                verifyQuietly(poolId);
            }
            settle(poolId, parts, State.ACCEPTED, null, acceptedAt);
        } catch (MailgunApiException e) {
            if (parts.size() > 1 && (e.status() == 400 || e.status() == 404 && poolExists(poolId))) {
                log.debug(
                        "PATCH of pool {} with {} links rejected ({}); sending each half again",
                        poolId,
                        parts.size(),
                        e.mailgunMessage());
                int half = parts.size() / 2;
                send(poolId, parts.subList(0, half), false);
                send(poolId, parts.subList(half, parts.size()), false);
                return;
            }
            if (e.status() == 400 && alreadyLinked(poolId, parts.get(0).domain())) {
                // Mailgun refuses a PATCH that changes nothing: the link was there already.
                settle(poolId, parts, State.ACCEPTED, null, clock.instant());
                return;
            }
            settle(poolId, parts, e.isTransient() ? State.FAILED : State.REJECTED, e, clock.instant());
        } catch (MailgunException e) {
            settle(poolId, parts, e.isTransient() ? State.FAILED : State.REJECTED, e, clock.instant());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("PATCH of pool {} failed unexpectedly", poolId, e);
            settle(poolId, parts, State.FAILED, null, clock.instant());
        }
    }

    /** Whether some part was queued while the pool had links: only a read of it shows the part. */
    private boolean needsRead(List<Part> parts) {
        return parts.stream().map(p -> tickets.get(key(p.domain()))).anyMatch(t -> t != null && t.poolWasLinked());
    }

    private void verifyQuietly(String poolId) {
        try {
            verify.accept(poolId, client);
        } catch (RuntimeException e) {
            // The resources read the pool themselves when they wake.
            log.debug("verification read of pool {} failed: {}", poolId, e.toString());
        }
    }

    private boolean alreadyLinked(String poolId, String domain) {
        try {
            return client.listAllPoolDomains(poolId).stream()
                    .anyMatch(d -> d.name().equalsIgnoreCase(domain));
        } catch (MailgunException e) {
            return false;
        }
    }

    /** After a 404: whether it was the pool (every part fails) or one of the domains. */
    private boolean poolExists(String poolId) {
        try {
            client.getPool(poolId);
            return true;
        } catch (MailgunException e) {
            // Not found, or unknown: splitting would only repeat the failure.
            return false;
        }
    }

    private void settle(String poolId, List<Part> parts, State state, MailgunException failure, Instant now) {
        Set<String> domains = new TreeSet<>();
        for (Part p : parts) {
            tickets.computeIfPresent(
                    key(p.domain()),
                    (k, t) -> t.state() == State.QUEUED && t.poolId().equals(poolId) ? t.with(state, now, failure) : t);
            domains.add(p.domain());
        }
        try {
            onSettled.accept(domains);
        } catch (RuntimeException e) {
            log.warn("waking the resources of a settled batch failed", e);
        }
    }

    private static String key(String domain) {
        return domain.toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        closed = true;
        Thread f;
        synchronized (this) {
            f = flusher;
            notifyAll();
        }
        if (f != null) {
            f.interrupt();
            senders.shutdownNow();
            try {
                senders.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
