package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.account.AccountState;
import dev.ippools.mailgun.account.Watcher;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ConditionTypes;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBindingSpec;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.api.v1alpha1.IpPoolStatus;
import dev.ippools.mailgun.api.v1alpha1.PendingWarmupStatus;
import dev.ippools.mailgun.client.MailgunApiException;
import dev.ippools.mailgun.client.MailgunException;
import dev.ippools.mailgun.client.model.MailgunPool;
import dev.ippools.mailgun.execute.PlanExecutor;
import dev.ippools.mailgun.mapping.DesiredMapper;
import dev.ippools.mailgun.mapping.KindRules;
import dev.ippools.mailgun.mapping.ObservedMapper;
import dev.ippools.mailgun.mapping.PoolAnnotations;
import dev.ippools.mailgun.plan.DesiredPool;
import dev.ippools.mailgun.plan.Drift;
import dev.ippools.mailgun.plan.MailgunStep;
import dev.ippools.mailgun.plan.ManagementPolicy;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedWarmup;
import dev.ippools.mailgun.plan.Ownership;
import dev.ippools.mailgun.plan.PendingWarmup;
import dev.ippools.mailgun.plan.Plan;
import dev.ippools.mailgun.plan.PlanningContext;
import dev.ippools.mailgun.plan.Plans;
import dev.ippools.mailgun.plan.PoolEdits;
import dev.ippools.mailgun.plan.PoolPlanner;
import dev.ippools.mailgun.plan.Warmups;
import dev.ippools.mailgun.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Makes one Mailgun DIPP match an IpPool: validate, map, observe, plan, execute, status. */
@ControllerConfiguration(name = IpPoolReconciler.NAME, finalizerName = ApiConstants.FINALIZER)
public final class IpPoolReconciler extends MailgunReconciler<IpPool, IpPoolStatus, DesiredPool> {

    public static final String NAME = "ippool";
    static final String KIND = "IpPool";
    private static final Logger log = LoggerFactory.getLogger(IpPoolReconciler.class);

    // The binding controller's informer cache, read instead of a second informer of bindings.
    private volatile Supplier<ChangeTrackingCache<DomainPoolBinding>> bindings = () -> null;
    private final DuplicatePools duplicates;
    private final WarmupRecord warmups;

    IpPoolReconciler(Dependencies deps) {
        super(KIND, IpPool::new, deps);
        this.duplicates = new DuplicatePools(executor, events);
        this.warmups = new WarmupRecord(events);
    }

    /** Plans and wake-ups read bindings from the binding controller's informer. */
    void readBindingsFrom(DomainPoolBindingReconciler controller) {
        bindings = controller::cache;
    }

    @Override
    EventSource<?, IpPool> siblings(EventSourceContext<IpPool> context) {
        return new SiblingWakeUps<DomainPoolBinding, IpPool>(
                "ippool-bindings",
                () -> bindings.get(),
                DesiredCache::planView,
                (id, view) -> poolsReferencedBy(
                        id.getNamespace().orElse(null), (DomainPoolBindingSpec) ((DesiredCache.PlanView) view).spec()),
                syncTimeout(context));
    }

    private static Set<ResourceID> poolsReferencedBy(String ns, DomainPoolBindingSpec spec) {
        Set<ResourceID> ids = new HashSet<>();
        if (spec != null && spec.poolRef() != null) {
            ids.add(new ResourceID(spec.poolRef().name(), ns));
        }
        if (spec != null && spec.replacement() != null && spec.replacement().poolRef() != null) {
            ids.add(new ResourceID(spec.replacement().poolRef().name(), ns));
        }
        return ids;
    }

    @Override
    DesiredPool map(IpPool pool) {
        return DesiredMapper.pool(pool).withOwnerId(settings.ownerId());
    }

