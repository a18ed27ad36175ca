package dev.ippools.mailgun.plan;

import dev.ippools.mailgun.plan.ObservedAccount.ObservedDomain;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedIp;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.pcollections.PMap;

/**
 * Everything a planner may look at for one resource: the observed Mailgun account and every desired
 * pool and binding of that account (the resource itself included), so claims on IPs, pools and
 * domains can be decided between siblings.
 *
 * <p>Null maps, lists and pool IP sets are read as empty, so callers need not normalize.
 */
public record PlanningContext(ObservedAccount account, List<DesiredPool> pools, List<DesiredBinding> bindings) {

    /**
     * Planning rule 3's "claim made first" (architecture §4): creationTimestamp, then namespace/name.
     */
    public static final Comparator<DesiredPool> POOL_CLAIM_ORDER = Comparator.comparing(
                    DesiredPool::createdAt, Comparator.nullsLast(Instant::compareTo))
            .thenComparing(DesiredPool::key);

    public static final Comparator<DesiredBinding> BINDING_CLAIM_ORDER = Comparator.comparing(
                    DesiredBinding::createdAt, Comparator.nullsLast(Instant::compareTo))
            .thenComparing(DesiredBinding::key);

    public PlanningContext {
        account = normalize(account);
        pools = pools == null ? List.of() : immutable(pools);
        bindings = bindings == null ? List.of() : immutable(bindings);
    }

    /** The desired pool with this namespace and metadata.name. */
    public Optional<DesiredPool> pool(String namespace, String name) {
        return Optional.ofNullable(DesiredIndex.byKey(pools, new ResourceKey(namespace, name)));
    }

    /** The desired pools naming {@code ip} (compared canonically), in list order. */
    public List<DesiredPool> poolsNaming(String ip) {
        return DesiredIndex.poolsNaming(pools, IpAddresses.canonicalOrSelf(ip));
    }

    /** The bindings (deleting ones included) of this domain, ignoring case, in list order. */
    public List<DesiredBinding> bindingsOf(String domain) {
        return DesiredIndex.bindingsOf(bindings, domain);
    }

    /** The bindings (deleting ones included) naming exactly this target, in list order. */
    public List<DesiredBinding> bindingsTargeting(DesiredBinding.Target target) {
        return DesiredIndex.bindingsTargeting(bindings, target);
    }

    /**
     * The observed DIPP that belongs to {@code pool}: the recorded id if Mailgun still has it, else
     * the adopted {@code spec.poolId}, else (only without a poolId) a pool whose description carries
     * this uid's ownership marker.
     */
    public Optional<ObservedPool> ownedPool(DesiredPool pool) {
        Map<String, ObservedPool> observed = account.pools();
        if (pool.recordedPoolId() != null && observed.containsKey(pool.recordedPoolId())) {
            return Optional.of(observed.get(pool.recordedPoolId()));
        }
        if (pool.adoptPoolId() != null) {
            return Optional.ofNullable(observed.get(pool.adoptPoolId()));
        }
        return markedPool(pool.uid());
    }

