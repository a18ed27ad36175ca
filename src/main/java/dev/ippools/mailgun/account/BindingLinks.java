package dev.ippools.mailgun.account;

import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.model.MailgunPool;
import dev.ippools.mailgun.execute.batch.PoolWriteBatcher;
import dev.ippools.mailgun.execute.batch.PoolWriteBatcher.State;
import dev.ippools.mailgun.execute.batch.PoolWriteBatcher.Ticket;
import dev.ippools.mailgun.plan.LinkStanding;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Where a sending domain stands towards the pool its binding wants, on Mailgun's current
 * endpoints: domain ids from {@code GET /v4/domains}, links through the account's {@link
 * PoolWriteBatcher}, and verification shared per pool: the bulk pool list when it shows a pool
 * that had no domains as linked, otherwise one {@code GET /v3/ip_pools/{id}/domains} for all the
 * pool's bindings. Never a read per written domain.
 */
public final class BindingLinks implements AutoCloseable {

    /** Default wait before a pool's queue goes out, so bindings woken together go together. */
    public static final Duration DEFAULT_LINGER = Duration.ofSeconds(2);

    /** How long what is known of a pool's domains decides that a domain still needs linking. */
    public static final Duration DEFAULT_RESYNC = Duration.ofMinutes(30);

    /** How long an accepted link may stay unseen, or a rejected one refused, before a retry. */
    static final Duration ACCEPTED_EXPIRY = Duration.ofMinutes(10);

    /** A domain's standing, its id and its batch ticket (if it has one). */
    public record View(LinkStanding standing, String domainId, Ticket ticket) {}

    private final AccountState account;
    private final Duration resync;
    private final Clock clock;
    private final DomainDirectory directory;
    private final PoolLinks poolLinks;
    private final PoolWriteBatcher batcher;
    private volatile Consumer<Set<String>> onSettled = d -> {};

    BindingLinks(AccountState account, MailgunClient client, Clock clock, Duration linger, Duration resync) {
        this.account = account;
        this.resync = resync;
        this.clock = clock;
        this.directory = new DomainDirectory(client, clock);
        this.poolLinks = new PoolLinks(client, clock);
        this.batcher = new PoolWriteBatcher(
                client, client.rateLimiter(), clock, linger, d -> onSettled.accept(d), this::readAfterBatch);
    }

    /** Told the domains whose batch got an answer. */
    void onSettled(Consumer<Set<String>> listener) {
        this.onSettled = listener;
    }

    /**
     * Observes the domain towards {@code poolId} (null: the pool has no id yet) and records what
     * was found for the planner. Reads the pool's domains only when the link is not settled and no
     * read of the pool younger than {@code maxAge} answers it.
     */
    public View observe(String domain, String poolId, Duration maxAge) {
        return observe(domain, poolId, maxAge, resync, true);
    }

    /**
     * Like {@link #observe}, for a binding that never links (managementPolicy Observe): batch
     * tickets are none of its business, and it never queues one.
     */
    public View observeOnly(String domain, String poolId, Duration maxAge) {
        return observe(domain, poolId, maxAge, resync, false);
    }

    /**
     * Like {@link #observe}, for a deletion: only what Mailgun showed within {@code maxAge} says the
     * domain is not in the pool, since a deletion that let go on an older read could leave the link
     * behind.
     */
    public View observeBeforeUnlink(String domain, String poolId, Duration maxAge) {
        return observe(domain, poolId, maxAge, maxAge, true);
    }