    @Override
    Run planAndExecute(IpPool pool, DesiredPool desired, AccountState account, Context<IpPool> context) {
        if (!desired.delegatedTo().isEmpty()) {
            account.wantDelegations();
        }
        boolean createPending = desired.recordedPoolId() == null && PoolAnnotations.hasCreateIntent(pool);
        if (createPending && !showsPoolMarkedFor(account, desired.uid())) {
            // A create may have happened just before a crash: read fresh before deciding to create.
            // Not when the account already shows the pool (this process made it, the informer has not
            // brought the recorded id yet): the plan finds it by its marker.
            scope.accounts().refreshAfterWrite(account);
        }
        if (desired.recordedPoolId() != null && wasRelinking(pool)) {
            observeLinkedDomains(account, desired.recordedPoolId());
        }
        if (desired.recordedPoolId() != null && account.delegationsPropagating(desired.recordedPoolId())) {
            // Only the delegation list shows when Mailgun is done: read it again, once per relink
            // poll for all of the account's pools.
            scope.accounts().refreshAfterWrite(account, clock.instant().minus(settings.relinkPoll()));
        }
        readWarmupProgress(desired, account);
        PlanningContext planning = planningContext(account, context);
        Plan plan = PoolPlanner.plan(desired, planning);
        if (log.isDebugEnabled()) { // the plan's lines are made only for the log
            log.debug("{} {} plan {}: {}", KIND, desired.key(), plan.state(), Plans.lines(plan));
        }
        Optional<Outcome> unknown = createPending
                ? CreateOutcome.pending(pool, desired.deleting(), plan, settings, clock.instant())
                : Optional.empty();
        if (unknown.isPresent()) {
            log.info("{} {}: {}", KIND, desired.key(), unknown.get().syncedMessage());
            return Run.reporting(plan, null, unknown.get());
        }
        PlanExecutor.Result result = null;
        // The resource as last written here (the create intent, the recorded pool id).
        IpPool current = pool;
        if (!plan.steps().isEmpty()) {
            beforeMailgunWrites();
            current = plan.steps().stream().anyMatch(s -> s instanceof MailgunStep.CreatePool)
                    ? recordCreateIntent(pool, context)
                    : pool;
            IpPool written = current;
            MailgunStep.CreatePool create = plan.steps().stream()
                    .filter(MailgunStep.CreatePool.class::isInstance)
                    .map(MailgunStep.CreatePool.class::cast)
                    .findFirst()
                    .orElse(null);
            result = executor.execute(
                    account.client(),
                    PoolEdits.merged(plan.steps()),
                    Ownership.guard(
                            Ownership.Actor.of(desired), () -> ObservedMapper.observed(account), planning.pools()),
                    id -> {
                        // The answer names the pool: known without a read (the next bulk read verifies it),
                        // before the id is recorded, so bindings woken by the record find the pool.
                        scope.accounts()
                                .recordCreated(
                                        account,
                                        new MailgunPool(
                                                id, create.name(), create.description(), create.ips(), false, false));
                        recordPoolId(written, id, context);
                    },
                    null,
                    warmups.recorder(written, context));
            account.rememberAccepted(result.done());
            warmups.settleAfter(written, result, context);
            desired = desired.withWarmupsStarted(PoolAnnotations.warmupsStarted(written));
            boolean rejected = !result.succeeded() && !result.failure().isTransient();
            if (!result.done().isEmpty() || rejected) {
                if (!rejected && result.done().size() == 1 && result.done().get(0) instanceof MailgunStep.CreatePool) {
                    log.trace("{} {}: created; no read needed", KIND, desired.key());
                } else {
                    scope.accounts().refreshAfterWrite(account, clock.instant());
                }
                String poolId = result.createdPoolId() != null ? result.createdPoolId() : plan.poolId();
                if (result.started() && poolId != null && !desired.deleting()) {
                    observeLinkedDomains(account, poolId);
                }
                desired = desired.withRecordedPoolId(poolId);
                plan = PoolPlanner.plan(desired, planningContext(account, context));
            }
            if (!result.succeeded()) {
                MailgunException failure = result.failure();
                if (result.failedStep() instanceof MailgunStep.CreatePool) {
                    if (CreateOutcome.unclear(failure)) {
                        throw new CreateIncompleteException(failure);
                    }
                    // Mailgun certainly made no pool: the next create need not wait for this one.
                    clearCreateIntent(current, context);
                }
                if (failure.isTransient()) {
                    throw failure;
                }
                log.info(
                        "{} {}: Mailgun rejected {}: {}",
                        KIND,
                        DesiredMapper.key(pool),
                        result.failedStep().describe(),
                        failure.getMessage());
            }
        }
        // Recorded once: right after the create, or here for a pool found (adopted, or a lost answer).
        if (plan.poolId() != null && !desired.deleting()) {
            if (PoolAnnotations.recordsPoolId(current, plan.poolId())) {
                PoolAnnotations.recordPoolId(pool, plan.poolId());
            } else {
                recordPoolId(pool, plan.poolId(), context);
            }
        }
        Run run = new Run(plan, result);
        if (desired.deleting() || plan.poolId() == null || run.rejected()) {
            return run;
        }
        DesiredPool owner = desired.withRecordedPoolId(plan.poolId());
        Optional<String> kept = duplicates.settle(
                pool,
                owner,
                account,
                () -> planningContext(account, context),
                () -> scope.accounts().refreshAfterWrite(account, clock.instant()));
        return kept.map(note -> Run.reporting(
                        run.plan(), run.result(), run.outcome(settings).withReadyNote(note)))
                .orElse(run);
    }