    /** The pool whose description carries the marker of {@code uid} (lowest id if several). */
    public Optional<ObservedPool> markedPool(String uid) {
        if (uid == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(AccountIndex.of(account).markedPool(uid));
    }

    /**
     * Planning rule 7's ownership as claims between siblings: a marker decides alone (annotations and
     * spec.poolId cannot claim a marked pool); an unmarked pool is claimed by the recorded or
     * adopted id. Whether a claim may write is {@link Ownership}'s to decide.
     */
    public boolean owns(DesiredPool pool, ObservedPool observed) {
        Optional<String> marker = OwnershipMarker.ownerUid(observed.description());
        if (marker.isPresent()) {
            return marker.get().equals(pool.uid());
        }
        return observed.id().equals(pool.recordedPoolId()) || observed.id().equals(pool.adoptPoolId());
    }

    /** Desired pools that own {@code observed}, earliest claim first. */
    public List<DesiredPool> owners(ObservedPool observed) {
        // owns(), looked up instead of asked of every desired pool
        Optional<String> marker = OwnershipMarker.ownerUid(observed.description());
        List<DesiredPool> claiming = marker.isPresent()
                ? DesiredIndex.poolsWithUid(pools, marker.get())
                : DesiredIndex.poolsClaimingId(pools, observed.id());
        return claiming.stream().distinct().sorted(POOL_CLAIM_ORDER).toList();
    }

    /** The pools (not inherited) whose description carries the marker of {@code uid}, by id. */
    public List<ObservedPool> poolsMarkedFor(String uid) {
        return AccountIndex.of(account).poolsMarkedFor(uid);
    }

    /**
     * Bindings (deleting ones included) that use {@code pool}: by poolRef in its namespace, or by
     * poolId naming the pool it owns. Sorted by key.
     */
    public List<DesiredBinding> bindingsReferencing(DesiredPool pool) {
        String ownedId = ownedPool(pool).map(ObservedPool::id).orElse(null);
        Stream<DesiredBinding> byRef = bindingsTargeting(
                        new DesiredBinding.Target.PoolRef(pool.key().name()))
                .stream()
                .filter(b -> b.key().namespace().equals(pool.key().namespace()));
        Stream<DesiredBinding> byId = ownedId == null
                ? Stream.empty()
                : bindingsTargeting(new DesiredBinding.Target.PoolId(ownedId)).stream();
        return Stream.concat(byRef, byId)
                .distinct()
                .sorted(Comparator.comparing(DesiredBinding::key))
                .toList();
    }

    /** The observed pool holding {@code ip} (compared canonically), if any. */
    public Optional<ObservedPool> poolHolding(String ip) {
        return Optional.ofNullable(AccountIndex.of(account).poolHolding(IpAddresses.canonicalOrSelf(ip)));
    }

    /** The account's entry for {@code ip} (compared canonically), if it has that IP. */
    public Optional<ObservedIp> accountIp(String ip) {
        ObservedIp exact = account.ips().get(ip);
        if (exact != null) {
            return Optional.of(exact);
        }
        return Optional.ofNullable(AccountIndex.of(account).ip(IpAddresses.canonicalOrSelf(ip)));
    }

    /** How the account spells {@code ip}, so writes use Mailgun's own form; canonical otherwise. */
    public String spelling(String ip) {
        return accountIp(ip).map(ObservedIp::ip).orElse(IpAddresses.canonicalOrSelf(ip));
    }

    /** An observed domain by name, ignoring case (domain names are case-insensitive). */
    public Optional<ObservedDomain> domain(String name) {
        if (name == null) {
            return Optional.empty();
        }
        ObservedDomain exact = account.domains().get(name);
        if (exact != null) {
            return Optional.of(exact);
        }
        return Optional.ofNullable(AccountIndex.of(account).domain(name));
    }

    /** Domains linked to {@code pool} as far as this snapshot knows, sorted by name. */
    public Set<String> linkedDomainNames(ObservedPool pool) {
        Set<String> names = new TreeSet<>();
        if (pool.linkedDomains() != null) {
            names.addAll(pool.linkedDomains());
        }
        names.addAll(AccountIndex.of(account).domainsLinkedTo(pool.id()));
        return names;
    }

    /** Whether any domain uses the pool: Mailgun's is_linked flag or a known linked domain. */
    public boolean isLinked(ObservedPool pool) {
        return pool.linked() || !linkedDomainNames(pool).isEmpty();
    }

    /**
     * Linked domains that were read and whose IPs differ from the pool's: Mailgun is still relinking
     * them after an earlier change. Sorted by name.
     */
    public List<String> domainsOutOfSync(ObservedPool pool) {
        Set<String> poolIps = canonicalSet(pool.ips());
        List<String> stale = new ArrayList<>();
        for (String name : linkedDomainNames(pool)) {
            Optional<ObservedDomain> domain = domain(name);
            if (domain.isPresent()
                    && domain.get().ips() != null
                    && !canonicalSet(domain.get().ips()).equals(poolIps)) {
                stale.add(domain.get().name());
            }
        }
        return stale;
    }

    /** Canonical spellings in {@link IpAddresses#ORDER}; null reads as empty. */
    static TreeSet<String> canonicalSet(Set<String> ips) {
        TreeSet<String> out = new TreeSet<>(IpAddresses.ORDER);
        if (ips != null) {
            ips.stream()
                    .filter(Objects::nonNull)
                    .map(IpAddresses::canonicalOrSelf)
                    .forEach(out::add);
        }
        return out;
    }

    // Every plan of an account's resources starts from the same cached view: normalized once.
    private static volatile Normalized lastNormalized;

    private record Normalized(ObservedAccount given, ObservedAccount normalized) {}

    // Views of one snapshot share its pools: checked whole once, not once per view.
    private static volatile Map<String, ObservedPool> lastWholePools;

    private static ObservedAccount normalize(ObservedAccount account) {
        Normalized last = lastNormalized;
        if (last != null && (last.given() == account || last.normalized() == account)) {
            return last.normalized();
        }
        ObservedAccount normalized = normalizeCopy(account);
        lastNormalized = new Normalized(account, normalized);
        return normalized;
    }

    private static ObservedAccount normalizeCopy(ObservedAccount account) {
        if (account == null) {
            return new ObservedAccount(Map.of(), Map.of(), false, Map.of(), Map.of());
        }
        Map<String, ObservedPool> pools;
        if (account.pools() == null) {
            pools = Map.of();
        } else if (account.pools() == lastWholePools
                || account.pools().values().stream().allMatch(p -> p.id() != null && p.ips() != null)) {
            // already whole (the operator's own view is immutable, and then this copies nothing)
            pools = immutable(account.pools());
            lastWholePools = pools;
        } else {
            // a pool without id takes its map key; a pool without IP set holds none
            Map<String, ObservedPool> whole = new LinkedHashMap<>();
            account.pools()
                    .forEach((id, p) -> whole.put(
                            id,
                            new ObservedPool(
                                    p.id() != null ? p.id() : id,
                                    p.name(),
                                    p.description(),
                                    p.ips() != null ? p.ips() : Set.of(),
                                    p.inherited(),
                                    p.linked(),
                                    p.linkedDomains())));
            pools = Map.copyOf(whole);
        }
        return new ObservedAccount(
                pools,
                account.ips() == null ? Map.of() : immutable(account.ips()),
                account.dippsEnabled(),
                account.delegations() == null ? Map.of() : immutable(account.delegations()),
                account.domains() == null ? Map.of() : immutable(account.domains()),
                account.delegationsPropagating() == null ? Map.of() : immutable(account.delegationsPropagating()));
    }

    // The operator's desired records are persistent already: a copy would lose their lookups.
    private static <T> List<T> immutable(List<T> list) {
        return list instanceof DesiredRecords<T> ? list : List.copyOf(list);
    }

    // The operator's own views hold persistent maps, which a copy would only make slower to make.
    private static <K, V> Map<K, V> immutable(Map<K, V> map) {
        return map instanceof PMap<K, V> || map instanceof IndexedDomains ? map : Map.copyOf(map);
    }
}
