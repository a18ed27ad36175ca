package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.account.AccountState.DomainObservation;
import dev.ippools.mailgun.account.AccountState;
import dev.ippools.mailgun.account.Watcher;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ConditionTypes;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.SyncedReasons;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBindingStatus;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.client.MailgunApiException;
import dev.ippools.mailgun.execute.PlanExecutor;
import dev.ippools.mailgun.mapping.DesiredMapper;
import dev.ippools.mailgun.plan.BindingPlanner;
import dev.ippools.mailgun.plan.DesiredBinding;
import dev.ippools.mailgun.plan.MailgunStep;
import dev.ippools.mailgun.plan.ManagementPolicy;
import dev.ippools.mailgun.plan.Plan;
import dev.ippools.mailgun.plan.PlanningContext;
import dev.ippools.mailgun.plan.Plans;
import dev.ippools.mailgun.plan.ResourceKey;
import dev.ippools.mailgun.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
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
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Makes one sending domain use the pool or IPs a DomainPoolBinding names. */
@ControllerConfiguration(
    name = DomainPoolBindingReconciler.NAME,
    finalizerName = ApiConstants.FINALIZER)
public final class DomainPoolBindingReconciler
    implements Reconciler<DomainPoolBinding>, Cleaner<DomainPoolBinding> {

  public static final String NAME = "domainpoolbinding";
  static final String KIND = "DomainPoolBinding";
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(DomainPoolBindingReconciler.class);

  private final AccountScope scope;
  private final SecretLookup secretLookup;
  private final PlanExecutor executor = new PlanExecutor();
  private final ReconcileSettings settings;
  private final StatusWriter statusWriter;
  private final io.fabric8.kubernetes.client.KubernetesClient client;
  private final Conditions conditions;
  private final EventRecorder events;
  private InformerEventSource<IpPool, DomainPoolBinding> pools;

  DomainPoolBindingReconciler(
      AccountScope scope, SecretLookup secretLookup, ReconcileSettings settings, Clock clock,
      io.fabric8.kubernetes.client.KubernetesClient client,
      EventRecorder events) {
    this.scope = scope;
    this.secretLookup = secretLookup;
    this.settings = settings;
    this.statusWriter = new StatusWriter(settings.serverSideApply());
    this.client = client;
    this.conditions = new Conditions(clock);
    this.events = events;
  }

  @Override
  public List<EventSource<?, DomainPoolBinding>> prepareEventSources(
      EventSourceContext<DomainPoolBinding> context) {
    pools =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(IpPool.class, DomainPoolBinding.class)
                .withName("binding-pools")
                .withSecondaryToPrimaryMapper(p -> bindingsUsing(p, context))
                .build(),
            context);
    WakeUps<DomainPoolBinding> wakeUps =
        new WakeUps<>(KIND, scope, secretLookup, () -> context.getPrimaryCache().list());
    return List.of(pools, wakeUps.source());
  }

  private static Set<ResourceID> bindingsUsing(
      IpPool pool, EventSourceContext<DomainPoolBinding> context) {
    String ns = pool.getMetadata().getNamespace();
    String name = pool.getMetadata().getName();
    return context.getPrimaryCache().list(ns)
        .filter(b -> b.getSpec() != null
            && (b.getSpec().poolRef() != null && name.equals(b.getSpec().poolRef().name())
                || b.getSpec().replacement() != null && b.getSpec().replacement().poolRef() != null
                    && name.equals(b.getSpec().replacement().poolRef().name())))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  @Override
  public UpdateControl<DomainPoolBinding> reconcile(
      DomainPoolBinding binding, Context<DomainPoolBinding> context) {
    var resolved = scope.credentialsOf(binding);
    if (resolved.value().isEmpty()) {
      return finish(binding, Outcome.accountProblem(resolved.problem()), null);
    }
    AccountState account = scope.account(resolved.credentials());
    DesiredBinding desired = DesiredMapper.binding(binding);
    try {
      Run run = planAndExecute(desired, account, context);
      watch(account, desired, run.plan);
      Outcome outcome = run.result != null && !run.result.succeeded()
          ? Outcome.rejected(run.result.failedStep(), run.result.failure())
          : Outcome.of(run.plan, settings);
      return finish(binding, outcome, account);
    } catch (MailgunApiException e) {
      if (e.isTransient()) {
        throw e;
      }
      watch(account, desired, null);
      return finish(binding, Outcome.rejected(null, e), account);
    }
  }

  private Run planAndExecute(DesiredBinding desired, AccountState account,
      Context<DomainPoolBinding> context) {
    DomainPoolBinding binding = context.getPrimaryResource();
    if (needsFreshDomain(binding, account, desired.domain())) {
      account.observeDomain(desired.domain());
    }
    PlanningContext planning = planningContext(account, context);
    Plan plan = BindingPlanner.plan(desired, planning);
    log.debug("{} {} plan {}: {} (domain {}, {} pools, {} bindings)", KIND, desired.key(),
        plan.state(), Plans.lines(plan), planning.account().domains().get(desired.domain()),
        planning.pools().size(), planning.bindings().size());
    PlanExecutor.Result result = null;
    if (!plan.steps().isEmpty()) {
      result = executor.execute(account.client(), plan.steps(), id -> { });
      if (!result.done().isEmpty()) {
        // Domain writes leave the pool list alone: re-read just the domain; the poll brings the
        // pools' link flags.
        String linked = result.done().get(result.done().size() - 1)
            instanceof MailgunStep.LinkDomainPool l ? l.poolId() : null;
        account.observeDomain(desired.domain(), linked);
        plan = BindingPlanner.plan(desired, planningContext(account, context));
      }
      if (!result.succeeded() && result.failure().isTransient()) {
        throw result.failure();
      }
    }
    return new Run(plan, result);
  }

  /**
   * Domain reads are the expensive part of a binding: they happen on a spec change, while the
   * binding is not settled, when the pool it is linked to changed, or after the resync interval.
   */
  private boolean needsFreshDomain(DomainPoolBinding binding, AccountState account, String domain) {
    Optional<DomainObservation> cached = account.cachedDomain(domain);
    if (cached.isEmpty() || !account.isCurrent(cached.get(), settings.domainResync())) {
      return true;
    }
    DomainPoolBindingStatus status = binding.getStatus();
    if (status == null || !Objects.equals(status.observedGeneration(),
        binding.getMetadata().getGeneration())) {
      return true;
    }
    if (Conditions.isTrue(status.conditions(), ConditionTypes.RELINKING)) {
      return true;
    }
    // Not settled (waiting for its pool, say): wake-ups can come on every account change, but
    // the domain itself is read at most once per relink interval meanwhile.
    return !Conditions.isTrue(status.conditions(), ConditionTypes.READY)
        && !account.isCurrent(cached.get(), settings.relinkPoll());
  }

  private PlanningContext planningContext(AccountState account,
      Context<DomainPoolBinding> context) {
    Stream<IpPool> poolList = pools == null ? Stream.empty() : pools.list(p -> true);
    return scope.planningContext(account.key(), account.toObserved(), poolList,
        context.getPrimaryCache().list());
  }

  private void watch(AccountState account, DesiredBinding desired, Plan plan) {
    Set<String> poolIds = new TreeSet<>();
    if (plan != null && plan.poolId() != null) {
      poolIds.add(plan.poolId());
    }
    account.cachedDomain(desired.domain()).map(DomainObservation::linkedPoolId)
        .ifPresent(poolIds::add);
    Set<String> ips = desired.target() instanceof DesiredBinding.Target.Ips t
        ? new TreeSet<>(t.ips()) : Set.of();
    boolean waiting = plan == null || plan.state() != Plan.State.AVAILABLE
        && plan.state() != Plan.State.OBSERVED;
    account.watch(new Watcher(KIND, desired.key(), poolIds, ips, Set.of(desired.domain()),
        waiting));
  }

  private UpdateControl<DomainPoolBinding> finish(
      DomainPoolBinding binding, Outcome outcome, AccountState account) {
    DomainPoolBindingStatus next = nextStatus(binding, outcome, account);
    UpdateControl<DomainPoolBinding> control;
    if (Conditions.sameIgnoringTimestamps(binding.getStatus(), next)) {
      control = UpdateControl.noUpdate();
    } else {
      events.readyTransition(binding,
          binding.getStatus() == null ? null : binding.getStatus().conditions(), next.conditions());
      log.debug("{} {} status {} -> {}", KIND, DesiredMapper.key(binding), binding.getStatus(),
          next);
      control = statusWriter.update(client, binding, withStatus(binding, next), r -> {
        r.setStatus(next);
        return r;
      });
    }
    return outcome.requeue().map(control::rescheduleAfter).orElse(control);
  }

  private DomainPoolBindingStatus nextStatus(
      DomainPoolBinding binding, Outcome outcome, AccountState account) {
    DomainPoolBindingStatus old = binding.getStatus();
    long generation = Optional.ofNullable(binding.getMetadata().getGeneration()).orElse(0L);
    String linkedPoolId = old == null ? null : old.linkedPoolId();
    List<String> ips = old == null ? null : old.ips();
    if (account != null && binding.getSpec() != null) {
      Optional<DomainObservation> seen = account.cachedDomain(binding.getSpec().domain());
      if (seen.isPresent() && seen.get().exists()) {
        linkedPoolId = seen.get().linkedPoolId();
        ips = List.copyOf(seen.get().ips());
      }
    }
    List<Condition> conds =
        outcome.apply(conditions, old == null ? null : old.conditions(), generation);
    return new DomainPoolBindingStatus(linkedPoolId, ips, generation, conds);
  }

  private static DomainPoolBinding withStatus(DomainPoolBinding binding,
      DomainPoolBindingStatus status) {
    DomainPoolBinding fresh = new DomainPoolBinding();
    fresh.getMetadata().setName(binding.getMetadata().getName());
    fresh.getMetadata().setNamespace(binding.getMetadata().getNamespace());
    fresh.setStatus(status);
    return fresh;
  }

  @Override
  public ErrorStatusUpdateControl<DomainPoolBinding> updateErrorStatus(
      DomainPoolBinding binding, Context<DomainPoolBinding> context, Exception e) {
    long generation = Optional.ofNullable(binding.getMetadata().getGeneration()).orElse(0L);
    DomainPoolBindingStatus old = binding.getStatus();
    var conds = conditions.update(old == null ? null : old.conditions(), generation)
        .set(ConditionTypes.SYNCED, Conditions.FALSE, SyncedReasons.RECONCILE_ERROR,
            ErrorMessages.of(e))
        .conditions();
    DomainPoolBindingStatus next = old == null
        ? new DomainPoolBindingStatus(null, null, null, conds)
        : old.withConditions(conds);
    if (Conditions.sameIgnoringTimestamps(old, next)) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    return statusWriter.updateOnError(context.getClient(), binding, withStatus(binding, next), r -> {
      r.setStatus(next);
      return r;
    });
  }

  @Override
  public DeleteControl cleanup(DomainPoolBinding binding, Context<DomainPoolBinding> context) {
    DesiredBinding desired = DesiredMapper.binding(binding);
    ResourceKey key = desired.key();
    var resolved = scope.credentialsOf(binding);
    boolean writes = desired.onDelete() != DesiredBinding.OnDelete.ORPHAN
        && desired.policy() == ManagementPolicy.MANAGE;
    if (!writes) {
      resolved.value().ifPresent(c -> scope.account(c).unwatch(KIND, key));
      scope.forget(binding);
      return DeleteControl.defaultDelete();
    }
    if (resolved.value().isEmpty()) {
      patchStatus(binding, context, Outcome.accountProblem("Cannot unlink the domain: "
          + resolved.problem() + ". Restore the credentials, or set spec.onDelete: Orphan."),
          null);
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(settings.waitRecheck());
    }
    AccountState account = scope.account(resolved.credentials());
    try {
      Run run = planAndExecute(desired, account, context);
      // After "all" Mailgun shows nothing that says it ran; a clean run is the proof.
      boolean removedAll = run.result != null && run.result.succeeded()
          && run.result.done().stream().anyMatch(s -> s instanceof MailgunStep.RemoveDomainPool);
      if (removedAll || run.plan.state() == Plan.State.DELETED) {
        account.unwatch(KIND, key);
        account.forgetDomain(desired.domain());
        scope.forget(binding);
        return DeleteControl.defaultDelete();
      }
      watch(account, desired, run.plan);
      Outcome outcome = run.result != null && !run.result.succeeded()
          ? Outcome.rejected(run.result.failedStep(), run.result.failure())
          : Outcome.of(run.plan, settings);
      patchStatus(binding, context, outcome, account);
      return DeleteControl.noFinalizerRemoval()
          .rescheduleAfter(outcome.requeue().orElse(settings.waitRecheck()));
    } catch (MailgunApiException e) {
      if (e.isTransient()) {
        throw e;
      }
      patchStatus(binding, context, Outcome.rejected(null, e), account);
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(settings.waitRecheck());
    }
  }

  private void patchStatus(DomainPoolBinding binding, Context<DomainPoolBinding> context,
      Outcome outcome, AccountState account) {
    DomainPoolBindingStatus next = nextStatus(binding, outcome, account);
    if (Conditions.sameIgnoringTimestamps(binding.getStatus(), next)) {
      return;
    }
    events.readyTransition(binding,
          binding.getStatus() == null ? null : binding.getStatus().conditions(), next.conditions());
    context.getClient().resources(DomainPoolBinding.class)
        .inNamespace(binding.getMetadata().getNamespace())
        .withName(binding.getMetadata().getName())
        .editStatus(b -> {
          b.setStatus(next);
          return b;
        });
  }

  private record Run(Plan plan, PlanExecutor.Result result) {}
}