    /**
     * @param notLinkedMaxAge how old a read of the pool (bulk or its domains) may be and still say
     *     the domain is not linked
     * @param tickets whether the domain's batch ticket for the pool decides
     */
    private View observe(String domain, String poolId, Duration maxAge, Duration notLinkedMaxAge, boolean tickets) {
        Optional<String> id = directory.idOf(domain);
        if (id.isEmpty()) {
            account.recordDomain(DomainObservation.missing(domain, clock.instant()));
            return new View(LinkStanding.DOMAIN_MISSING, null, null);
        }
        Snapshot s = account.snapshot();
        MailgunPool pool = poolId == null ? null : pool(s, poolId);
        if (pool == null) {
            recordNotLinked(domain, s);
            return new View(LinkStanding.NOT_LINKED, id.get(), null);
        }
        Ticket ticket = !tickets
                ? null
                : batcher.ticket(domain).filter(t -> t.poolId().equals(poolId)).orElse(null);
        if (ticket != null) {
            switch (ticket.state()) {
                case QUEUED:
                    return new View(LinkStanding.QUEUED, id.get(), ticket);
                case REJECTED:
                    // Held a while, so a binding woken by every account change does not resend it.
                    if (ticket.at().plus(ACCEPTED_EXPIRY).isAfter(clock.instant())) {
                        return new View(LinkStanding.REJECTED, id.get(), ticket);
                    }
                    batcher.forget(domain);
                    break;
                case FAILED:
                    return new View(LinkStanding.FAILED, id.get(), ticket);
                case ACCEPTED:
                    if (verified(ticket, s, pool, maxAge)) {
                        batcher.forget(domain);
                        poolLinks.linked(poolId, domain);
                        recordLinked(domain, s, pool);
                        return new View(LinkStanding.LINKED, id.get(), null);
                    }
                    if (ticket.at().plus(ACCEPTED_EXPIRY).isAfter(clock.instant())) {
                        return new View(LinkStanding.ACCEPTED, id.get(), ticket);
                    }
                    batcher.forget(domain);
                    break;
                default:
                    throw new IllegalStateException("unknown ticket state " + ticket.state());
            }
        }
        Optional<DomainObservation> cached = account.cachedDomain(domain);
        if (cached.isPresent()
                && poolId.equals(cached.get().linkedPoolId())
                && account.isCurrent(cached.get(), maxAge)) {
            return new View(LinkStanding.LINKED, id.get(), null);
        }
        // Mailgun's link flag says a pool has no domains at all: nothing to read. Otherwise what is
        // known of the pool decides, up to the resync interval old (a deletion's interval: shorter):
        // if another hand linked the domain meanwhile, the link is a no-op that Mailgun's answer and
        // one read settle.
        Instant notBefore = clock.instant().minus(notLinkedMaxAge);
        boolean linked;
        if (!pool.linked() && !s.readAt().isBefore(notBefore)) {
            poolLinks.noneLinked(poolId, s.readAt(), ipsOf(pool));
            linked = false;
        } else {
            linked = poolLinks.read(poolId, notBefore, ipsOf(pool)).has(domain);
        }
        if (linked) {
            recordLinked(domain, s, pool);
            return new View(LinkStanding.LINKED, id.get(), null);
        }
        recordNotLinked(domain, s);
        return new View(LinkStanding.NOT_LINKED, id.get(), null);
    }

    /** The one read an accepted batch to a pool with links gets, shared by all its bindings. */
    private void readAfterBatch(String poolId, MailgunClient batchClient) {
        MailgunPool pool = pool(account.snapshot(), poolId);
        if (pool != null) {
            poolLinks.read(poolId, clock.instant(), ipsOf(pool), batchClient);
        }
    }

    /** Queues the link in the pool's next PATCH. */
    public View link(String domain, String domainId, String poolId) {
        MailgunPool pool = pool(account.snapshot(), poolId);
        boolean poolLinked = pool == null || pool.linked() || batcher.hasAccepted(poolId);
        return new View(LinkStanding.QUEUED, domainId, batcher.link(poolId, domainId, domain, poolLinked));
    }

    /** Whether the domain has a batch ticket for this pool (queued, answered, not yet settled). */
    public boolean hasTicket(String domain, String poolId) {
        return batcher.ticket(domain).map(t -> t.poolId().equals(poolId)).orElse(false);
    }

    /** Whether the domain's link is queued or accepted and not yet seen. */
    public boolean inBatch(String domain) {
        return batcher.ticket(domain)
                .map(t -> t.state() == State.QUEUED || t.state() == State.ACCEPTED)
                .orElse(false);
    }

    /** Lets a reported failure go, so the next reconcile tries again. */
    public void forgetFailure(String domain) {
        batcher.forget(domain);
    }

    /** Pools with links waiting for their PATCH. */
    public int queuedPools() {
        return batcher.queuedPools();
    }

    private boolean verified(Ticket ticket, Snapshot s, MailgunPool pool, Duration maxAge) {
        if (!ticket.poolWasLinked()) {
            // The batch linked the pool's first domains: the bulk read after it shows them all, or
            // (Mailgun still propagating) not yet; either way no read of its own.
            return s.readAt().isAfter(ticket.at()) && pool.linked();
        }
        Instant notBefore = clock.instant().minus(maxAge);
        if (notBefore.isBefore(ticket.at())) {
            notBefore = ticket.at();
        }
        return poolLinks.read(pool.poolId(), notBefore, ipsOf(pool)).has(ticket.domain());
    }

    private static String ipsOf(MailgunPool pool) {
        return new TreeSet<>(pool.ips()).toString();
    }

    private void recordLinked(String domain, Snapshot s, MailgunPool pool) {
        // Mailgun lists a linked domain once it has moved to the pool's IPs.
        account.recordDomain(new DomainObservation(
                domain,
                true,
                new TreeSet<>(pool.ips()),
                pool.poolId(),
                s.poolFingerprint(pool.poolId()),
                clock.instant()));
    }

    private void recordNotLinked(String domain, Snapshot s) {
        // Not in the pool's list: which pool or IPs the domain uses instead was not read.
        account.recordDomain(new DomainObservation(domain, true, null, null, null, clock.instant()));
    }

    private static MailgunPool pool(Snapshot s, String poolId) {
        return s.pool(poolId).orElse(null);
    }

    @Override
    public void close() {
        batcher.close();
    }
}
