package dev.ippools.mailgun.plan;

import dev.ippools.mailgun.plan.ObservedAccount.ObservedDomain;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedIp;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import java.util.HashMap;
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
    private final Map<String, ObservedPool> poolByIp = new HashMap<>();
    private final Map<String, ObservedPool> poolByMarker = new HashMap<>();
    private final Map<String, ObservedIp> ipByCanonical = new HashMap<>();
    private final Map<String, ObservedDomain> domainByName = new HashMap<>();
    private final Map<String, Set<String>> domainsByPool = new HashMap<>();

    private AccountIndex(ObservedAccount account) {
        this.account = account;
        for (ObservedPool pool : account.pools().values()) {
            for (String ip : pool.ips()) {
                poolByIp.merge(IpAddresses.canonicalOrSelf(ip), pool, AccountIndex::lowerId);
            }
            OwnershipMarker.ownerUid(pool.description())
                    .ifPresent(uid -> poolByMarker.merge(uid, pool, AccountIndex::lowerId));
        }
        for (ObservedIp ip : account.ips().values()) {
            ipByCanonical.putIfAbsent(IpAddresses.canonicalOrSelf(ip.ip()), ip);
        }
        for (ObservedDomain domain : account.domains().values()) {
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
        AccountIndex built = new AccountIndex(normalized);
        synchronized (RECENT) {
            RECENT[next] = built;
            next = (next + 1) % KEPT;
        }
        return built;
    }

    private static ObservedPool lowerId(ObservedPool a, ObservedPool b) {
        return a.id().compareTo(b.id()) <= 0 ? a : b;
    }

    /** The pool (lowest id) holding this canonical IP. */
    ObservedPool poolHolding(String canonicalIp) {
        return poolByIp.get(canonicalIp);
    }

    /** The pool (lowest id) whose description carries the marker of {@code uid}. */
    ObservedPool markedPool(String uid) {
        return poolByMarker.get(uid);
    }

    /** The account's IP with this canonical spelling. */
    ObservedIp ip(String canonicalIp) {
        return ipByCanonical.get(canonicalIp);
    }

    /** A read domain by name, ignoring case. */
    ObservedDomain domain(String name) {
        return domainByName.get(name.toLowerCase(Locale.ROOT));
    }

    /** Names of the read domains linked to this pool. */
    Set<String> domainsLinkedTo(String poolId) {
        return domainsByPool.getOrDefault(poolId, Set.of());
    }
}
