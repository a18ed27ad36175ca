package dev.ippools.mailgun.plan;

import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Pools carrying this operator's ownership marker that have no place (architecture §10):
 * duplicates, marked for an IpPool that owns another pool (a create whose answer was lost, then
 * repeated), and orphans, marked for an IpPool that no longer exists. Only empty, unlinked,
 * undelegated ones may be deleted: anything else may carry mail.
 */
public final class StrayPools {

    private StrayPools() {}

    /** The marked pools of {@code pool} other than the one it owns, by id. */
    public static List<ObservedPool> duplicatesOf(DesiredPool pool, PlanningContext ctx) {
        if (pool.uid() == null) {
            return List.of();
        }
        Optional<String> owned = ctx.ownedPool(pool).map(ObservedPool::id);
        if (owned.isEmpty()) {
            return List.of();
        }
        return ctx.poolsMarkedFor(pool.uid()).stream()
                .filter(p -> !p.id().equals(owned.get()))
                .toList();
    }

    /** Every duplicate in the account, over all its desired pools. */
    public static List<ObservedPool> duplicates(PlanningContext ctx) {
        List<ObservedPool> out = new ArrayList<>();
        duplicatesByPool(ctx).values().forEach(out::addAll);
        return out;
    }

    /**
     * The duplicates of each desired pool that has some, in one pass over the account (a sweep of
     * a thousand pools would otherwise scan the account a thousand times).
     */
    public static Map<DesiredPool, List<ObservedPool>> duplicatesByPool(PlanningContext ctx) {
        Map<String, List<ObservedPool>> byOwner = new HashMap<>();
        for (ObservedPool p : marked(ctx)) {
            byOwner.computeIfAbsent(OwnershipMarker.ownerUid(p.description()).orElseThrow(), k -> new ArrayList<>())
                    .add(p);
        }
        Map<DesiredPool, List<ObservedPool>> out = new LinkedHashMap<>();
        for (DesiredPool pool : ctx.pools()) {
            List<ObservedPool> mine = pool.uid() == null ? null : byOwner.get(pool.uid());
            Optional<String> owned =
                    mine == null ? Optional.empty() : ctx.ownedPool(pool).map(ObservedPool::id);
            if (owned.isPresent()) {
                List<ObservedPool> others =
                        mine.stream().filter(p -> !p.id().equals(owned.get())).toList();
                if (!others.isEmpty()) {
                    out.put(pool, others);
                }
            }
        }
        return out;
    }

    /**
     * Marked pools whose IpPool is gone: its uid is none of {@code knownUids} (every IpPool the
     * operator sees, of any account), by id.
     */
    public static List<ObservedPool> orphans(PlanningContext ctx, Set<String> knownUids) {
        return orphans(ctx, knownUids, null);
    }

    /**
     * As above, for the operator with {@code ownerId}: pools another owner id marked are that
     * operator's, whose IpPools this one cannot see, so they are never orphans here.
     */
    public static List<ObservedPool> orphans(PlanningContext ctx, Set<String> knownUids, String ownerId) {
        return marked(ctx).stream()
                .filter(p -> !OwnershipMarker.markedElsewhere(p.description(), ownerId))
                .filter(p -> !knownUids.contains(
                        OwnershipMarker.ownerUid(p.description()).orElseThrow()))
                .toList();
    }

    /** Whether deleting the pool changes nothing for mail: no IPs, no domains, no subaccounts. */
    public static boolean removable(ObservedPool pool, PlanningContext ctx) {
        Set<String> delegated = ctx.account().delegations().get(pool.id());
        return pool.ips().isEmpty()
                && !pool.inherited()
                && !ctx.isLinked(pool)
                && (delegated == null || delegated.isEmpty());
    }

    /** Why a stray pool stays, for messages; null when it is removable. */
    public static String keptBecause(ObservedPool pool, PlanningContext ctx) {
        if (removable(pool, ctx)) {
            return null;
        }
        if (!pool.ips().isEmpty()) {
            return "it holds IPs " + new TreeSet<>(pool.ips());
        }
        return ctx.isLinked(pool) ? "domains are linked to it" : "it is delegated to subaccounts";
    }

    private static List<ObservedPool> marked(PlanningContext ctx) {
        return ctx.account().pools().values().stream()
                .filter(p -> !p.inherited()
                        && OwnershipMarker.ownerUid(p.description()).isPresent())
                .sorted(Comparator.comparing(ObservedPool::id))
                .toList();
    }
}
