package dev.ippools.mailgun.account;

import dev.ippools.mailgun.account.Watcher.Change;
import dev.ippools.mailgun.client.MailgunApiException;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.MailgunException;
import dev.ippools.mailgun.client.model.AccountIps;
import dev.ippools.mailgun.client.model.IpPool;
import dev.ippools.mailgun.client.model.IpPoolDetails;
import dev.ippools.mailgun.client.model.IpWarmup;
import dev.ippools.mailgun.client.model.SubaccountPoolDelegation;
import dev.ippools.mailgun.plan.MailgunStep;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedDomain;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedIp;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedWarmup;
import dev.ippools.mailgun.plan.ObservedAccount;
import dev.ippools.mailgun.plan.ResourceKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cached live state of one Mailgun account, shared by every reconciler that uses the account.
 *
 * <p>One {@link #refresh()} costs {@code GET /v3/ip_pools} and {@code GET /v3/ips?dedicated=true}
 * (plus the delegation list once any pool of the account delegates), however many resources use
 * the account. Domain-level reads happen only on request, for bindings and relinking pools.
 */
public final class AccountState {

  private static final Logger log = LoggerFactory.getLogger(AccountState.class);

  private final AccountKey key;
  private final MailgunClient client;
  private final Clock clock;
  private final Map<ResourceKeyOfKind, Watcher> watchers = new ConcurrentHashMap<>();
  private final Map<String, DomainObservation> domains = new ConcurrentHashMap<>();

  private final AtomicLong domainsVersion =
      new AtomicLong();
  private volatile Observed observed;
  private volatile Snapshot snapshot;
  private volatile boolean delegationsWanted;
  private volatile RuntimeException lastError;
  private volatile Instant lastConfirmed;
  private volatile Instant lastUsed;
  private volatile Warmups warmups = new Warmups(Map.of(), null);

  private final BindingLinks links;
  private final AcceptedDelegations acceptedDelegations;

  AccountState(AccountKey key, MailgunClient client, Clock clock) {
    this(key, client, clock, BindingLinks.DEFAULT_LINGER);
  }

  AccountState(AccountKey key, MailgunClient client, Clock clock, Duration linkLinger) {
    this.key = key;
    this.client = client;
    this.clock = clock;
    this.lastUsed = clock.instant();
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
    put(observation);
  }

  private void put(DomainObservation observation) {
    DomainObservation before = domains.put(observation.name(), observation);
    // Only what the planner sees makes its view stale; a re-read that found the same does not.
    if (before == null || before.exists() != observation.exists()
        || !Objects.equals(before.ips(), observation.ips())
        || !Objects.equals(before.linkedPoolId(), observation.linkedPoolId())) {
      domainsVersion.incrementAndGet();
    }
  }

  public AccountKey key() {
    return key;
  }

  /** The account's client, for writes. Reads go through the cached state instead. */
  public MailgunClient client() {
    lastUsed = clock.instant();
    return client;
  }

  /** The last snapshot, reading one first if there is none yet. */
  public Snapshot snapshot() {
    lastUsed = clock.instant();
    Snapshot s = snapshot;
    if (s == null) {
      // Every reconcile of a new account asks at once: one of them reads, the rest wait for it.
      synchronized (this) {
        if (snapshot == null) {
          refresh();
        }
        s = snapshot;
      }
    }
    return s;
  }

  /** The error of the last failed refresh, cleared by a successful one. */
  public Optional<RuntimeException> lastError() {
    return Optional.ofNullable(lastError);
  }

  /** When Mailgun last answered a bulk read of the account. */
  public Optional<Instant> lastConfirmed() {
    return Optional.ofNullable(lastConfirmed);
  }

  Instant lastUsed() {
    return lastUsed;
  }

  /** Asks the next refreshes to read delegations too (once any pool of the account delegates). */
  public void wantDelegations() {
    if (!delegationsWanted) {
      delegationsWanted = true;
      snapshot = null;
    }
  }

  /**
   * Reads the account's pools and IPs in bulk and returns what changed since the last read.
   *
   * @throws RuntimeException the client's error when Mailgun cannot be read
   */
  public synchronized Change refresh() {
    Instant started = clock.instant();
    try {
      List<IpPool> pools = client.listPools();
      AccountIps ips = client.listIps(true, null);
      Map<String, Set<String>> delegations =
          delegationsWanted && key.subaccountId() == null ? readDelegations() : Map.of();
      Snapshot next = new Snapshot(pools, ips, delegations, started);
      Change change = diff(snapshot, next);
      snapshot = next;
      lastError = null;
      lastConfirmed = started;
      return change;
    } catch (RuntimeException e) {
      lastError = e;
      throw e;
    }
  }

  /**
   * Reads the progress of the account's warm-ups ({@code GET /v3/ip_warmups}, all pages) unless a
   * read started after {@code since}: pools waiting for warm-ups share one read per interval. A
   * failed read keeps the progress last read and is not tried again before the next interval: the
   * warm-up's end shows in the bulk IP read anyway.
   */
  public synchronized void refreshWarmupsIfOlderThan(Instant since) {
    Warmups w = warmups;
    if (w.readAt() != null && w.readAt().isAfter(since)) {
      return;
    }
    Instant started = clock.instant();
    Map<String, IpWarmup> byIp = new LinkedHashMap<>();
    try {
      client.listAllWarmups().forEach(warmup -> byIp.put(warmup.ip(), warmup));
      warmups = new Warmups(Map.copyOf(byIp), started);
    } catch (MailgunException e) {
      log.debug("account {}: warm-up progress not read: {}", key, e.getMessage());
      warmups = new Warmups(w.byIp(), started);
    }
  }

  private record Warmups(Map<String, IpWarmup> byIp, Instant readAt) {}

  /**
   * Refreshes unless a read that started after {@code writtenAt} already happened: many resources
   * finishing writes at once share one bulk read instead of one each.
   */
  public synchronized Change refreshIfOlderThan(Instant writtenAt) {
    Snapshot s = snapshot;
    if (s != null && s.readAt().isAfter(writtenAt)) {
      return new Change(Set.of(), Set.of(), Set.of());
    }
    return refresh();
  }

  /**
   * Adds a pool Mailgun just created, from its answer, instead of reading the account again: the
   * next bulk read verifies it. Returns the change, for waking whoever waits on the pool.
   */
  public synchronized Change recordCreated(IpPool created) {
    Snapshot s = snapshot();
    if (s.pools().stream().anyMatch(p -> p.poolId().equals(created.poolId()))) {
      return new Change(Set.of(), Set.of(), Set.of());
    }
    List<IpPool> pools = new ArrayList<>(s.pools());
    pools.add(created);
    Snapshot next = new Snapshot(List.copyOf(pools), s.ips(), s.delegations(), s.readAt());
    Change change = diff(s, next);
    snapshot = next;
    return change;
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
    Snapshot s = snapshot;
    if (s != null) {
      acceptedDelegations.settle(s);
    }
    return acceptedDelegations.propagating(poolId);
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
        put(missing);
        return missing;
      }
      throw e;
    }
    Set<String> ipSet = new TreeSet<>(ips);
    String linkedPoolId = knownPoolId;
    // The link flag in the snapshot may predate a link made since, so every pool sharing an IP
    // with the domain is a candidate; the ones already flagged linked are asked first.
    List<IpPool> candidates = knownPoolId != null ? List.of() : s.pools().stream()
        .filter(p -> p.ips().stream().anyMatch(ipSet::contains))
        .sorted(Comparator.comparing(p -> !p.linked()))
        .toList();
    for (IpPool pool : candidates) {
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
    DomainObservation next =
        new DomainObservation(domain, true, ipSet, linkedPoolId, poolFingerprint(s, linkedPoolId),
            clock.instant());
    put(next);
    return next;
  }

  /** Reads the domains linked to a pool and each one's IPs: only while a pool is relinking. */
  public List<DomainObservation> observeLinkedDomains(String poolId) {
    List<DomainObservation> result = new ArrayList<>();
    for (var d : client.listAllPoolDomains(poolId)) {
      Set<String> ips = new TreeSet<>(client.legacyListDomainIps(d.name()));
      DomainObservation o =
          new DomainObservation(d.name(), true, ips, poolId, poolFingerprint(snapshot(), poolId),
              clock.instant());
      put(o);
      result.add(o);
    }
    return result;
  }

  /** The last observation of a domain, if one was made. */
  public Optional<DomainObservation> cachedDomain(String domain) {
    return Optional.ofNullable(domains.get(domain));
  }

  /** Forgets a domain observation, so the next reader asks Mailgun. */
  public void forgetDomain(String domain) {
    if (domains.remove(domain) != null) {
      domainsVersion.incrementAndGet();
    }
  }

  /** Whether a cached domain observation still describes its linked pool as last polled. */
  public boolean isCurrent(DomainObservation o, Duration maxAge) {
    if (o.readAt().plus(maxAge).isBefore(clock.instant())) {
      return false;
    }
    Snapshot s = snapshot;
    return s != null && Objects.equals(o.linkedPoolFingerprint(), poolFingerprint(s, o.linkedPoolId()));
  }

  public void watch(Watcher watcher) {
    watchers.put(new ResourceKeyOfKind(watcher.kind(), watcher.key()), watcher);
  }

  public void unwatch(String kind, ResourceKey key) {
    watchers.remove(new ResourceKeyOfKind(kind, key));
  }

  /** The watchers a change concerns. */
  public List<Watcher> affectedBy(Change change) {
    if (change.isEmpty()) {
      return List.of();
    }
    return watchers.values().stream().filter(w -> w.caresAbout(change)).toList();
  }

  List<Watcher> watchers() {
    return List.copyOf(watchers.values());
  }

  boolean hasWatchers() {
    return !watchers.isEmpty();
  }

  /**
   * The planner's view: the snapshot plus the domains read so far, with the delegation changes
   * Mailgun accepted but does not list yet counted as made.
   */
  public ObservedAccount toObserved() {
    Snapshot s = snapshot();
    acceptedDelegations.settle(s);
    long version = domainsVersion.get();
    long delegationsVersion = acceptedDelegations.version();
    Observed cached = observed;
    // Every reconcile of every resource of the account asks; build the view once per change.
    Warmups w = warmups;
    if (cached != null && cached.snapshot() == s && cached.domainsVersion() == version
        && cached.delegationsVersion() == delegationsVersion && cached.warmups() == w) {
      return cached.account();
    }
    ObservedAccount account = buildObserved(s, w);
    observed = new Observed(s, version, delegationsVersion, w, account);
    return account;
  }

  private ObservedAccount buildObserved(Snapshot s, Warmups progress) {
    Map<String, ObservedDomain> observedDomains = new LinkedHashMap<>();
    // Linked domains as far as domain observations tell; known only once one was read for a pool.
    Map<String, Set<String>> linkedByPool = new HashMap<>();
    for (DomainObservation d : domains.values()) {
      if (d.exists()) {
        observedDomains.put(d.name(), new ObservedDomain(d.name(), d.ips(), d.linkedPoolId()));
      }
      if (d.linkedPoolId() != null) {
        linkedByPool.computeIfAbsent(d.linkedPoolId(), k -> new TreeSet<>()).add(d.name());
      }
    }
    Map<String, ObservedPool> pools = new LinkedHashMap<>();
    for (IpPool p : s.pools()) {
      pools.put(
          p.poolId(),
          new ObservedPool(
              p.poolId(),
              p.name(),
              p.description(),
              new TreeSet<>(p.ips()),
              p.inherited(),
              p.linked(),
              linkedByPool.get(p.poolId())));
    }
    Map<String, ObservedIp> ips = new LinkedHashMap<>();
    AccountIps accountIps = s.ips();
    Set<String> warming = new HashSet<>();
    if (accountIps.details() != null) {
      accountIps.details().stream().filter(AccountIps.IpDetail::onWarmup)
          .forEach(d -> warming.add(d.ip()));
    }
    Set<String> assignable =
        accountIps.assignableToPools() == null ? Set.of() : Set.copyOf(accountIps.assignableToPools());
    for (String ip : accountIps.items()) {
      boolean onWarmup = warming.contains(ip);
      IpWarmup w = onWarmup ? progress.byIp().get(ip) : null;
      ips.put(ip, new ObservedIp(ip, true, onWarmup, assignable.contains(ip),
          w == null ? null : new ObservedWarmup(w.stage(), w.totalStages(), w.sentWithinStage(),
              w.stageStartedAt(), w.planStartedAt())));
    }
    return new ObservedAccount(pools, ips, accountIps.dippsEnabled(),
        acceptedDelegations.inEffect(s.delegations()), observedDomains,
        acceptedDelegations.propagating());
  }

  private record Observed(
      Snapshot snapshot,
      long domainsVersion,
      long delegationsVersion,
      Warmups warmups,
      ObservedAccount account) {}

  static String poolFingerprint(Snapshot s, String poolId) {
    if (poolId == null || s == null) {
      return null;
    }
    return s.pools().stream()
        .filter(p -> p.poolId().equals(poolId))
        .findFirst()
        .map(p -> new TreeSet<>(p.ips()) + "/" + p.linked())
        .orElse("gone");
  }

  private static Change diff(Snapshot before, Snapshot after) {
    Set<String> poolIds = new TreeSet<>();
    Set<String> ips = new TreeSet<>();
    Map<String, IpPool> old = before == null ? Map.of() : byId(before.pools());
    Map<String, IpPool> now = byId(after.pools());
    for (String id : union(old.keySet(), now.keySet())) {
      IpPool a = old.get(id);
      IpPool b = now.get(id);
      if (!samePool(a, b)) {
        poolIds.add(id);
        if (a != null) {
          ips.addAll(a.ips());
        }
        if (b != null) {
          ips.addAll(b.ips());
        }
      }
    }
    Map<String, Set<String>> oldDelegations = before == null ? Map.of() : before.delegations();
    for (String id : union(oldDelegations.keySet(), after.delegations().keySet())) {
      if (!Objects.equals(oldDelegations.get(id), after.delegations().get(id))) {
        poolIds.add(id);
      }
    }
    if (before == null || !sameIps(before.ips(), after.ips())) {
      ips.addAll(after.ips().items());
      if (before != null) {
        ips.addAll(before.ips().items());
      }
    }
    return new Change(poolIds, ips, Set.of());
  }

  private static boolean samePool(IpPool a, IpPool b) {
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

  private static Map<String, IpPool> byId(List<IpPool> pools) {
    Map<String, IpPool> m = new HashMap<>();
    pools.forEach(p -> m.put(p.poolId(), p));
    return m;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> u = new TreeSet<>(a);
    u.addAll(b);
    return u;
  }

  private record ResourceKeyOfKind(String kind, ResourceKey key) {}

  /** One bulk read of the account. */
  public record Snapshot(
      List<IpPool> pools, AccountIps ips, Map<String, Set<String>> delegations, Instant readAt) {}

  /**
   * What Mailgun said about one domain.
   *
   * @param ips null when not read (a pool's domain list says the domain is elsewhere, not where)
   * @param linkedPoolFingerprint the linked pool's IPs and link flag when read, to notice change
   */
  public record DomainObservation(
      String name,
      boolean exists,
      Set<String> ips,
      String linkedPoolId,
      String linkedPoolFingerprint,
      Instant readAt) {
    static DomainObservation missing(String name, Instant at) {
      return new DomainObservation(name, false, Set.of(), null, null, at);
    }
  }
}
