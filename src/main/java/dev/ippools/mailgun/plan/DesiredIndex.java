package dev.ippools.mailgun.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lookups by key, domain and target over one list of desired pools or bindings, built once per
 * list: the reconcilers hand every plan of an account the same list object while its resources'
 * desired state is unchanged, and a scan of thousands of siblings per question made planning grow
 * with the square of the account.
 */
final class DesiredIndex {

    // The last few lists (by identity): the two reconcilers and the sweep each keep their own.
    private static final int KEPT = 8;
    private static final DesiredIndex[] RECENT = new DesiredIndex[KEPT];
    private static int next;

    private final List<?> list;
    private final Map<ResourceKey, DesiredPool> poolByKey = new HashMap<>();
    private final Map<String, List<DesiredPool>> poolsByIp = new HashMap<>();
    private final Map<String, List<DesiredBinding>> bindingsByDomain = new HashMap<>();
    private final Map<DesiredBinding.Target, List<DesiredBinding>> bindingsByTarget = new HashMap<>();

    private DesiredIndex(List<?> list) {
        this.list = list;
        for (Object o : list) {
            if (o instanceof DesiredPool pool) {
                poolByKey.putIfAbsent(pool.key(), pool);
                if (pool.ips() != null) {
                    for (String ip : pool.ips()) {
                        if (ip != null) {
                            List<DesiredPool> claiming =
                                    poolsByIp.computeIfAbsent(IpAddresses.canonicalOrSelf(ip), k -> new ArrayList<>());
                            if (!claiming.contains(pool)) {
                                claiming.add(pool);
                            }
                        }
                    }
                }
            } else if (o instanceof DesiredBinding binding) {
                if (binding.domain() != null) {
                    bindingsByDomain
                            .computeIfAbsent(binding.domain().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                            .add(binding);
                }
                if (binding.target() != null) {
                    bindingsByTarget
                            .computeIfAbsent(binding.target(), k -> new ArrayList<>())
                            .add(binding);
                }
            }
        }
    }

    static DesiredIndex of(List<?> list) {
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

    /** The first pool in the list with this key. */
    DesiredPool pool(ResourceKey key) {
        return poolByKey.get(key);
    }

    /** The pools naming this canonical IP, in list order. */
    List<DesiredPool> poolsNaming(String canonicalIp) {
        return poolsByIp.getOrDefault(canonicalIp, List.of());
    }

    /** The bindings of this domain (ignoring case), in list order. */
    List<DesiredBinding> bindingsOf(String domain) {
        return domain == null ? List.of() : bindingsByDomain.getOrDefault(domain.toLowerCase(Locale.ROOT), List.of());
    }

    /** The bindings naming exactly this target, in list order. */
    List<DesiredBinding> bindingsTargeting(DesiredBinding.Target target) {
        return bindingsByTarget.getOrDefault(target, List.of());
    }
}
