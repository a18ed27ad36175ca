package dev.ippools.mailgun.account;

import dev.ippools.mailgun.account.Watcher.Change;
import dev.ippools.mailgun.client.MailgunApiException;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.model.IpPoolDetails;
import dev.ippools.mailgun.client.model.IpWarmup;
import dev.ippools.mailgun.client.model.MailgunPool;
import dev.ippools.mailgun.plan.MailgunStep;
import dev.ippools.mailgun.plan.ResourceKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * The live state of one Mailgun account, shared by every reconciler that uses the account: the
 * latest bulk read ({@link AccountReads}, a {@link Snapshot}), the domains read on request ({@link
 * DomainObservations}), the delegations Mailgun accepted but does not list yet ({@link
 * AcceptedDelegations}), the links on the current endpoints ({@link BindingLinks}), the progress of
 * warm-ups ({@link WarmupProgress}) and the resources to wake on change ({@link Watchers}). The planner's view of it is made in {@code
 * mapping} ({@link #view}).
 */
public final class AccountState {

    private final AccountKey key;
    private final MailgunClient client;
    private final Clock clock;
    private final AccountReads reads;
    private final DomainObservations domains = new DomainObservations();
    private final Watchers watchers = new Watchers();
    private final WarmupProgress warmups;
    private final BindingLinks links;
    private final AcceptedDelegations acceptedDelegations;
    private volatile View<?> view;
    private volatile Instant lastUsed;

    AccountState(AccountKey key, MailgunClient client, Clock clock) {
        this(key, client, clock, BindingLinks.DEFAULT_LINGER);
    }

    AccountState(AccountKey key, MailgunClient client, Clock clock, Duration linkLinger) {
        this.key = key;
        this.client = client;
        this.clock = clock;
        this.lastUsed = clock.instant();
        this.reads = new AccountReads(key, client, clock);
        this.warmups = new WarmupProgress(key, client, clock);
        this.links = new BindingLinks(this, client, clock, linkLinger, BindingLinks.DEFAULT_RESYNC);
        this.acceptedDelegations = new AcceptedDelegations(clock);
    }

    /** Domain links on the current endpoints, batched per pool. */
    public BindingLinks links() {
        lastUsed = clock.instant();
        return links;
    }

    /** Records what was learnt about a domain, for the planner's view. */
    void recordDomain(DomainObservation observation) {
        domains.put(observation);
    }

    public AccountKey key() {
        return key;
    }

    /** The account's client, for the execution layer's writes. Reads go through this state. */
    public MailgunClient client() {
        lastUsed = clock.instant();
        return client;
    }

    /** The last snapshot, reading one first if there is none yet. */
    public Snapshot snapshot() {
        lastUsed = clock.instant();
        return reads.snapshot();
    }

    /** The error of the last failed refresh, cleared by a successful one. */
    public Optional<RuntimeException> lastError() {
        return reads.lastError();
    }

    /** When Mailgun last answered a bulk read of the account. */
    public Optional<Instant> lastConfirmed() {
        return reads.lastConfirmed();
    }

    Instant lastUsed() {
        return lastUsed;
    }

    /** Asks the next refreshes to read delegations too (once any pool of the account delegates). */
    public void wantDelegations() {
        reads.wantDelegations();
    }

    /**
     * Reads the account's pools and IPs in bulk and returns what changed since the last read.
     *
     * @throws RuntimeException the client's error when Mailgun cannot be read
     */
    public Change refresh() {
        return reads.refresh();
    }

    /**
     * Reads the progress of the account's warm-ups unless a read started after {@code since}: pools
     * waiting for warm-ups share one read per interval; a failed read keeps the last progress.
     */
    public void refreshWarmupsIfOlderThan(Instant since) {
        lastUsed = clock.instant();
        warmups.refreshIfOlderThan(since);
    }

    /**
     * Refreshes unless a read that started after {@code writtenAt} already happened: many resources
     * finishing writes at once share one bulk read instead of one each.
     */
    public Change refreshIfOlderThan(Instant writtenAt) {
        return reads.refreshIfOlderThan(writtenAt);
    }

    /**
     * Adds a pool Mailgun just created, from its answer, instead of reading the account again: the
     * next bulk read verifies it. Returns the change, for waking whoever waits on the pool.
     */
    public Change recordCreated(MailgunPool created) {
        lastUsed = clock.instant();
        return reads.recordCreated(created);
    }

    /**
     * Remembers the delegations and revocations among {@code done} (steps Mailgun accepted) until a
     * read shows them: until then the planner's view counts them as made and still propagating.
     */
    public void rememberAccepted(List<MailgunStep> done) {
        for (MailgunStep step : done) {
            if (step instanceof MailgunStep.DelegatePool d) {
                acceptedDelegations.delegated(d.poolId(), d.subaccountId());
            } else if (step instanceof MailgunStep.RevokePoolDelegation r) {
                acceptedDelegations.revoked(r.poolId(), r.subaccountId());
            }
        }
    }

    /** Whether Mailgun accepted a change of the pool's delegations that no read has shown yet. */
    public boolean delegationsPropagating(String poolId) {
        Snapshot s = reads.latest();
        if (s != null) {
            acceptedDelegations.settle(s);
        }
        return acceptedDelegations.propagating(poolId);
    }

    /**
     * Reads one domain's IPs and finds the DIPP linked to it, looking only at linked pools that
     * share an IP with the domain (usually one {@code GET /v3/ip_pools/{id}}).
     */
    public DomainObservation observeDomain(String domain) {
        return observeDomain(domain, null);
    }

    /**
     * Like {@link #observeDomain(String)}, but trusting a link this operator just made ({@code
     * knownPoolId}), which saves the pool lookup.
     */
    public DomainObservation observeDomain(String domain, String knownPoolId) {
        lastUsed = clock.instant();
        Snapshot s = snapshot();
        List<String> ips;
        try {
            ips = client.legacyListDomainIps(domain);
        } catch (MailgunApiException e) {
            if (e.isNotFound()) {
                DomainObservation missing = DomainObservation.missing(domain, clock.instant());
                domains.put(missing);
                return missing;
            }
            throw e;
        }
        Set<String> ipSet = new TreeSet<>(ips);
        String linkedPoolId = knownPoolId;
        // The link flag in the snapshot may predate a link made since, so every pool sharing an IP
        // with the domain is a candidate; the ones already flagged linked are asked first.
        List<MailgunPool> candidates = knownPoolId != null
                ? List.of()
                : s.pools().stream()
                        .filter(p -> p.ips().stream().anyMatch(ipSet::contains))
                        .sorted(Comparator.comparing(p -> !p.linked()))
                        .toList();
        for (MailgunPool pool : candidates) {
            IpPoolDetails details;
            try {
                details = client.getPool(pool.poolId());
            } catch (MailgunApiException e) {
                if (e.isNotFound()) {
                    continue; // deleted since the last poll: it links nothing any more
                }
                throw e;
            }
            if (details.linkedDomains() != null && details.linkedDomains().contains(domain)) {
                linkedPoolId = pool.poolId();
                break;
            }
        }
        DomainObservation next = new DomainObservation(
                domain, true, ipSet, linkedPoolId, poolFingerprint(s, linkedPoolId), clock.instant());
        domains.put(next);
        return next;
    }

    /** Reads the domains linked to a pool and each one's IPs: only while a pool is relinking. */
    public List<DomainObservation> observeLinkedDomains(String poolId) {
        List<DomainObservation> result = new ArrayList<>();
        for (var d : client.listAllPoolDomains(poolId)) {
            Set<String> ips = new TreeSet<>(client.legacyListDomainIps(d.name()));
            DomainObservation o = new DomainObservation(
                    d.name(), true, ips, poolId, poolFingerprint(snapshot(), poolId), clock.instant());
            domains.put(o);
            result.add(o);
        }
        return result;
    }

    /** The last observation of a domain, if one was made. */
    public Optional<DomainObservation> cachedDomain(String domain) {
        return domains.get(domain);
    }

    /** Forgets a domain observation, so the next reader asks Mailgun. */
    public void forgetDomain(String domain) {
        domains.forget(domain);
    }

    /** Whether a cached domain observation still describes its linked pool as last polled. */
    public boolean isCurrent(DomainObservation o, Duration maxAge) {
        if (o.readAt().plus(maxAge).isBefore(clock.instant())) {
            return false;
        }
        Snapshot s = reads.latest();
        return s != null && Objects.equals(o.linkedPoolFingerprint(), poolFingerprint(s, o.linkedPoolId()));
    }

    public void watch(Watcher watcher) {
        watchers.watch(watcher);
    }

    public void unwatch(String kind, ResourceKey key) {
        watchers.unwatch(kind, key);
    }

    /** The watchers a change concerns. */
    public List<Watcher> affectedBy(Change change) {
        return watchers.affectedBy(change);
    }

    List<Watcher> watchers() {
        return watchers.all();
    }

    /** The watchers watching one of these domains. */
    List<Watcher> watchersOf(Set<String> domains) {
        return watchers.watchingAnyOf(domains);
    }

    boolean hasWatchers() {
        return !watchers.isEmpty();
    }

    /**
     * What the planner's view is made of: the snapshot, the domains read so far, the delegations
     * with the changes Mailgun accepted but does not list yet counted as made, and the progress of
     * running warm-ups by IP as last read (empty until a pool waits for one). {@code origin} is the
     * account's state (compared by identity), so a view can be made from its last one.
     */
    public record Reading(
            Object origin,
            Snapshot snapshot,
            Map<String, DomainObservation> domains,
            long domainsVersion,
            LongFunction<Set<String>> domainsChangedSince,
            Map<String, Set<String>> delegationsInEffect,
            Map<String, Set<String>> delegationsPropagating,
            Map<String, IpWarmup> warmups) {

        /** The domains changed after an earlier {@link #domainsVersion}; null when too long ago to tell. */
        public Set<String> domainsChangedAfter(long version) {
            return domainsChangedSince.apply(version);
        }
    }

    /**
     * A view made from the {@link Reading} by {@code build}, made again only when the reading
     * changed: every reconcile of every resource of the account asks for the planner's view.
     *
     * @param build always the same function for one kind of view (a constant)
     */
    public <T> T view(Function<Reading, T> build) {
        Snapshot s = snapshot();
        acceptedDelegations.settle(s);
        DomainObservations.Versioned domainsNow = domains.current();
        long domainsVersion = domainsNow.version();
        long delegationsVersion = acceptedDelegations.version();
        WarmupProgress.Read progress = warmups.latest();
        View<?> cached = view;
        if (cached != null
                && cached.build() == build
                && cached.snapshot() == s
                && cached.domainsVersion() == domainsVersion
                && cached.delegationsVersion() == delegationsVersion
                && cached.warmups() == progress) {
            @SuppressWarnings("unchecked")
            T made = (T) cached.made();
            return made;
        }
        T made = build.apply(new Reading(
                this,
                s,
                domainsNow.byName(),
                domainsVersion,
                domains::changedSince,
                acceptedDelegations.inEffect(s.delegations()),
                acceptedDelegations.propagating(),
                progress.byIp()));
        view = new View<>(build, s, domainsVersion, delegationsVersion, progress, made);
        return made;
    }

    private record View<T>(
            Function<Reading, T> build,
            Snapshot snapshot,
            long domainsVersion,
            long delegationsVersion,
            WarmupProgress.Read warmups,
            T made) {}

    static String poolFingerprint(Snapshot s, String poolId) {
        return s == null ? null : s.poolFingerprint(poolId);
    }
}
