package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.account.AccountState;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ConditionTypes;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.execute.PlanExecutor;
import dev.ippools.mailgun.mapping.ObservedMapper;
import dev.ippools.mailgun.plan.DesiredPool;
import dev.ippools.mailgun.plan.MailgunStep;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import dev.ippools.mailgun.plan.Ownership;
import dev.ippools.mailgun.plan.PlanningContext;
import dev.ippools.mailgun.plan.StrayPools;
import dev.ippools.mailgun.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An IpPool's duplicates (marked pools besides the one it owns, left by a create whose answer was
 * lost): empty, unlinked ones are deleted; the others are named in Ready's message and in a
 * Warning Event, since they may carry mail and only a person can say where it should go.
 */
final class DuplicatePools {

    private static final Logger log = LoggerFactory.getLogger(DuplicatePools.class);

    private final PlanExecutor executor;
    private final EventRecorder events;
    // Reconciles can overlap a status write; this keeps one Event per duplicate per process, the
    // Ready message keeps it across restarts.
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    DuplicatePools(PlanExecutor executor, EventRecorder events) {
        this.executor = executor;
        this.events = events;
    }

    /**
     * Deletes the removable duplicates and returns the note for the ones kept (empty: none).
     *
     * @param context the planning context, read again after a deletion
     */
    Optional<String> settle(
            IpPool pool,
            DesiredPool desired,
            AccountState account,
            Supplier<PlanningContext> context,
            Runnable refresh) {
        PlanningContext ctx = context.get();
        List<ObservedPool> duplicates = StrayPools.duplicatesOf(desired, ctx);
        if (duplicates.isEmpty()) {
            return Optional.empty();
        }
        String lastReady = lastReadyMessage(pool);
        List<String> kept = new ArrayList<>();
        boolean deleted = false;
        for (ObservedPool dup : duplicates) {
            String why = StrayPools.keptBecause(dup, ctx);
            if (why == null) {
                PlanExecutor.Result r = executor.execute(
                        account.client(),
                        List.of(new MailgunStep.DeletePool(dup.id(), null, null)),
                        Ownership.guard(
                                Ownership.Actor.of(desired), () -> ObservedMapper.observed(account), ctx.pools()),
                        id -> {});
                if (r.succeeded()) {
                    deleted = true;
                    log.warn(
                            "IpPool {}: deleted duplicate pool {} (empty, unlinked, marked for it)",
                            desired.key(),
                            dup.id());
                    events.warning(
                            pool,
                            "DuplicatePoolDeleted",
                            "Deleted Mailgun pool " + dup.id()
                                    + ": a second pool marked for this IpPool, left by a create whose answer was"
                                    + " lost; it was empty and unlinked");
                    continue;
                }
                why = "deleting it failed: " + r.failure().getMessage();
            }
            String text = "Mailgun pool " + dup.id() + " (\"" + dup.name() + "\") is also marked for"
                    + " this IpPool (a create whose answer was lost) and is kept: " + why
                    + "; move what it holds and delete it in Mailgun";
            kept.add(text);
            if (!lastReady.contains(dup.id()) && warned.add(dup.id())) {
                log.warn("IpPool {}: {}", desired.key(), text);
                events.warning(pool, "DuplicatePool", text);
            }
        }
        if (deleted) {
            refresh.run();
        }
        return kept.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", kept));
    }

    private static String lastReadyMessage(IpPool pool) {
        if (pool.getStatus() == null || pool.getStatus().conditions() == null) {
            return "";
        }
        return Conditions.find(pool.getStatus().conditions(), ConditionTypes.READY)
                .map(Condition::getMessage)
                .orElse("");
    }
}
