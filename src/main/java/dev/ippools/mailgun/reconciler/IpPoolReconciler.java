package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.account.AccountState;
import dev.ippools.mailgun.account.Credentials;
import dev.ippools.mailgun.account.Watcher;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ConditionTypes;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.SyncedReasons;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.api.v1alpha1.IpPoolStatus;
import dev.ippools.mailgun.client.MailgunApiException;
import dev.ippools.mailgun.client.MailgunException;
import dev.ippools.mailgun.client.MailgunTransportException;
import dev.ippools.mailgun.execute.PlanExecutor;
import dev.ippools.mailgun.mapping.DesiredMapper;
import dev.ippools.mailgun.plan.DesiredPool;
import dev.ippools.mailgun.plan.MailgunStep;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import dev.ippools.mailgun.plan.Plan;
import dev.ippools.mailgun.plan.PlanningContext;
import dev.ippools.mailgun.plan.Plans;
import dev.ippools.mailgun.plan.PoolPlanner;
import dev.ippools.mailgun.plan.ResourceKey;
import dev.ippools.mailgun.status.Conditions;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Makes one Mailgun DIPP match an IpPool: validate, map, observe, plan, execute, status. */
@ControllerConfiguration(name = IpPoolReconciler.NAME, finalizerName = ApiConstants.FINALIZER)
public final class IpPoolReconciler implements Reconciler<IpPool>, Cleaner<IpPool> {

  public static final String NAME = "ippool";
  static final String KIND = "IpPool";
  private static final Logger log = LoggerFactory.getLogger(IpPoolReconciler.class);

  private final AccountScope scope;
  private final SecretLookup secretLookup;
  private final PlanExecutor executor = new PlanExecutor();
  private final ReconcileSettings settings;
  private final StatusWriter statusWriter;
  private final io.fabric8.kubernetes.client.KubernetesClient client;
  private final Conditions conditions;
  private final Clock clock;
  private final EventRecorder events;
  private InformerEventSource<DomainPoolBinding, IpPool> bindings;

  IpPoolReconciler(
      AccountScope scope, SecretLookup secretLookup, ReconcileSettings settings, Clock clock,
      io.fabric8.kubernetes.client.KubernetesClient client,
      EventRecorder events) {
    this.scope = scope;
    this.secretLookup = secretLookup;
    this.settings = settings;
    this.statusWriter = new StatusWriter(settings.serverSideApply());
    this.client = client;
    this.conditions = new Conditions(clock);
    this.clock = clock;
    this.events = events;
  }

