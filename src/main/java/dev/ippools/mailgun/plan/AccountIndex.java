package dev.ippools.mailgun.plan;

import dev.ippools.mailgun.plan.ObservedAccount.ObservedDomain;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedIp;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Lookups by IP, ownership marker and domain over one normalized {@link ObservedAccount}, built
 * once per account view: every plan of an account's thousands of resources asks them, and a scan
 * of every pool or domain per question made planning grow with the square of the account.
 */
final class AccountIndex {

    // The views of the last few accounts (by identity): plans of one account reuse its index
    // until the view changes; several accounts take turns without evicting each other at once.
    private static final int KEPT = 4;
    private static final AccountIndex[] RECENT = new AccountIndex[KEPT];
    private static int next;

    private final ObservedAccount account;
    private final PoolPart pools;
    private final Map<String, ObservedDomain> domainByName = new HashMap<>();
    private final Map<String, Set<String>> domainsByPool = new HashMap<>();
    // The operator's own views come with their domains indexed already.
    private final IndexedDomains domains;

    private AccountIndex(ObservedAccount account, PoolPart pools) {
        this.account = account;
        this.pools = pools;
        if (account.domains() instanceof IndexedDomains indexed) {
            domains = indexed;
            return;
        }
        domains = null;
        for (ObservedDomain domain : orEmpty(account.domains()).values()) {
            if (domain.name() == null) {
                continue;
            }
            domainByName.putIfAbsent(domain.name().toLowerCase(Locale.ROOT), domain);
            if (domain.linkedPoolId() != null) {
                domainsByPool
                        .computeIfAbsent(domain.linkedPoolId(), k -> new TreeSet<>())
                        .add(domain.name());
            }
        }
    }

    static AccountIndex of(ObservedAccount normalized) {
        synchronized (RECENT) {
            for (AccountIndex index : RECENT) {
                if (index != null && index.account == normalized) {
                    return index;
                }
            }
        }
        PoolPart pools = null;
        synchronized (RECENT) {
            for (AccountIndex index : RECENT) {
                if (index != null && index.pools.fits(normalized)) {
                    pools = index.pools;
                    break;
                }
            }
        }
        AccountIndex built = new AccountIndex(normalized, pools != null ? pools : new PoolPart(normalized));
        synchronized (RECENT) {
            RECENT[next] = built;
            next = (next + 1) % KEPT;
        }
        return built;
    }

    /**
     * The lookups over pools and IPs, by pool id. Views made one after another while the snapshot
     * stands differ in domains and linked domains only: they share this part instead of parsing
     * every pool's IPs and description again.
     */
    private static final class PoolPart {
        private final Map<String, ObservedPool> source;
        private final Map<String, ObservedIp> ips;
        private final Map<String, String> poolByIp = new HashMap<>();
        private final Map<String, String> poolByMarker = new HashMap<>();
        private final Map<String, List<String>> poolsByMarker = new HashMap<>();
        private boolean anyInherited;
        private final Map<String, ObservedIp> ipByCanonical = new HashMap<>();

        PoolPart(ObservedAccount account) {
            this.source = orEmpty(account.pools());
            this.ips = account.ips();
            for (Map.Entry<String, ObservedPool> e : orEmpty(account.pools()).entrySet()) {
                anyInherited |= e.getValue().inherited();
                for (String ip : e.getValue().ips()) {
                    poolByIp.merge(IpAddresses.canonicalOrSelf(ip), e.getKey(), this::lowerId);
                }
                OwnershipMarker.ownerUid(e.getValue().description()).ifPresent(uid -> {
                    poolByMarker.merge(uid, e.getKey(), this::lowerId);
                    poolsByMarker.computeIfAbsent(uid, k -> new ArrayList<>()).add(e.getKey());
                });
            }
            for (ObservedIp ip : orEmpty(account.ips()).values()) {
                ipByCanonical.putIfAbsent(IpAddresses.canonicalOrSelf(ip.ip()), ip);
            }
        }

        // Keys of the pool with the lower id.
        private String lowerId(String a, String b) {
            return source.get(a).id().compareTo(source.get(b).id()) <= 0 ? a : b;
        }

        /** Whether the account has the same IPs, and pools with the same ids, IPs and descriptions. */
        boolean fits(ObservedAccount account) {
            Map<String, ObservedPool> pools = orEmpty(account.pools());
            if (account.ips() != ips || pools.size() != source.size()) {
                return false;
            }
            if (pools == source) {
                return true;
            }
            for (Map.Entry<String, ObservedPool> e : pools.entrySet()) {
                ObservedPool was = source.get(e.getKey());
                ObservedPool now = e.getValue();
                if (was == null
                        || was.ips() != now.ips()
                        || was.description() != now.description()
                        || was.inherited() != now.inherited()
                        || !was.id().equals(now.id())) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The pool (lowest id) holding this canonical IP. */
    ObservedPool poolHolding(String canonicalIp) {
        String id = pools.poolByIp.get(canonicalIp);
        return id == null ? null : account.pools().get(id);
    }

    /** The pool (lowest id) whose description carries the marker of {@code uid}. */
    ObservedPool markedPool(String uid) {
        String id = pools.poolByMarker.get(uid);
        return id == null ? null : account.pools().get(id);
    }

    // Planners look at normalized views; LinkPlanner asks before normalizing.
    private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }

    /** Whether the account inherits any pool (from its parent account). */
    boolean anyInherited() {
        return pools.anyInherited;
    }

    /** The pools, not inherited, whose description carries the marker of {@code uid}, by id. */
    List<ObservedPool> poolsMarkedFor(String uid) {
        return pools.poolsByMarker.getOrDefault(uid, List.of()).stream()
                .map(key -> account.pools().get(key))
                .filter(p -> p != null && !p.inherited())
                .sorted(Comparator.comparing(ObservedPool::id))
                .toList();
    }

    /** The account's IP with this canonical spelling. */
    ObservedIp ip(String canonicalIp) {
        return pools.ipByCanonical.get(canonicalIp);
    }

    /** A read domain by name, ignoring case. */
    ObservedDomain domain(String name) {
        return domains != null ? domains.ignoringCase(name) : domainByName.get(name.toLowerCase(Locale.ROOT));
    }

    /** Names of the read domains linked to this pool. */
    Set<String> domainsLinkedTo(String poolId) {
        return domains != null ? domains.linkedTo(poolId) : domainsByPool.getOrDefault(poolId, Set.of());
    }
}
