package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.account.AccountState;
import dev.ippools.mailgun.account.PollHealth;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ConditionTypes;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ReadyReasons;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.SyncedReasons;
import dev.ippools.mailgun.api.v1alpha1.ConditionedStatus;
import dev.ippools.mailgun.client.MailgunApiException;
import dev.ippools.mailgun.execute.PlanExecutor;
import dev.ippools.mailgun.mapping.CredentialsResolver;
import dev.ippools.mailgun.mapping.DesiredMapper;
import dev.ippools.mailgun.plan.Drift;
import dev.ippools.mailgun.plan.Plan;
import dev.ippools.mailgun.plan.ResourceKey;
import dev.ippools.mailgun.status.Conditions;
import dev.ippools.mailgun.status.Progress;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconcile loop both kinds share: resolve credentials, map, observe and plan, execute, watch
 * the account for what concerns the resource, write status; and the same on delete until Mailgun
 * shows nothing left to do. Subclasses supply only what differs by kind.
 *
 * @param <R> the custom resource
 * @param <S> its status
 * @param <D> the planner's record of it
 */
abstract class MailgunReconciler<R extends CustomResource<?, S>, S extends ConditionedStatus<S>, D>
        implements Reconciler<R>, Cleaner<R> {

    private static final Logger log = LoggerFactory.getLogger(MailgunReconciler.class);

    final String kind;
    final AccountScope scope;
    final AccountScope.Siblings siblings;
    final ReconcileSettings settings;
    final Clock clock;
    final EventRecorder events;
    final PlanExecutor executor = new PlanExecutor();
    private final SecretLookup secretLookup;
    private final ResourceStatus<R, S> statuses;
    private volatile ChangeTrackingCache<R> cache;

    MailgunReconciler(String kind, Supplier<R> emptyResource, Dependencies deps) {
        this.kind = kind;
        this.scope = deps.scope();
        this.siblings = scope.siblings();
        this.secretLookup = deps.secrets();
        this.settings = deps.settings();
        this.clock = deps.clock();
        this.events = deps.events();
        this.statuses = new ResourceStatus<>(
                kind,
                deps.client(),
                new StatusWriter(
                        settings.serverSideApply(),
                        getClass().getAnnotation(ControllerConfiguration.class).name()),
                new Conditions(clock),
                events,
                emptyResource,
                this::statusWith);
    }

    /** What both reconcilers are built from. */
    record Dependencies(
            AccountScope scope,
            SecretLookup secrets,
            ReconcileSettings settings,
            Clock clock,
            KubernetesClient client,
            EventRecorder events) {}

    // ---- what differs by kind

    /** The resource as the planner sees it. */
    abstract D map(R resource);

    /** Observes what the plan needs, plans, runs the plan's writes and plans again on the result. */
    abstract Run planAndExecute(R resource, D desired, AccountState account, Context<R> context);

    /** Tells the account which pools, IPs and domains should wake this resource when they change. */
    abstract void watch(AccountState account, R resource, D desired, Plan plan);

    /** The status after an outcome, with what Mailgun showed (account null: nothing observed). */
    abstract S nextStatus(R resource, Outcome outcome, Plan plan, AccountState account);

    /** A status holding only conditions, for a resource that has none yet. */
    abstract S statusWith(List<Condition> conditions);

    /** The informer of the other kind, so changes there wake the resources that refer to them. */
    abstract EventSource<?, R> siblings(EventSourceContext<R> context);

    /** Whether deleting the resource must change Mailgun (false: Orphan, or Observe). */
    abstract boolean writesOnDelete(D desired);

    /**
     * Whether the resource's records prove nothing of it can exist in Mailgun, so a deletion needs no
     * Mailgun call even when the account cannot be used. False unless a kind knows better.
     */
    boolean nothingInMailgun(R resource, D desired) {
        return false;
    }

    /** Why deletion waits when credentials are missing, and how to get out of it. */
    abstract String cannotCleanUp(String problem);

    /** Whether a run during deletion finished the Mailgun side. */
    abstract boolean cleanedUp(Run run);

    /**
     * Where Mailgun differs from what the resource last settled on, read before this run writes:
     * a change made outside the operator. Asked only of a resource Ready at its current generation.
     */
    List<Drift> drift(R resource, D desired, AccountState account) {
        return List.of();
    }

    /** Reads afresh what a reconcile-requested-at annotation asks for, beyond the account. */
    void refreshRequested(R resource, D desired, AccountState account) {}

    /** Called once the Mailgun side of a deletion is done, before the finalizer goes. */
    void cleanedUp(R resource, D desired, AccountState account, Run run) {}

    /** How long a controller waits for an informer's first list (JOSDK's setting). */
    static Duration syncTimeout(EventSourceContext<?> context) {
        return context.getControllerConfiguration().getConfigurationService().cacheSyncTimeout();
    }

    // ---- the shared loop

    /** The informer cache of this kind (null before the operator started). */
    ChangeTrackingCache<R> cache() {
        return cache;
    }

    @Override
    public List<EventSource<?, R>> prepareEventSources(EventSourceContext<R> context) {
        cache = new ChangeTrackingCache<>(context.getPrimaryCache());
        WakeUps<R> wakeUps = new WakeUps<>(
                kind, scope, secretLookup, () -> context.getPrimaryCache().list());
        return List.of(siblings(context), wakeUps.source());
    }

    // The first status of the resource this thread reconciles, for {@link #beforeMailgunWrites()}.
    private static final ThreadLocal<FirstStatus> FIRST = ThreadLocal.withInitial(() -> FirstStatus.NONE);

    @Override
    public UpdateControl<R> reconcile(R resource, Context<R> context) {
        if (ResourceStatus.paused(resource)) {
            statuses.writePaused(resource, ResourceStatus.PAUSED);
            return UpdateControl.noUpdate();
        }
        FirstStatus first = resource.getStatus() == null || resource.getStatus().conditions() == null
                ? FirstStatus.after(FirstStatus.DELAY, () -> statuses.writeFirst(resource))
                : FirstStatus.NONE;
        FIRST.set(first);
        try {
            return reconcileWith(resource, context);
        } finally {
            first.settle();
            FIRST.remove();
        }
    }

    /** Writes a new resource's first status now if it is still due: Mailgun writes can wait long. */
    static void beforeMailgunWrites() {
        FIRST.get().writeNow();
    }

    private UpdateControl<R> reconcileWith(R resource, Context<R> context) {
        CredentialsResolver.Resolved resolved = scope.credentialsOf(resource);
        if (resolved.value().isEmpty()) {
            return finish(
                    resource, Outcome.accountProblem(resolved.reason(), resolved.problem(), settings), null, null);
        }
        AccountState account = scope.account(resolved.credentials());
        D desired = map(resource);
        if (ResourceStatus.reconcileRequested(resource)) {
            refreshAccount(account);
            refreshRequested(resource, desired, account);
        }
        Optional<Outcome> unreadable = unreadable(account, resource, desired);
        if (unreadable.isPresent()) {
            return finish(resource, unreadable.get(), null, account);
        }
        try {
            List<Drift> drift =
                    ResourceStatus.settledAtThisGeneration(resource) ? drift(resource, desired, account) : List.of();
            Run run = planAndExecute(resource, desired, account, context);
            watch(account, resource, desired, run.plan());
            Outcome outcome = run.outcome(settings);
            if (!drift.isEmpty() && !run.rejected() && !Progress.stalls(outcome.syncedReason())) {
                reportDrift(resource, account, drift);
            }
            return finish(resource, outcome, run.plan(), account);
        } catch (MailgunApiException e) {
            if (e.isTransient()) {
                throw e;
            }
            watch(account, resource, desired, null);
            return finish(resource, Outcome.rejected(null, e), null, account);
        }
    }

    private UpdateControl<R> finish(R resource, Outcome outcome, Plan plan, AccountState account) {
        // The decision is the status now: a first one still due is not written after it.
        FIRST.get().settle();
        S next = statuses.observed(resource, nextStatus(resource, outcome, plan, account));
        UpdateControl<R> control = statuses.update(resource, next);
        return outcome.requeue().map(control::rescheduleAfter).orElse(control);
    }

    @Override
    public ErrorStatusUpdateControl<R> updateErrorStatus(R resource, Context<R> context, Exception e) {
        S old = resource.getStatus();
        String reason = e instanceof CreateIncompleteException
                ? SyncedReasons.CREATE_INCOMPLETE
                : SyncedReasons.RECONCILE_ERROR;
        List<Condition> previous = old == null ? null : old.conditions();
        Conditions.Update update = statuses.conditions().update(previous, ResourceStatus.generation(resource));
        if (previous == null || Conditions.find(previous, ConditionTypes.READY).isEmpty()) {
            // never "no conditions", which kstatus reads as Current
            update.set(ConditionTypes.READY, Conditions.FALSE, ReadyReasons.ERROR, ErrorMessages.of(e));
        }
        update.set(ConditionTypes.SYNCED, Conditions.FALSE, reason, ErrorMessages.of(e));
        List<Condition> conds = Progress.mark(update).conditions();
        S next = statuses.observed(resource, old == null ? statusWith(conds) : old.withConditions(conds));
        return statuses.updateOnError(resource, next);
    }

    @Override
    public DeleteControl cleanup(R resource, Context<R> context) {
        D desired = map(resource);
        ResourceKey key = DesiredMapper.key(resource);
        CredentialsResolver.Resolved resolved = scope.credentialsOf(resource);
        if (!writesOnDelete(desired)) {
            resolved.value().ifPresent(c -> scope.account(c).unwatch(kind, key));
            scope.forget(resource);
            return DeleteControl.defaultDelete();
        }
        if (resolved.value().isEmpty() && ReadyReasons.ACCOUNT_NOT_ALLOWED.equals(resolved.reason())) {
            // the operator may not act for this namespace at all: it leaves Mailgun alone
            events.normal(resource, "LeftInMailgun", resolved.problem());
            scope.forget(resource);
            return DeleteControl.defaultDelete();
        }
        if (resolved.value().isEmpty() && nothingInMailgun(resource, desired)) {
            return released(resource, "Nothing to delete in Mailgun");
        }
        if (ResourceStatus.paused(resource)) {
            // what is left needs Mailgun calls, which a pause rules out: the finalizer waits for resume
            statuses.writePaused(resource, ResourceStatus.PAUSED_DELETION);
            return DeleteControl.noFinalizerRemoval();
        }
        if (resolved.value().isEmpty()) {
            patchStatus(
                    resource,
                    Outcome.accountProblem(resolved.reason(), cannotCleanUp(resolved.problem()), settings),
                    null,
                    null);
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(settings.waitRecheck());
        }
        AccountState account = scope.account(resolved.credentials());
        Optional<Outcome> unreadable = unreadable(account, resource, desired);
        boolean keyRejected = PollHealth.of(account)
                .map(h -> h.cause() == PollHealth.Cause.UNAUTHORIZED)
                .orElse(false);
        if (keyRejected && nothingInMailgun(resource, desired)) {
            account.unwatch(kind, key);
            return released(resource, "Nothing to delete in Mailgun");
        }
        if (unreadable.isPresent()) {
            patchStatus(resource, unreadable.get(), null, account);
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(settings.waitRecheck());
        }
        try {
            Run run = planAndExecute(resource, desired, account, context);
            if (cleanedUp(run)) {
                account.unwatch(kind, key);
                cleanedUp(resource, desired, account, run);
                scope.forget(resource);
                return DeleteControl.defaultDelete();
            }
            watch(account, resource, desired, run.plan());
            Outcome outcome = run.outcome(settings);
            patchStatus(resource, outcome, run.plan(), account);
            return DeleteControl.noFinalizerRemoval()
                    .rescheduleAfter(outcome.requeue().orElse(settings.waitRecheck()));
        } catch (MailgunApiException e) {
            if (e.isTransient()) {
                throw e;
            }
            if (e.isUnauthorized() && nothingInMailgun(resource, desired)) {
                account.unwatch(kind, key);
                return released(resource, "Nothing to delete in Mailgun");
            }
            patchStatus(resource, Outcome.rejected(null, e), null, account);
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(settings.waitRecheck());
        }
    }

    /** Lets the finalizer go without touching Mailgun: the credentials could not be used. */
    private DeleteControl released(R resource, String message) {
        log.info(
                "{} {}: {}; removing the finalizer although the Mailgun account cannot be used",
                kind,
                DesiredMapper.key(resource),
                message);
        events.normal(resource, "Deleted", message);
        scope.forget(resource);
        return DeleteControl.defaultDelete();
    }

    /**
     * The outcome to report when the account cannot be read (architecture §10): planning on a stale
     * snapshot would claim Mailgun matches. The resource stays watched, so the first poll that
     * succeeds wakes it.
     */
    private Optional<Outcome> unreadable(AccountState account, R resource, D desired) {
        try {
            account.snapshot();
        } catch (RuntimeException e) {
            // Kept as the account's last error, which PollHealth reads.
        }
        Optional<PollHealth> health = PollHealth.of(account);
        if (health.isEmpty()) {
            return Optional.empty();
        }
        watch(account, resource, desired, null);
        S old = resource.getStatus();
        Condition lastReady = old == null || old.conditions() == null
                ? null
                : Conditions.find(old.conditions(), ConditionTypes.READY).orElse(null);
        return Optional.of(Outcome.accountUnreadable(health.get(), lastReady, settings.waitRecheck()));
    }

    // Cleanup cannot return a status, so it writes one itself (only when it changed).
    private void patchStatus(R resource, Outcome outcome, Plan plan, AccountState account) {
        statuses.writeIfChanged(resource, statuses.observed(resource, nextStatus(resource, outcome, plan, account)));
    }

    /** Reads the account afresh now, within its rate limit, and wakes whom a change concerns. */
    private void refreshAccount(AccountState account) {
        try {
            scope.accounts().refreshAfterWrite(account, clock.instant());
        } catch (RuntimeException e) {
            // Kept as the account's last error; the unreadable check reports it.
            log.debug("{}: requested read of the account failed: {}", kind, e.toString());
        }
    }

    private void reportDrift(R resource, AccountState account, List<Drift> drift) {
        String message = "Corrected a change made outside the operator: "
                + String.join("; ", drift.stream().map(Drift::describe).toList());
        log.info("{} {}: {}", kind, DesiredMapper.key(resource), message);
        events.warning(resource, DRIFT_CORRECTED, message);
        scope.accounts().reportDrift(account.key(), kind);
    }

    static final String DRIFT_CORRECTED = "DriftCorrected";

    /** The conditions an outcome gives, on top of the resource's current ones. */
    final List<Condition> conditionsAfter(R resource, Outcome outcome) {
        return statuses.conditionsAfter(resource, outcome);
    }

    static long generation(HasMetadata resource) {
        return ResourceStatus.generation(resource);
    }

    static boolean waiting(Plan plan) {
        return plan == null || plan.state() != Plan.State.AVAILABLE && plan.state() != Plan.State.OBSERVED;
    }
}