  @Override
  public List<EventSource<?, IpPool>> prepareEventSources(EventSourceContext<IpPool> context) {
    bindings =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(DomainPoolBinding.class, IpPool.class)
                .withName("ippool-bindings")
                .withSecondaryToPrimaryMapper(IpPoolReconciler::poolsReferencedBy)
                .build(),
            context);
    WakeUps<IpPool> wakeUps =
        new WakeUps<>(KIND, scope, secretLookup, () -> context.getPrimaryCache().list());
    return List.of(bindings, wakeUps.source());
  }

  private static Set<ResourceID> poolsReferencedBy(DomainPoolBinding b) {
    Set<ResourceID> ids = new HashSet<>();
    String ns = b.getMetadata().getNamespace();
    if (b.getSpec() != null && b.getSpec().poolRef() != null) {
      ids.add(new ResourceID(b.getSpec().poolRef().name(), ns));
    }
    if (b.getSpec() != null && b.getSpec().replacement() != null
        && b.getSpec().replacement().poolRef() != null) {
      ids.add(new ResourceID(b.getSpec().replacement().poolRef().name(), ns));
    }
    return ids;
  }

  @Override
  public UpdateControl<IpPool> reconcile(IpPool pool, Context<IpPool> context) {
    var resolved = scope.credentialsOf(pool);
    if (resolved.value().isEmpty()) {
      return finish(pool, Outcome.accountProblem(resolved.problem()), null, null);
    }
    Credentials credentials = resolved.credentials();
    AccountState account = scope.account(credentials);
    DesiredPool desired = DesiredMapper.pool(pool);
    try {
      Run run = planAndExecute(pool, desired, account, context);
      watch(account, pool, desired, run.plan);
      if (run.result != null && !run.result.succeeded()) {
        return finish(pool, Outcome.rejected(run.result.failedStep(), run.result.failure()),
            run.plan, account);
      }
      return finish(pool, Outcome.of(run.plan, settings), run.plan, account);
    } catch (MailgunApiException e) {
      if (!e.isTransient()) {
        watch(account, pool, desired, null);
        return finish(pool, Outcome.rejected(null, e), null, account);
      }
      throw e;
    }
  }

  /** Observes, plans, runs the plan's writes and plans again on what Mailgun then shows. */
  private Run planAndExecute(
      IpPool pool, DesiredPool desired, AccountState account, Context<IpPool> context) {
    if (!desired.delegatedTo().isEmpty()) {
      account.wantDelegations();
    }
    if (desired.recordedPoolId() == null && DesiredMapper.hasCreateIntent(pool)) {
      // A create may have happened just before a crash: read fresh before deciding to create.
      scope.accounts().refreshAfterWrite(account);
    }
    if (desired.recordedPoolId() != null && wasRelinking(pool)) {
      observeLinkedDomains(account, desired.recordedPoolId());
    }
    Plan plan = PoolPlanner.plan(desired, planningContext(account, context));
    log.debug("{} {} plan {}: {}", KIND, desired.key(), plan.state(), Plans.lines(plan));
    PlanExecutor.Result result = null;
    if (!plan.steps().isEmpty()) {
      IpPool current = plan.steps().stream().anyMatch(s -> s instanceof MailgunStep.CreatePool)
          ? recordCreateIntent(pool, context)
          : pool;
      result = executor.execute(account.client(), plan.steps(),
          id -> recordPoolId(current, id, context));
      if (!result.done().isEmpty()) {
        scope.accounts().refreshAfterWrite(account, clock.instant());
        String poolId = result.createdPoolId() != null ? result.createdPoolId() : plan.poolId();
        if (result.started() && poolId != null && !desired.deleting()) {
          observeLinkedDomains(account, poolId);
        }
        desired = desired.withRecordedPoolId(poolId);
        plan = PoolPlanner.plan(desired, planningContext(account, context));
      }
      if (!result.succeeded()) {
        MailgunException failure = result.failure();
        if (result.failedStep() instanceof MailgunStep.CreatePool
            && failure instanceof MailgunTransportException t && t.requestMayHaveBeenSent()) {
          throw new CreateIncompleteException(failure);
        }
        if (failure.isTransient()) {
          throw failure;
        }
        log.info("{} {}: Mailgun rejected {}: {}", KIND, DesiredMapper.key(pool),
            result.failedStep().describe(), failure.getMessage());
      }
    }
    if (plan.poolId() != null && !desired.deleting()
        && !plan.poolId().equals(annotation(pool, ApiConstants.POOL_ID_ANNOTATION))) {
      recordPoolId(pool, plan.poolId(), context);
    }
    return new Run(plan, result);
  }

  private PlanningContext planningContext(AccountState account, Context<IpPool> context) {
    return scope.planningContext(account.key(), account.toObserved(),
        context.getPrimaryCache().list(), bindingList());
  }

  private Stream<DomainPoolBinding> bindingList() {
    return bindings == null ? Stream.empty() : bindings.list(b -> true);
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
    return pool.getStatus() != null
        && Conditions.isTrue(pool.getStatus().conditions(), ConditionTypes.RELINKING);
  }

  /**
   * Writes the create intent with optimistic locking before the POST: a concurrent change fails
   * the update (409) and the reconcile starts over instead of creating twice.
   */
  private IpPool recordCreateIntent(IpPool pool, Context<IpPool> context) {
    IpPool copy = context.getClient().getKubernetesSerialization().clone(pool);
    copy.setStatus(null);
    Map<String, String> annotations = new java.util.HashMap<>();
    if (copy.getMetadata().getAnnotations() != null) {
      annotations.putAll(copy.getMetadata().getAnnotations());
    }
    annotations.put(ApiConstants.CREATE_INTENT_ANNOTATION, clock.instant().toString());
    copy.getMetadata().setAnnotations(annotations);
    // update() sends the resourceVersion we planned from: 409 if anything changed meanwhile.
    return context.getClient().resource(copy).update();
  }

  /** Records the pool id right after the create, as annotation (survives backup/restore). */
  private void recordPoolId(IpPool pool, String poolId, Context<IpPool> context) {
    context.getClient().resources(IpPool.class)
        .inNamespace(pool.getMetadata().getNamespace())
        .withName(pool.getMetadata().getName())
        .edit(p -> {
          Map<String, String> a = new java.util.HashMap<>();
          if (p.getMetadata().getAnnotations() != null) {
            a.putAll(p.getMetadata().getAnnotations());
          }
          a.put(ApiConstants.POOL_ID_ANNOTATION, poolId);
          a.remove(ApiConstants.CREATE_INTENT_ANNOTATION);
          p.getMetadata().setAnnotations(a);
          return p;
        });
    Map<String, String> annotations = new java.util.HashMap<>();
    if (pool.getMetadata().getAnnotations() != null) {
      annotations.putAll(pool.getMetadata().getAnnotations());
    }
    annotations.put(ApiConstants.POOL_ID_ANNOTATION, poolId);
    annotations.remove(ApiConstants.CREATE_INTENT_ANNOTATION);
    pool.getMetadata().setAnnotations(annotations);
  }

  private void watch(AccountState account, IpPool pool, DesiredPool desired, Plan plan) {
    Set<String> poolIds = new TreeSet<>();
    Set<String> ips = new TreeSet<>(desired.ips());
    String poolId = plan != null && plan.poolId() != null ? plan.poolId() : desired.recordedPoolId();
    if (poolId != null) {
      poolIds.add(poolId);
      ObservedPool observed = account.toObserved().pools().get(poolId);
      if (observed != null) {
        ips.addAll(observed.ips());
      }
    }
    if (desired.adoptPoolId() != null) {
      poolIds.add(desired.adoptPoolId());
    }
    boolean waiting = plan == null || plan.state() != Plan.State.AVAILABLE
        && plan.state() != Plan.State.OBSERVED;
    account.watch(new Watcher(KIND, desired.key(), poolIds, ips, Set.of(), waiting));
  }

  private UpdateControl<IpPool> finish(
      IpPool pool, Outcome outcome, Plan plan, AccountState account) {
    IpPoolStatus next = nextStatus(pool, outcome, plan, account);
    UpdateControl<IpPool> control;
    if (Conditions.sameIgnoringTimestamps(pool.getStatus(), next)) {
      control = UpdateControl.noUpdate();
    } else {
      events.readyTransition(pool,
          pool.getStatus() == null ? null : pool.getStatus().conditions(), next.conditions());
      log.debug("{} {} status {} -> {}", KIND, DesiredMapper.key(pool), pool.getStatus(), next);
      control = statusWriter.update(client, pool, withStatus(pool, next), r -> {
        r.setStatus(next);
        return r;
      });
    }
    return outcome.requeue().map(control::rescheduleAfter).orElse(control);
  }

  private IpPoolStatus nextStatus(IpPool pool, Outcome outcome, Plan plan, AccountState account) {
    IpPoolStatus old = pool.getStatus();
    long generation = Optional.ofNullable(pool.getMetadata().getGeneration()).orElse(0L);
    String poolId = plan != null && plan.poolId() != null ? plan.poolId()
        : old != null ? old.poolId() : null;
    List<String> ips = old == null ? null : old.ips();
    List<String> linkedDomains = old == null ? null : old.linkedDomains();
    Boolean inherited = old == null ? null : old.inherited();
    if (poolId != null && account != null && account.lastError().isEmpty()) {
      ObservedPool observed = account.toObserved().pools().get(poolId);
      if (observed != null) {
        ips = List.copyOf(new TreeSet<>(observed.ips()));
        inherited = observed.inherited();
        linkedDomains = observed.linkedDomains() == null ? linkedDomains
            : List.copyOf(new TreeSet<>(observed.linkedDomains()));
      }
    }
    List<io.fabric8.kubernetes.api.model.Condition> conds =
        outcome.apply(conditions, old == null ? null : old.conditions(), generation);
    return new IpPoolStatus(poolId, generation, ips, linkedDomains, inherited, conds);
  }

  private static IpPool withStatus(IpPool pool, IpPoolStatus status) {
    IpPool fresh = new IpPool();
    fresh.getMetadata().setName(pool.getMetadata().getName());
    fresh.getMetadata().setNamespace(pool.getMetadata().getNamespace());
    fresh.setStatus(status);
    return fresh;
  }

  @Override
  public ErrorStatusUpdateControl<IpPool> updateErrorStatus(
      IpPool pool, Context<IpPool> context, Exception e) {
    long generation = Optional.ofNullable(pool.getMetadata().getGeneration()).orElse(0L);
    IpPoolStatus old = pool.getStatus();
    String reason = e instanceof CreateIncompleteException
        ? SyncedReasons.CREATE_INCOMPLETE : SyncedReasons.RECONCILE_ERROR;
    String message = ErrorMessages.of(e);
    var conds = conditions.update(old == null ? null : old.conditions(), generation)
        .set(ConditionTypes.SYNCED, Conditions.FALSE, reason, message).conditions();
    IpPoolStatus next = old == null
        ? new IpPoolStatus(null, null, null, null, null, conds)
        : old.withConditions(conds);
    if (Conditions.sameIgnoringTimestamps(old, next)) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    return statusWriter.updateOnError(context.getClient(), pool, withStatus(pool, next), r -> {
      r.setStatus(next);
      return r;
    });
  }

  @Override
  public DeleteControl cleanup(IpPool pool, Context<IpPool> context) {
    DesiredPool desired = DesiredMapper.pool(pool);
    ResourceKey key = desired.key();
    boolean writes = desired.deletionPolicy() == DesiredPool.DeletionPolicy.DELETE
        && desired.policy() == dev.ippools.mailgun.plan.ManagementPolicy.MANAGE;
    var resolved = scope.credentialsOf(pool);
    if (!writes) {
      resolved.value().ifPresent(c -> scope.account(c).unwatch(KIND, key));
      scope.forget(pool);
      return DeleteControl.defaultDelete();
    }
    if (resolved.value().isEmpty()) {
      patchStatus(pool, context, Outcome.accountProblem("Cannot delete the Mailgun pool: "
          + resolved.problem() + ". Restore the credentials, or set spec.deletionPolicy: Orphan"
          + " to leave the pool in Mailgun."), null, null);
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(settings.waitRecheck());
    }
    AccountState account = scope.account(resolved.credentials());
    try {
      Run run = planAndExecute(pool, desired, account, context);
      if (run.plan.state() == Plan.State.DELETED) {
        account.unwatch(KIND, key);
        scope.forget(pool);
        events.normal(pool, "Deleted", run.result == null
            ? "Nothing to delete in Mailgun" : "Deleted the Mailgun pool");
        return DeleteControl.defaultDelete();
      }
      watch(account, pool, desired, run.plan);
      Outcome outcome = run.result != null && !run.result.succeeded()
          ? Outcome.rejected(run.result.failedStep(), run.result.failure())
          : Outcome.of(run.plan, settings);
      patchStatus(pool, context, outcome, run.plan, account);
      return DeleteControl.noFinalizerRemoval()
          .rescheduleAfter(outcome.requeue().orElse(settings.waitRecheck()));
    } catch (MailgunApiException e) {
      if (e.isTransient()) {
        throw e;
      }
      patchStatus(pool, context, Outcome.rejected(null, e), null, account);
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(settings.waitRecheck());
    }
  }

  // Cleanup cannot return a status, so it patches one itself (only when it changed).
  private void patchStatus(IpPool pool, Context<IpPool> context, Outcome outcome, Plan plan,
      AccountState account) {
    IpPoolStatus next = nextStatus(pool, outcome, plan, account);
    if (Conditions.sameIgnoringTimestamps(pool.getStatus(), next)) {
      return;
    }
    events.readyTransition(pool,
          pool.getStatus() == null ? null : pool.getStatus().conditions(), next.conditions());
    context.getClient().resources(IpPool.class)
        .inNamespace(pool.getMetadata().getNamespace())
        .withName(pool.getMetadata().getName())
        .editStatus(p -> {
          p.setStatus(next);
          return p;
        });
  }

  private static String annotation(IpPool pool, String key) {
    Map<String, String> a = pool.getMetadata().getAnnotations();
    return a == null ? null : a.get(key);
  }

  private record Run(Plan plan, PlanExecutor.Result result) {}

}
