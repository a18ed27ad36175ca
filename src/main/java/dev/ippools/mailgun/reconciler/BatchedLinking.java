package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.account.AccountState;
import dev.ippools.mailgun.account.BindingLinks;
import dev.ippools.mailgun.account.BindingLinks.View;
import dev.ippools.mailgun.client.MailgunException;
import dev.ippools.mailgun.execute.PlanExecutor;
import dev.ippools.mailgun.mapping.ObservedMapper;
import dev.ippools.mailgun.plan.DesiredBinding;
import dev.ippools.mailgun.plan.LinkPlanner;
import dev.ippools.mailgun.plan.LinkPlanner.Decision;
import dev.ippools.mailgun.plan.LinkStanding;
import dev.ippools.mailgun.plan.ManagementPolicy;
import dev.ippools.mailgun.plan.Ownership;
import dev.ippools.mailgun.plan.PlanningContext;
import dev.ippools.mailgun.plan.ResourceKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A binding whose links go through its pool's batch ({@link LinkPlanner#batches}): observes where
 * the domain's link stands, lets {@link LinkPlanner} decide, and hands a link to {@link
 * PlanExecutor}, which checks ownership and queues it in the account's batch. Under Observe it
 * only reads.
 */
final class BatchedLinking {

    private final ReconcileSettings settings;
    private final Supplier<PlanningContext> planning;
    private final PlanExecutor executor;
    private final Predicate<ResourceKey> paused;

    /** @param paused whether a sibling binding is paused (or gone): its link is left to it */
    BatchedLinking(
            ReconcileSettings settings,
            Supplier<PlanningContext> planning,
            PlanExecutor executor,
            Predicate<ResourceKey> paused) {
        this.settings = settings;
        this.planning = planning;
        this.executor = executor;
        this.paused = paused;
    }

    /**
     * @param unsettled the binding is not settled: a pool's domains read up to one relink interval
     *     ago answers it, instead of one up to the resync interval ago
     */
    Run planAndLink(DesiredBinding desired, AccountState account, boolean unsettled) {
        if (desired.deleting()) {
            return moveToReplacement(desired, account);
        }
        BindingLinks links = account.links();
        String poolId = LinkPlanner.targetPoolId(desired, planning.get());
        Duration maxAge = unsettled ? settings.relinkPoll() : settings.domainResync();
        if (desired.policy() == ManagementPolicy.OBSERVE) {
            links.observeOnly(desired.domain(), poolId, maxAge);
            return run(LinkPlanner.observe(desired, planning.get()), desired, account, null);
        }
        View view = links.observe(desired.domain(), poolId, maxAge);
        // Planned once the observation is recorded, so the plan sees it.
        Decision decision = LinkPlanner.link(desired, planning.get(), view.standing(), view.domainId() != null);
        return run(decision, desired, account, view);
    }

    /** A deletion whose replacement is a pool: the domain moves there in that pool's batch. */
    private Run moveToReplacement(DesiredBinding desired, AccountState account) {
        BindingLinks links = account.links();
        String domain = desired.domain();
        PlanningContext before = planning.get();
        String replacement = LinkPlanner.replacementPoolId(desired, before);
        // A deletion is not settled: no read older than a relink interval decides it.
        Duration maxAge = settings.relinkPoll();
        if (replacement != null && links.hasTicket(domain, replacement)) {
            View moving = links.observe(domain, replacement, maxAge);
            Optional<Decision> underway = LinkPlanner.moveUnderway(desired, planning.get(), moving.standing());
            if (underway.isPresent()) {
                return run(underway.get(), desired, account, moving);
            }
        }
        String target = LinkPlanner.targetPoolId(desired, before);
        View view = links.observeBeforeUnlink(domain, target, maxAge);
        if (view.standing() == LinkStanding.REJECTED || view.standing() == LinkStanding.FAILED) {
            // That link no longer matters; where the domain is does.
            links.forgetFailure(domain);
            view = links.observeBeforeUnlink(domain, target, maxAge);
        }
        Decision decision = LinkPlanner.move(desired, planning.get(), view.standing(), view.domainId() != null);
        return run(decision, desired, account, view);
    }

    /** Carries out a decision: the only write, a queued link, goes through the executor. */
    private Run run(Decision decision, DesiredBinding desired, AccountState account, View view) {
        if (decision instanceof Decision.Report report) {
            return new Run(report.plan(), null);
        }
        if (decision instanceof Decision.Refused refused) {
            return new Run(
                    refused.plan(),
                    PlanExecutor.Result.refused(refused.link(), view.ticket().failure()));
        }
        if (decision instanceof Decision.Retry) {
            throw reportedOnce(account.links(), desired.domain(), view);
        }
        Decision.Queue queue = (Decision.Queue) decision;
        PlanExecutor.Result result = queue(desired, queue, view, account);
        if (result.succeeded()) {
            queueSiblings(queue.siblings(), account);
        }
        return result.succeeded() ? new Run(queue.queued(), result) : new Run(queue.plan(), result);
    }

    private PlanExecutor.Result queue(DesiredBinding desired, Decision.Queue queue, View view, AccountState account) {
        return executor.execute(
                account.client(),
                queue.plan().steps(),
                Ownership.guard(
                        Ownership.Actor.of(desired),
                        () -> ObservedMapper.observed(account),
                        planning.get().pools()),
                id -> {},
                link -> account.links().link(link.domain(), view.domainId(), link.poolId()));
    }

    /**
     * Queues, in the same batch, the links of the pool's other bindings whose own reconcile would
     * queue one now (architecture §11): their desired state is in the informer cache already, and
     * a binding whose reconcile comes after the call left would cost the pool a second PATCH and a
     * verification read. Each is observed, decided and ownership-checked as itself; whatever else
     * it needs (a report, a refusal) its own reconcile gives.
     */
    private void queueSiblings(List<DesiredBinding> siblings, AccountState account) {
        PlanningContext before = planning.get();
        List<Observed> observed = new ArrayList<>();
        for (DesiredBinding sibling : siblings) {
            if (paused.test(sibling.key()) || account.links().inBatch(sibling.domain())) {
                continue;
            }
            String poolId = LinkPlanner.targetPoolId(sibling, before);
            if (poolId != null) {
                observed.add(new Observed(
                        sibling, account.links().observe(sibling.domain(), poolId, settings.relinkPoll())));
            }
        }
        // Planned once all are observed: one planner's view for the lot, not one per sibling.
        PlanningContext ctx = planning.get();
        for (Observed o : observed) {
            Decision decision = LinkPlanner.link(
                    o.sibling(), ctx, o.view().standing(), o.view().domainId() != null);
            if (decision instanceof Decision.Queue queue) {
                queue(o.sibling(), queue, o.view(), account);
            }
        }
    }

    private record Observed(DesiredBinding sibling, View view) {}

    /** A batch that failed in a way that may pass: reported once, the retry queues it again. */
    private static RuntimeException reportedOnce(BindingLinks links, String domain, View view) {
        links.forgetFailure(domain);
        MailgunException failure = view.ticket().failure();
        return failure != null
                ? failure
                : new IllegalStateException(
                        "linking domain " + domain + " to pool " + view.ticket().poolId() + " failed");
    }
}
