package dev.ippools.mailgun.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The emulated Mailgun account: IPs, pools, domains and subaccounts, plus the queue of background
 * work ("sagas") that Mailgun runs after answering {@code started}.
 *
 * <p>Two views of each domain are kept. The committed view (its linked pool or explicit IPs) is
 * what the rules are checked against and changes at once. The visible view is what reads of domain
 * IPs and linked domains show; it catches up with the committed view when queued propagation work
 * is applied. All access goes through {@link #locked}.
 */
final class EmulatorState {

  static final Pattern OBJECT_ID = Pattern.compile("^[0-9a-f]{24}$");

  private final ReentrantLock lock = new ReentrantLock();
  private final Clock clock;
  private Duration propagationDelay;
  private boolean failDelegationMidway;

  private long idCounter;
  private long operationCounter;
  private String primaryId;
  private boolean dippsEnabled;
  private boolean sharedIpEligible;
  private final Map<String, Account> accounts = new LinkedHashMap<>();
  private final Map<String, Ip> ips = new LinkedHashMap<>();
  private final Map<String, Pool> pools = new LinkedHashMap<>();
  private final Map<String, Domain> domains = new LinkedHashMap<>();
  private final List<Operation> pending = new ArrayList<>();
  private final List<EmulatorSnapshot.FailedOperation> failed = new ArrayList<>();

  EmulatorState(AccountFixture fixture, Clock clock, Duration propagationDelay) {
    this.clock = clock;
    this.propagationDelay = propagationDelay;
    load(fixture);
  }

  // ---------------------------------------------------------------- model

  static final class Account {
    final String id;
    final String name;
    final boolean primary;

    /** For a subaccount: the parent's IPs linked to it. */
    final Set<String> linkedIps = new LinkedHashSet<>();

    Account(String id, String name, boolean primary) {
      this.id = id;
      this.name = name;
      this.primary = primary;
    }
  }

  record Ip(String address, boolean dedicated, boolean enabled, boolean warmup, String rdns) {}

  static final class Pool {
    final String id;
    final String ownerId;
    String name;
    String description;

    /** IP to the time it joined the pool, in joining order. */
    final Map<String, Instant> ips = new LinkedHashMap<>();

    /** Subaccounts the delegation work has been applied for. */
    final Set<String> delegatedTo = new LinkedHashSet<>();

    Pool(String id, String ownerId, String name, String description) {
      this.id = id;
      this.ownerId = ownerId;
      this.name = name;
      this.description = description;
    }
  }

  /** A domain's IP assignment: a linked pool and its IPs, or explicit IPs (poolId null). */
  record Assignment(String poolId, List<String> ips) {}

  static final class Domain {
    final String id;
    final String name;
    final String accountId;
    final Instant createdAt;

    /** Committed link; when set, the domain's IPs are the pool's IPs. */
    String poolId;

    /** Committed explicit IPs; used only while no pool is linked. */
    List<String> ips = List.of();

    long version;
    Assignment visible = new Assignment(null, List.of());
    long visibleVersion;

    Domain(String id, String name, String accountId, Instant createdAt) {
      this.id = id;
      this.name = name;
      this.accountId = accountId;
      this.createdAt = createdAt;
    }
  }

  /** Background work due at a time; applied in (due, seq) order. */
  private sealed interface Work permits DomainPropagation, DelegationChange {}

  private record DomainPropagation(String domainId, long version, Assignment target)
      implements Work {}

  /**
   * Delegation saga for one subaccount: revoke some pools (unlinking the subaccount's domains from
   * each), then optionally delegate one pool.
   */
  private record DelegationChange(
      String subaccountId, List<String> revokePoolIds, String delegatePoolId, boolean failMidway)
      implements Work {}

  private record Operation(long seq, Instant due, String referenceId, String kind, Work work) {}

  // ---------------------------------------------------------------- locking, clock, settings

  <T> T locked(Supplier<T> action) {
    lock.lock();
    try {
      applyDue();
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  Instant now() {
    return clock.instant();
  }

  void setPropagationDelay(Duration delay) {
    locked(
        () -> {
          propagationDelay = delay;
          return null;
        });
  }

  void setFailDelegationMidway(boolean fail) {
    locked(
        () -> {
          failDelegationMidway = fail;
          return null;
        });
  }

  String newId() {
    idCounter++;
    return String.format(Locale.ROOT, "6650%020x", idCounter);
  }

  // ---------------------------------------------------------------- fixture loading

  private void load(AccountFixture fixture) {
    String accountId = fixture.accountId() == null ? newId() : fixture.accountId();
    requireObjectId(accountId, "accountId");
    primaryId = accountId;
    dippsEnabled = fixture.features().dipps();
    sharedIpEligible = fixture.features().sharedIpEligible();
    Account primary = new Account(accountId, "primary", true);
    accounts.put(accountId, primary);

    for (AccountFixture.IpFixture ip : fixture.ips()) {
      if (!IpAddresses.isValid(ip.ip())) {
        throw fixtureError("invalid IP address '" + ip.ip() + "'");
      }
      if (ips.containsKey(ip.ip())) {
        throw fixtureError("IP " + ip.ip() + " is listed twice");
      }
      String rdns = ip.rdns() == null ? defaultRdns(ip.ip()) : ip.rdns();
      ips.put(ip.ip(), new Ip(ip.ip(), ip.dedicated(), ip.enabled(), ip.warmup(), rdns));
    }

    for (AccountFixture.SubaccountFixture sub : fixture.subaccounts()) {
      requireObjectId(sub.id(), "subaccount id");
      if (accounts.containsKey(sub.id())) {
        throw fixtureError("account id " + sub.id() + " is used twice");
      }
      String name = sub.name() == null ? sub.id() : sub.name();
      accounts.put(sub.id(), new Account(sub.id(), name, false));
    }

    for (AccountFixture.PoolFixture pf : fixture.pools()) {
      if (pf.name() == null || pf.name().isBlank()) {
        throw fixtureError("every pool needs a name");
      }
      String id = pf.id() == null ? newId() : pf.id();
      requireObjectId(id, "pool id");
      if (pools.containsKey(id)) {
        throw fixtureError("pool id " + id + " is used twice");
      }
      String description = pf.description() == null ? pf.name() : pf.description();
      Pool pool = new Pool(id, primaryId, pf.name(), description);
      for (String address : pf.ips()) {
        String problem = poolEligibilityProblem(primary, address, null);
        if (problem != null) {
          throw fixtureError("pool " + pf.name() + ": " + problem);
        }
        pool.ips.put(address, now());
      }
      pools.put(id, pool);
      for (String subId : pf.delegatedTo()) {
        if (subaccount(subId).isEmpty()) {
          throw fixtureError("pool " + pf.name() + " is delegated to unknown subaccount " + subId);
        }
        pool.delegatedTo.add(subId);
      }
    }

    for (AccountFixture.SubaccountFixture sf : fixture.subaccounts()) {
      Account sub = accounts.get(sf.id());
      for (String address : sf.ips()) {
        Ip ip = ips.get(address);
        if (ip == null || !ip.dedicated()) {
          throw fixtureError(
              "subaccount " + sf.id() + ": " + address + " is not a dedicated IP of the account");
        }
        if (poolHolding(address).isPresent()) {
          throw fixtureError(
              "subaccount " + sf.id() + ": " + address + " belongs to a pool of the parent");
        }
        sub.linkedIps.add(address);
      }
    }

    for (AccountFixture.DomainFixture df : fixture.domains()) {
      loadDomain(primary, df);
    }
    for (AccountFixture.SubaccountFixture sf : fixture.subaccounts()) {
      for (AccountFixture.DomainFixture df : sf.domains()) {
        loadDomain(accounts.get(sf.id()), df);
      }
    }
  }

  private void loadDomain(Account account, AccountFixture.DomainFixture df) {
    if (df.name() == null || !MailgunApi.isDomainName(df.name())) {
      throw fixtureError("invalid domain name '" + df.name() + "'");
    }
    String name = df.name().toLowerCase(Locale.ROOT);
    if (domainNamed(name).isPresent()) {
      throw fixtureError("domain " + name + " is listed twice");
    }
    String id = df.id() == null ? newId() : df.id();
    requireObjectId(id, "domain id");
    if (domains.containsKey(id)) {
      throw fixtureError("domain id " + id + " is used twice");
    }
    Domain domain = new Domain(id, name, account.id, now());
    if (df.pool() != null && df.ips() != null) {
      throw fixtureError("domain " + name + " sets both pool and ips");
    }
    if (df.pool() != null) {
      Pool pool =
          visiblePools(account).stream()
              .filter(p -> p.id.equals(df.pool()) || p.name.equals(df.pool()))
              .findFirst()
              .orElseThrow(() -> fixtureError("domain " + name + ": unknown pool " + df.pool()));
      if (pool.ips.isEmpty()) {
        throw fixtureError("domain " + name + ": pool " + df.pool() + " has no IPs");
      }
      domain.poolId = pool.id;
    } else if (df.ips() != null) {
      for (String address : df.ips()) {
        String problem = domainIpProblem(account, address);
        if (problem != null) {
          throw fixtureError("domain " + name + ": " + problem);
        }
      }
      domain.ips = List.copyOf(new LinkedHashSet<>(df.ips()));
    } else {
      domain.ips = defaultIps(account);
    }
    domains.put(id, domain);
    commit(domain, false);
  }

  private static IllegalArgumentException fixtureError(String message) {
    return new IllegalArgumentException("emulator fixture: " + message);
  }

  private static void requireObjectId(String value, String what) {
    if (value == null || !OBJECT_ID.matcher(value).matches()) {
      throw fixtureError(what + " must be 24 lowercase hex characters, got '" + value + "'");
    }
  }

  private static String defaultRdns(String address) {
    return "ip-" + address.replace('.', '-').replace(':', '-') + ".mailgun.example";
  }

  // ---------------------------------------------------------------- accounts and flags

  boolean dippsEnabled() {
    return dippsEnabled;
  }

  boolean sharedIpEligible() {
    return sharedIpEligible;
  }

  Account primary() {
    return accounts.get(primaryId);
  }

  Optional<Account> account(String id) {
    return Optional.ofNullable(accounts.get(id));
  }

  Optional<Account> subaccount(String id) {
    Account account = id == null ? null : accounts.get(id);
    return account == null || account.primary ? Optional.empty() : Optional.of(account);
  }

  List<Account> subaccounts() {
    return accounts.values().stream().filter(a -> !a.primary).toList();
  }

  // ---------------------------------------------------------------- IPs

  Optional<Ip> ip(String address) {
    return Optional.ofNullable(ips.get(address));
  }

  boolean owns(Account account, String address) {
    if (!ips.containsKey(address)) {
      return false;
    }
    return account.primary || account.linkedIps.contains(address);
  }

  /** The IPs an account sees, in fixture order. */
  List<Ip> accountIps(Account account) {
    return ips.values().stream().filter(ip -> owns(account, ip.address())).toList();
  }

  Optional<Pool> poolHolding(String address) {
    return pools.values().stream().filter(p -> p.ips.containsKey(address)).findFirst();
  }

  /** Why an IP may not join {@code target} (null when it may); target null for a new pool. */
  String poolEligibilityProblem(Account account, String address, Pool target) {
    if (!IpAddresses.isValid(address)) {
      return "invalid IP address: " + address;
    }
    if (!owns(account, address)) {
      return "IP " + address + " does not belong to the account";
    }
    Ip ip = ips.get(address);
    if (!ip.dedicated()) {
      return "IP " + address + " is not a dedicated IP";
    }
    if (ip.warmup()) {
      return "IP " + address + " is on warmup and cannot be added to a pool";
    }
    Optional<Pool> holder = poolHolding(address);
    if (holder.isPresent() && holder.get() != target) {
      return "IP " + address + " belongs to another pool";
    }
    return null;
  }

  /** Why an IP may not be assigned to a domain of the account (null when it may). */
  String domainIpProblem(Account account, String address) {
    if (!IpAddresses.isValid(address)) {
      return "invalid IP address: " + address;
    }
    if (!owns(account, address)) {
      return "IP " + address + " does not belong to the account";
    }
    if (!ips.get(address).dedicated()) {
      return "IP " + address + " is not a dedicated IP";
    }
    return null;
  }

  boolean assignableToPools(Ip ip) {
    return ip.dedicated() && ip.enabled() && !ip.warmup() && poolHolding(ip.address()).isEmpty();
  }

  /** The IP set a domain falls back to: the account's enabled dedicated IPs, else shared. */
  List<String> defaultIps(Account account) {
    List<String> dedicated =
        accountIps(account).stream()
            .filter(ip -> ip.dedicated() && ip.enabled())
            .map(Ip::address)
            .toList();
    if (!dedicated.isEmpty()) {
      return dedicated;
    }
    return sharedIpEligible ? sharedIp().map(List::of).orElse(List.of()) : List.of();
  }

  /** The shared IP Mailgun would pick: the first non-dedicated IP of the fixture. */
  Optional<String> sharedIp() {
    return ips.values().stream().filter(ip -> !ip.dedicated()).map(Ip::address).findFirst();
  }

  /**
   * An enabled dedicated IP that is not warming up, not in a pool and not in {@code exclude}: the
   * extra IP Mailgun adds when a domain would be left with warming IPs only.
   */
  Optional<String> spareWarmIp(Account account, List<String> exclude) {
    return accountIps(account).stream()
        .filter(ip -> ip.dedicated() && ip.enabled() && !ip.warmup())
        .map(Ip::address)
        .filter(a -> !exclude.contains(a) && poolHolding(a).isEmpty())
        .findFirst();
  }

  void linkIpToSubaccount(Account sub, String address) {
    sub.linkedIps.add(address);
  }

  void unlinkIpFromSubaccount(Account sub, String address) {
    sub.linkedIps.remove(address);
  }

  // ---------------------------------------------------------------- pools

  Optional<Pool> pool(String id) {
    return Optional.ofNullable(pools.get(id));
  }

  /** Pools an account sees: its own, then those delegated to it. */
  List<Pool> visiblePools(Account account) {
    List<Pool> out = new ArrayList<>();
    pools.values().stream().filter(p -> p.ownerId.equals(account.id)).forEach(out::add);
    pools.values().stream().filter(p -> p.delegatedTo.contains(account.id)).forEach(out::add);
    return out;
  }

  Optional<Pool> visiblePool(Account account, String id) {
    return visiblePools(account).stream().filter(p -> p.id.equals(id)).findFirst();
  }

  boolean isInherited(Pool pool, Account viewer) {
    return !pool.ownerId.equals(viewer.id);
  }

  Pool createPool(Account owner, String name, String description, List<String> addresses) {
    Pool pool = new Pool(newId(), owner.id, name, description);
    Instant now = now();
    addresses.forEach(a -> pool.ips.put(a, now));
    pools.put(pool.id, pool);
    return pool;
  }

  void removePool(Pool pool) {
    pools.remove(pool.id);
  }

  /** Domains whose committed link is this pool, any account, by id. */
  List<Domain> committedLinks(Pool pool) {
    return domains.values().stream()
        .filter(d -> pool.id.equals(d.poolId))
        .sorted(Comparator.comparing(d -> d.id))
        .toList();
  }

  /** Domains that visibly use this pool, by id; a delegate sees only its own domains. */
  List<Domain> visibleLinks(Pool pool, Account viewer) {
    boolean owner = pool.ownerId.equals(viewer.id);
    return domains.values().stream()
        .filter(d -> pool.id.equals(d.visible.poolId()))
        .filter(d -> owner || d.accountId.equals(viewer.id))
        .sorted(Comparator.comparing(d -> d.id))
        .toList();
  }

  // ---------------------------------------------------------------- domains

  Optional<Domain> domainNamed(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return domains.values().stream().filter(d -> d.name.equals(lower)).findFirst();
  }

  /** A domain of the account by name or id. */
  Optional<Domain> domain(Account account, String nameOrId) {
    String lower = nameOrId.toLowerCase(Locale.ROOT);
    return domains.values().stream()
        .filter(d -> d.accountId.equals(account.id))
        .filter(d -> d.name.equals(lower) || d.id.equals(nameOrId))
        .findFirst();
  }

  List<Domain> domains(Account account) {
    return domains.values().stream()
        .filter(d -> d.accountId.equals(account.id))
        .sorted(Comparator.comparing(d -> d.id))
        .toList();
  }

  Domain createDomain(Account account, String name) {
    Domain domain = new Domain(newId(), name.toLowerCase(Locale.ROOT), account.id, now());
    domains.put(domain.id, domain);
    return domain;
  }

  Account owner(Domain domain) {
    return accounts.get(domain.accountId);
  }

  Assignment committedAssignment(Domain domain) {
    if (domain.poolId != null) {
      Pool pool = pools.get(domain.poolId);
      return new Assignment(domain.poolId, List.copyOf(pool.ips.keySet()));
    }
    return new Assignment(null, List.copyOf(domain.ips));
  }

  /**
   * Records a committed change of a domain. Delayed changes become visible after the propagation
   * delay (at once when it is zero); others are visible now.
   */
  void commit(Domain domain, boolean delayed) {
    commit(domain, delayed, null);
  }

  void commit(Domain domain, boolean delayed, String referenceId) {
    domain.version++;
    Assignment target = committedAssignment(domain);
    if (delayed && !propagationDelay.isZero()) {
      enqueue(
          referenceId == null ? newId() : referenceId,
          "domain-propagation",
          new DomainPropagation(domain.id, domain.version, target));
    } else {
      show(domain, domain.version, target);
    }
  }

  private void show(Domain domain, long version, Assignment target) {
    if (version > domain.visibleVersion) {
      domain.visible = target;
      domain.visibleVersion = version;
    }
  }

  /** Puts a domain back on the account default set, without any pool. */
  void resetToDefault(Domain domain) {
    domain.poolId = null;
    domain.ips = defaultIps(owner(domain));
  }

  // ---------------------------------------------------------------- background work

  private void enqueue(String referenceId, String kind, Work work) {
    Instant due = now().plus(propagationDelay);
    Operation op = new Operation(++operationCounter, due, referenceId, kind, work);
    int at = 0;
    while (at < pending.size() && !pending.get(at).due().isAfter(due)) {
      at++;
    }
    pending.add(at, op);
  }

  /** Starts a delegation saga; with no delay it runs before the caller answers. */
  void startDelegationChange(
      String referenceId, Account sub, List<String> revokePoolIds, String delegatePoolId) {
    String kind = delegatePoolId == null ? "revoke-delegation" : "delegation";
    DelegationChange change =
        new DelegationChange(
            sub.id, List.copyOf(revokePoolIds), delegatePoolId, failDelegationMidway);
    if (propagationDelay.isZero()) {
      apply(new Operation(++operationCounter, now(), referenceId, kind, change));
    } else {
      enqueue(referenceId, kind, change);
    }
  }

  /** True when the pool is delegated to the subaccount or a queued saga will delegate it. */
  boolean delegatedOrPending(Pool pool, Account sub) {
    if (pool.delegatedTo.contains(sub.id)) {
      return true;
    }
    return pending.stream()
        .map(Operation::work)
        .anyMatch(
            w ->
                w instanceof DelegationChange c
                    && c.subaccountId().equals(sub.id)
                    && pool.id.equals(c.delegatePoolId()));
  }

  private void applyDue() {
    Instant now = now();
    while (!pending.isEmpty() && !pending.get(0).due().isAfter(now)) {
      apply(pending.remove(0));
    }
  }

  /** Applies all queued work now; returns how many operations ran. */
  int settle() {
    lock.lock();
    try {
      int count = 0;
      while (!pending.isEmpty()) {
        apply(pending.remove(0));
        count++;
      }
      return count;
    } finally {
      lock.unlock();
    }
  }

  private void apply(Operation op) {
    if (op.work() instanceof DomainPropagation p) {
      Domain domain = domains.get(p.domainId());
      if (domain != null) {
        show(domain, p.version(), p.target());
      }
    } else if (op.work() instanceof DelegationChange c) {
      applyDelegation(op, c);
    }
  }

  private void applyDelegation(Operation op, DelegationChange change) {
    Account sub = accounts.get(change.subaccountId());
    List<Runnable> steps = new ArrayList<>();
    for (String poolId : change.revokePoolIds()) {
      Pool pool = pools.get(poolId);
      if (pool == null) {
        continue;
      }
      for (Domain domain : committedLinks(pool)) {
        if (domain.accountId.equals(sub.id)) {
          steps.add(
              () -> {
                resetToDefault(domain);
                commit(domain, false);
              });
        }
      }
      steps.add(() -> pool.delegatedTo.remove(sub.id));
    }
    Pool delegate = change.delegatePoolId() == null ? null : pools.get(change.delegatePoolId());
    if (delegate != null) {
      steps.add(() -> delegate.delegatedTo.add(sub.id));
    }
    int runnable = change.failMidway() ? steps.size() / 2 : steps.size();
    steps.subList(0, runnable).forEach(Runnable::run);
    if (runnable < steps.size()) {
      failed.add(
          new EmulatorSnapshot.FailedOperation(
              op.referenceId(), op.kind(), runnable, steps.size(), describe(op.work())));
    }
  }

  private String describe(Work work) {
    if (work instanceof DomainPropagation p) {
      Domain domain = domains.get(p.domainId());
      String name = domain == null ? p.domainId() : domain.name;
      return p.target().poolId() == null
          ? name + " -> ips " + p.target().ips()
          : name + " -> pool " + p.target().poolId() + " " + p.target().ips();
    }
    DelegationChange c = (DelegationChange) work;
    StringBuilder text = new StringBuilder("subaccount " + c.subaccountId());
    if (!c.revokePoolIds().isEmpty()) {
      text.append(" revoke ").append(c.revokePoolIds());
    }
    if (c.delegatePoolId() != null) {
      text.append(" delegate ").append(c.delegatePoolId());
    }
    return text.toString();
  }

  // ---------------------------------------------------------------- snapshot

  EmulatorSnapshot snapshot() {
    return locked(
        () -> {
          List<EmulatorSnapshot.IpView> ipViews = new ArrayList<>();
          for (Ip ip : ips.values()) {
            List<String> subs =
                subaccounts().stream()
                    .filter(s -> s.linkedIps.contains(ip.address()))
                    .map(s -> s.id)
                    .toList();
            ipViews.add(
                new EmulatorSnapshot.IpView(
                    ip.address(), ip.dedicated(), ip.enabled(), ip.warmup(), ip.rdns(), subs));
          }
          List<EmulatorSnapshot.PoolView> poolViews = new ArrayList<>();
          for (Pool pool : pools.values()) {
            List<String> visible =
                domains.values().stream()
                    .filter(d -> pool.id.equals(d.visible.poolId()))
                    .sorted(Comparator.comparing(d -> d.id))
                    .map(d -> d.name)
                    .toList();
            poolViews.add(
                new EmulatorSnapshot.PoolView(
                    pool.id,
                    pool.name,
                    pool.description,
                    pool.ownerId,
                    List.copyOf(pool.ips.keySet()),
                    List.copyOf(pool.delegatedTo),
                    committedLinks(pool).stream().map(d -> d.name).toList(),
                    visible));
          }
          List<EmulatorSnapshot.DomainView> domainViews =
              domains.values().stream()
                  .map(
                      d ->
                          new EmulatorSnapshot.DomainView(
                              d.id,
                              d.name,
                              d.accountId,
                              d.poolId,
                              committedAssignment(d).ips(),
                              d.visible.poolId(),
                              d.visible.ips()))
                  .toList();
          List<EmulatorSnapshot.SubaccountView> subViews =
              subaccounts().stream()
                  .map(
                      s ->
                          new EmulatorSnapshot.SubaccountView(
                              s.id, s.name, List.copyOf(s.linkedIps)))
                  .toList();
          List<EmulatorSnapshot.PendingOperation> pendingViews =
              pending.stream()
                  .map(
                      op ->
                          new EmulatorSnapshot.PendingOperation(
                              op.referenceId(), op.kind(), op.due(), describe(op.work())))
                  .toList();
          return new EmulatorSnapshot(
              primaryId,
              dippsEnabled,
              sharedIpEligible,
              propagationDelay,
              failDelegationMidway,
              List.copyOf(ipViews),
              List.copyOf(poolViews),
              domainViews,
              subViews,
              pendingViews,
              List.copyOf(failed));
        });
  }
}
