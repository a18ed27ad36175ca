package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.account.AccountKey;
import dev.ippools.mailgun.account.AccountState;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.execute.PlanExecutor;
import dev.ippools.mailgun.mapping.ObservedMapper;
import dev.ippools.mailgun.plan.DesiredPool;
import dev.ippools.mailgun.plan.MailgunStep;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import dev.ippools.mailgun.plan.Ownership;
import dev.ippools.mailgun.plan.PlanningContext;
import dev.ippools.mailgun.plan.StrayPools;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After each successful poll of an account: counts its duplicate and orphaned pools for the
 * metrics, lists orphans in the log when the list changes, and (only when asked to) deletes the
 * orphans that are empty and unlinked. An IpPool this operator does not see (another namespace,
 * another operator) makes its pools look orphaned, hence the opt-in.
 */
final class StrayPoolSweep {

    private static final Logger log = LoggerFactory.getLogger(StrayPoolSweep.class);

    private final AccountScope scope;
    private final AccountScope.Siblings siblings;
    private final Supplier<ChangeTrackingCache<IpPool>> pools;
    private final boolean deleteOrphans;
    private final PlanExecutor executor = new PlanExecutor();
    private final Map<AccountKey, Set<String>> reported = new ConcurrentHashMap<>();

    StrayPoolSweep(AccountScope scope, Supplier<ChangeTrackingCache<IpPool>> pools, boolean deleteOrphans) {
        this.scope = scope;
        this.siblings = scope.siblings();
        this.pools = pools;
        this.deleteOrphans = deleteOrphans;
    }

    void sweep(AccountState account) {
        ChangeTrackingCache<IpPool> cache = pools.get();
        if (cache == null) {
            return;
        }
        Set<String> knownUids = cache.list().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
        PlanningContext ctx = siblings.planningContext(account.key(), ObservedMapper.observed(account), cache, null);
        int duplicates = 0;
        for (var found : StrayPools.duplicatesByPool(ctx).entrySet()) {
            DesiredPool pool = found.getKey();
            if (!pool.deleting()) {
                // A duplicate is news to its IpPool, though nothing it watches changed.
                scope.accounts().wake(IpPoolReconciler.KIND, pool.key());
            }
            duplicates += found.getValue().size();
        }
        List<ObservedPool> orphans = StrayPools.orphans(ctx, knownUids, scope.ownerId());
        if (deleteOrphans) {
            orphans = deleteRemovable(account, ctx, orphans, knownUids);
        }
        report(account.key(), ctx, orphans);
        scope.accounts().reportStrayPools(account.key(), duplicates, orphans.size());
    }

    private List<ObservedPool> deleteRemovable(
            AccountState account, PlanningContext ctx, List<ObservedPool> orphans, Set<String> liveUids) {
        List<ObservedPool> deleted = orphans.stream()
                .filter(p -> StrayPools.removable(p, ctx))
                .filter(p -> {
                    PlanExecutor.Result r = executor.execute(
                            account.client(),
                            List.of(new MailgunStep.DeletePool(p.id(), null, null)),
                            Ownership.orphanRemoval(() -> ObservedMapper.observed(account), liveUids, scope.ownerId()),
                            id -> {});
                    if (r.succeeded()) {
                        log.warn(
                                "Deleted orphaned Mailgun pool {} (\"{}\") of account {}: its IpPool is"
                                        + " gone and it was empty and unlinked",
                                p.id(),
                                p.name(),
                                account.key());
                    } else {
                        log.warn(
                                "Could not delete orphaned Mailgun pool {}: {}",
                                p.id(),
                                r.failure().getMessage());
                    }
                    return r.succeeded();
                })
                .toList();
        if (deleted.isEmpty()) {
            return orphans;
        }
        scope.accounts().refreshAfterWrite(account);
        return orphans.stream().filter(p -> !deleted.contains(p)).toList();
    }

    private void report(AccountKey key, PlanningContext ctx, List<ObservedPool> orphans) {
        Set<String> ids = orphans.stream().map(ObservedPool::id).collect(Collectors.toSet());
        if (ids.equals(reported.getOrDefault(key, Set.of()))) {
            return;
        }
        reported.put(key, ids);
        for (ObservedPool p : orphans) {
            String why = StrayPools.keptBecause(p, ctx);
            log.warn(
                    "Orphaned Mailgun pool {} (\"{}\") in account {}: marked for an IpPool that no"
                            + " longer exists; {}",
                    p.id(),
                    p.name(),
                    key,
                    why != null
                            ? "kept because " + why
                            : deleteOrphans ? "it is deleted" : "kept (--delete-orphaned-pools is off)");
        }
    }
}
