package dev.ippools.mailgun.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The emulated Mailgun account: IPs, pools, domains and subaccounts, with Mailgun's rules over them
 * ({@link MailgunRules}) and the background work Mailgun runs after answering {@code started}
 * ({@link PropagationQueue}).
 *
 * <p>Each domain's committed view changes at once; its visible view catches up when queued
 * propagation work is applied (see {@link Domain}). All access goes through {@link #locked}.
 */
final class EmulatorState {

    static final int DEFAULT_WARMUP_STAGES = 20;
    static final Duration DEFAULT_WARMUP_STAGE_DURATION = Duration.ofDays(1);

    private final ReentrantLock lock = new ReentrantLock();
    private final Clock clock;
    private final MailgunRules rules = new MailgunRules(this);
    private final PropagationQueue propagation;

    private long idCounter;
    private String primaryId;
    private boolean dippsEnabled;
    private boolean sharedIpEligible;
    private final Map<String, Account> accounts = new LinkedHashMap<>();
    private final Map<String, Ip> ips = new LinkedHashMap<>();
    private final Map<String, Pool> pools = new LinkedHashMap<>();
    private final Map<String, Domain> domains = new LinkedHashMap<>();
    private final Map<String, Warmup> warmups = new LinkedHashMap<>();
    // dedicated IPs never warmed up, or whose warm-up was cancelled
    private final java.util.Set<String> cold = new java.util.LinkedHashSet<>();
    private int warmupStages = DEFAULT_WARMUP_STAGES;
    private Duration warmupStageDuration = DEFAULT_WARMUP_STAGE_DURATION;

    private EmulatorState(Clock clock, Duration propagationDelay) {
        this.clock = clock;
        this.propagation = new PropagationQueue(this, propagationDelay);
    }

    /** A state loaded from the fixture; fails on an inconsistent fixture. */
    static EmulatorState load(AccountFixture fixture, Clock clock, Duration propagationDelay) {
        EmulatorState state = new EmulatorState(clock, propagationDelay);
        new FixtureLoader(state).load(fixture);
        return state;
    }

    MailgunRules rules() {
        return rules;
    }

    PropagationQueue propagation() {
        return propagation;
    }

    // ---------------------------------------------------------------- locking, clock, ids

    <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            propagation.applyDue();
            finishWarmups();
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /** Applies all queued work now; returns how many operations ran. */
    int settle() {
        lock.lock();
        try {
            return propagation.applyAll();
        } finally {
            lock.unlock();
        }
    }

    void setPropagationDelay(Duration delay) {
        locked(() -> {
            propagation.setDelay(delay);
            return null;
        });
    }

    void setFailDelegationMidway(boolean fail) {
        locked(() -> {
            propagation.setFailDelegationMidway(fail);
            return null;
        });
    }

    Instant now() {
        return clock.instant();
    }

    String newId() {
        idCounter++;
        return String.format(Locale.ROOT, "6650%020x", idCounter);
    }

    // ---------------------------------------------------------------- accounts and flags

    void setFeatures(boolean dippsEnabled, boolean sharedIpEligible) {
        this.dippsEnabled = dippsEnabled;
        this.sharedIpEligible = sharedIpEligible;
    }

    boolean dippsEnabled() {
        return dippsEnabled;
    }

    boolean sharedIpEligible() {
        return sharedIpEligible;
    }

    void addAccount(Account account) {
        if (account.primary) {
            primaryId = account.id;
        }
        accounts.put(account.id, account);
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

    void addIp(Ip ip) {
        ips.put(ip.address(), ip);
    }

    Optional<Ip> ip(String address) {
        return Optional.ofNullable(ips.get(address));
    }

    Collection<Ip> ips() {
        return ips.values();
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

    // ---------------------------------------------------------------- warm-ups

    /** The plan new warm-ups follow; running ones keep theirs. */
    void setWarmupPlan(int stages, Duration stageDuration) {
        if (stages < 1) {
            throw new IllegalArgumentException("warm-up stages must be at least 1");
        }
        if (stageDuration.isNegative() || stageDuration.isZero()) {
            throw new IllegalArgumentException("warm-up stage duration must be positive");
        }
        this.warmupStages = stages;
        this.warmupStageDuration = stageDuration;
    }

    int warmupStages() {
        return warmupStages;
    }

    Duration warmupStageDuration() {
        return warmupStageDuration;
    }

    /** Starts a warm-up in {@code stage} (1 for a new one) of the current plan. */
    Warmup startWarmup(String address, int stage) {
        Instant startedAt = now().minus(warmupStageDuration.multipliedBy(stage - 1L));
        Warmup warmup = new Warmup(address, startedAt, warmupStages, warmupStageDuration);
        warmups.put(address, warmup);
        cold.remove(address);
        return warmup;
    }

    void cancelWarmup(String address) {
        warmups.remove(address);
        cold.add(address);
    }

    Optional<Warmup> warmup(String address) {
        return Optional.ofNullable(warmups.get(address));
    }

    Collection<Warmup> warmups() {
        return warmups.values();
    }

    boolean warming(String address) {
        return warmups.containsKey(address);
    }

    void markCold(String address) {
        cold.add(address);
    }

    /** Never warmed up (or cancelled): Mailgun keeps it out of pools until it is warm. */
    boolean cold(String address) {
        return cold.contains(address);
    }

    /** Warm-ups whose last stage has passed end: the IP is warm. */
    private void finishWarmups() {
        Instant now = now();
        warmups.values().removeIf(w -> w.finished(now));
    }

    // ---------------------------------------------------------------- pools

    void addPool(Pool pool) {
        pools.put(pool.id, pool);
    }

    Pool createPool(Account owner, String name, String description, List<String> addresses) {
        Pool pool = new Pool(newId(), owner.id, name, description);
        Instant now = now();
        addresses.forEach(a -> pool.ips.put(a, now));
        addPool(pool);
        return pool;
    }

    void removePool(Pool pool) {
        pools.remove(pool.id);
    }

    Optional<Pool> pool(String id) {
        return Optional.ofNullable(pools.get(id));
    }

    Collection<Pool> pools() {
        return pools.values();
    }

    Optional<Pool> poolHolding(String address) {
        return pools.values().stream().filter(p -> p.ips.containsKey(address)).findFirst();
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

    void addDomain(Domain domain) {
        domains.put(domain.id, domain);
    }

    Domain createDomain(Account account, String name) {
        Domain domain = new Domain(newId(), name.toLowerCase(Locale.ROOT), account.id, now());
        addDomain(domain);
        return domain;
    }

    Optional<Domain> domainById(String id) {
        return Optional.ofNullable(domains.get(id));
    }

    Collection<Domain> domains() {
        return domains.values();
    }

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

    Account owner(Domain domain) {
        return accounts.get(domain.accountId);
    }

    Domain.Assignment committedAssignment(Domain domain) {
        if (domain.poolId != null) {
            Pool pool = pools.get(domain.poolId);
            return new Domain.Assignment(domain.poolId, List.copyOf(pool.ips.keySet()));
        }
        return new Domain.Assignment(null, List.copyOf(domain.ips));
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
        Domain.Assignment target = committedAssignment(domain);
        if (delayed && !propagation.delay().isZero()) {
            propagation.propagate(referenceId == null ? newId() : referenceId, domain, target);
        } else {
            domain.show(domain.version, target);
        }
    }

    /** Commits, delayed, every domain linked to the pool after its IPs changed. */
    void commitLinks(Pool pool, String referenceId) {
        committedLinks(pool).forEach(domain -> commit(domain, true, referenceId));
    }

    /** Puts a domain back on the account default set, without any pool. */
    void resetToDefault(Domain domain) {
        domain.poolId = null;
        domain.ips = rules.defaultIps(owner(domain));
    }

    EmulatorSnapshot snapshot() {
        return locked(() -> StateSnapshot.of(this));
    }

    String primaryId() {
        return primaryId;
    }
}
