package dev.ippools.mailgun.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Lookups by key, IP, domain and target over one list of desired pools or bindings. The operator's
 * lists are {@link DesiredRecords}, which keep these along; any other list (the plan command's,
 * tests') is indexed once per list object, so a scan of thousands of siblings per question does
 * not make planning grow with the square of the account.
 */
final class DesiredIndex {

    /** A pool naming this canonical IP. */
    private record NamesIp(String canonicalIp) {}

    /** A binding of this domain, lowercase. */
    private record OfDomain(String lowercaseName) {}

    /** A pool with this uid (an ownership marker names it). */
    private record HasUid(String uid) {}

    /** A pool that recorded or adopts this Mailgun pool id. */
    private record ClaimsId(String poolId) {}

    // The last few lists (by identity): the two reconcilers and the sweep each keep their own.
    private static final int KEPT = 8;
    private static final DesiredIndex[] RECENT = new DesiredIndex[KEPT];
    private static int next;

    private final List<?> list;
    private final Map<ResourceKey, Object> byKey = new HashMap<>();
    private final Map<Object, List<Object>> byTerm = new HashMap<>();

    private DesiredIndex(List<?> list) {
        this.list = list;
        for (Object o : list) {
            if (o instanceof DesiredPool pool) {
                byKey.putIfAbsent(pool.key(), pool);
            } else if (o instanceof DesiredBinding binding) {
                byKey.putIfAbsent(binding.key(), binding);
            }
            for (Object term : termsOf(o)) {
                byTerm.computeIfAbsent(term, k -> new ArrayList<>()).add(o);
            }
        }
    }

    /**
     * What a record is looked up by besides its key: a pool by its IPs, uid and claimed pool ids, a
     * binding by domain and target.
     */
    static Set<Object> termsOf(Object record) {
        Set<Object> terms = new LinkedHashSet<>();
        if (record instanceof DesiredPool pool) {
            if (pool.ips() != null) {
                for (String ip : pool.ips()) {
                    if (ip != null) {
                        terms.add(new NamesIp(IpAddresses.canonicalOrSelf(ip)));
                    }
                }
            }
            if (pool.uid() != null) {
                terms.add(new HasUid(pool.uid()));
            }
            if (pool.recordedPoolId() != null) {
                terms.add(new ClaimsId(pool.recordedPoolId()));
            }
            if (pool.adoptPoolId() != null) {
                terms.add(new ClaimsId(pool.adoptPoolId()));
            }
        } else if (record instanceof DesiredBinding binding) {
            if (binding.domain() != null) {
                terms.add(new OfDomain(binding.domain().toLowerCase(Locale.ROOT)));
            }
            if (binding.target() != null) {
                terms.add(binding.target());
            }
        }
        return terms;
    }

    private static DesiredIndex of(List<?> list) {
        synchronized (RECENT) {
            for (DesiredIndex index : RECENT) {
                if (index != null && index.list == list) {
                    return index;
                }
            }
        }
        DesiredIndex built = new DesiredIndex(list);
        synchronized (RECENT) {
            RECENT[next] = built;
            next = (next + 1) % KEPT;
        }
        return built;
    }

    /** The first record in the list with this key. */
    static <D> D byKey(List<D> list, ResourceKey key) {
        if (list instanceof DesiredRecords<D> records) {
            return records.get(key);
        }
        @SuppressWarnings("unchecked")
        D found = (D) of(list).byKey.get(key);
        return found;
    }

    /** The pools naming this canonical IP, in list order. */
    static List<DesiredPool> poolsNaming(List<DesiredPool> pools, String canonicalIp) {
        return withTerm(pools, new NamesIp(canonicalIp));
    }

    /** The pools with this uid, in list order. */
    static List<DesiredPool> poolsWithUid(List<DesiredPool> pools, String uid) {
        return withTerm(pools, new HasUid(uid));
    }

    /** The pools whose recorded or adopted pool id is this one, in list order. */
    static List<DesiredPool> poolsClaimingId(List<DesiredPool> pools, String poolId) {
        return withTerm(pools, new ClaimsId(poolId));
    }

    /** The bindings of this domain (ignoring case), in list order. */
    static List<DesiredBinding> bindingsOf(List<DesiredBinding> bindings, String domain) {
        return domain == null ? List.of() : withTerm(bindings, new OfDomain(domain.toLowerCase(Locale.ROOT)));
    }

    /** The bindings naming exactly this target, in list order. */
    static List<DesiredBinding> bindingsTargeting(List<DesiredBinding> bindings, DesiredBinding.Target target) {
        return withTerm(bindings, target);
    }

    @SuppressWarnings("unchecked")
    private static <D> List<D> withTerm(List<D> list, Object term) {
        if (list instanceof DesiredRecords<D> records) {
            return records.withTerm(term);
        }
        return (List<D>) of(list).byTerm.getOrDefault(term, List.of());
    }
}