    /**
     * Reads warm-up progress when a listed IP is warming up, at most once per {@code
     * warmupProgressInterval} per account: the bulk IP read already says which IPs warm, so a
     * failed progress read only leaves the message without a stage.
     */
    private void readWarmupProgress(DesiredPool desired, AccountState account) {
        if (Warmups.waitsForWarmup(desired, ObservedMapper.observed(account))) {
            account.refreshWarmupsIfOlderThan(clock.instant().minus(settings.warmupProgressInterval()));
        }
    }

    private PlanningContext planningContext(AccountState account, Context<IpPool> context) {
        return siblings.planningContext(account.key(), ObservedMapper.observed(account), cache(), bindings.get());
    }

    private void observeLinkedDomains(AccountState account, String poolId) {
        try {
            account.observeLinkedDomains(poolId);
        } catch (MailgunApiException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    private static boolean wasRelinking(IpPool pool) {
        return pool.getStatus() != null && Conditions.isTrue(pool.getStatus().conditions(), ConditionTypes.RELINKING);
    }

    private static boolean showsPoolMarkedFor(AccountState account, String uid) {
        return new PlanningContext(ObservedMapper.observed(account), List.of(), List.of())
                .markedPool(uid)
                .isPresent();
    }

    /**
     * Writes the create intent with optimistic locking before the POST: a concurrent change fails
     * the update (409) and the reconcile starts over instead of creating twice.
     */
    private IpPool recordCreateIntent(IpPool pool, Context<IpPool> context) {
        IpPool copy = context.getClient().getKubernetesSerialization().clone(pool);
        copy.setStatus(null);
        PoolAnnotations.markCreateIntent(copy, clock.instant());
        // update() sends the resourceVersion we planned from: 409 if anything changed meanwhile.
        return context.getClient().resource(copy).update();
    }

    private void clearCreateIntent(IpPool pool, Context<IpPool> context) {
        context.getClient()
                .resources(IpPool.class)
                .inNamespace(pool.getMetadata().getNamespace())
                .withName(pool.getMetadata().getName())
                .edit(p -> {
                    PoolAnnotations.clearCreateIntent(p);
                    return p;
                });
    }

    /** Records the pool id right after the create, as annotation (survives backup/restore). */
    private void recordPoolId(IpPool pool, String poolId, Context<IpPool> context) {
        context.getClient()
                .resources(IpPool.class)
                .inNamespace(pool.getMetadata().getNamespace())
                .withName(pool.getMetadata().getName())
                .edit(p -> {
                    PoolAnnotations.recordPoolId(p, poolId);
                    return p;
                });
        PoolAnnotations.recordPoolId(pool, poolId);
    }

    @Override
    List<Drift> drift(IpPool pool, DesiredPool desired, AccountState account) {
        if (desired.policy() != ManagementPolicy.MANAGE
                || desired.deleting()
                || desired.recordedPoolId() == null
                || account.lastError().isPresent()) {
            return List.of();
        }
        ObservedPool observed = ObservedMapper.observed(account).pools().get(desired.recordedPoolId());
        return observed == null || observed.inherited() ? List.of() : Drift.ofPool(desired, observed);
    }

    @Override
    void watch(AccountState account, IpPool pool, DesiredPool desired, Plan plan) {
        Set<String> poolIds = new TreeSet<>();
        Set<String> ips = new TreeSet<>(desired.ips());
        String poolId = plan != null && plan.poolId() != null ? plan.poolId() : desired.recordedPoolId();
        if (poolId != null) {
            poolIds.add(poolId);
            // Without a good read there may be no snapshot to look into.
            ObservedPool observed = account.lastError().isPresent()
                    ? null
                    : ObservedMapper.observed(account).pools().get(poolId);
            if (observed != null) {
                ips.addAll(observed.ips());
            }
        }
        if (desired.adoptPoolId() != null) {
            poolIds.add(desired.adoptPoolId());
        }
        account.watch(new Watcher(KIND, desired.key(), poolIds, ips, Set.of(), waiting(plan)));
    }

    @Override
    IpPoolStatus nextStatus(IpPool pool, Outcome outcome, Plan plan, AccountState account) {
        IpPoolStatus old = pool.getStatus();
        String poolId = plan != null && plan.poolId() != null ? plan.poolId() : old != null ? old.poolId() : null;
        List<String> ips = old == null ? null : old.ips();
        List<String> linkedDomains = old == null ? null : old.linkedDomains();
        Boolean inherited = old == null ? null : old.inherited();
        if (poolId != null && account != null && account.lastError().isEmpty()) {
            ObservedPool observed = ObservedMapper.observed(account).pools().get(poolId);
            if (observed != null) {
                ips = List.copyOf(new TreeSet<>(observed.ips()));
                inherited = observed.inherited();
                linkedDomains = observed.linkedDomains() == null
                        ? linkedDomains
                        : List.copyOf(new TreeSet<>(observed.linkedDomains()));
            }
        }
        return new IpPoolStatus(
                poolId,
                generation(pool),
                ips,
                linkedDomains,
                inherited,
                conditionsAfter(pool, outcome),
                null,
                pendingWarmups(plan, old));
    }

    /** The plan's IPs waiting for warm-up; without a plan (account unreadable) the last ones. */
    private static List<PendingWarmupStatus> pendingWarmups(Plan plan, IpPoolStatus old) {
        if (plan == null) {
            return old == null ? null : old.pendingWarmups();
        }
        return plan.warmups().isEmpty()
                ? null
                : plan.warmups().stream().map(IpPoolReconciler::pending).toList();
    }

    private static PendingWarmupStatus pending(PendingWarmup w) {
        ObservedWarmup p = w.progress();
        return new PendingWarmupStatus(
                w.ip(),
                w.phase() == PendingWarmup.Phase.WARMING
                        ? PendingWarmupStatus.WARMING_UP
                        : PendingWarmupStatus.STARTING,
                p == null ? null : p.stage(),
                p == null ? null : p.totalStages(),
                p == null ? null : p.sentWithinStage(),
                text(p == null ? null : p.stageStartedAt()),
                text(p == null ? null : p.planStartedAt()));
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    @Override
    IpPoolStatus statusWith(List<Condition> conditions) {
        return new IpPoolStatus(null, null, null, null, null, conditions);
    }

    @Override
    boolean writesOnDelete(DesiredPool desired) {
        return KindRules.callsMailgunOnDelete(desired);
    }

    @Override
    boolean nothingInMailgun(IpPool pool, DesiredPool desired) {
        // an orphaned pool whose account cannot be used keeps its marker rather than its IpPool
        return KindRules.noPoolWasEverCreated(pool, desired)
                || desired.deletionPolicy() == DesiredPool.DeletionPolicy.ORPHAN;
    }

    @Override
    String cannotCleanUp(String problem) {
        return "Cannot delete the Mailgun pool: " + problem + ". Restore the credentials, or set"
                + " spec.deletionPolicy: Orphan to leave the pool in Mailgun.";
    }

    @Override
    boolean cleanedUp(Run run) {
        return run.instead().isEmpty() && run.plan().state() == Plan.State.DELETED;
    }

    @Override
    void cleanedUp(IpPool pool, DesiredPool desired, AccountState account, Run run) {
        events.normal(
                pool, "Deleted", run.result() == null ? "Nothing to delete in Mailgun" : "Deleted the Mailgun pool");
    }
}
