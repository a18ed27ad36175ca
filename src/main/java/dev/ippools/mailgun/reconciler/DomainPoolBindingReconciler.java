package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.account.AccountState;
import dev.ippools.mailgun.account.DomainObservation;
import dev.ippools.mailgun.account.Watcher;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ConditionTypes;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBindingStatus;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.execute.PlanExecutor;
import dev.ippools.mailgun.mapping.DesiredMapper;
import dev.ippools.mailgun.mapping.KindRules;
import dev.ippools.mailgun.mapping.ObservedMapper;
import dev.ippools.mailgun.plan.BindingPlanner;
import dev.ippools.mailgun.plan.DesiredBinding;
import dev.ippools.mailgun.plan.Drift;
import dev.ippools.mailgun.plan.LinkPlanner;
import dev.ippools.mailgun.plan.MailgunStep;
import dev.ippools.mailgun.plan.ManagementPolicy;
import dev.ippools.mailgun.plan.Ownership;
import dev.ippools.mailgun.plan.Plan;
import dev.ippools.mailgun.plan.PlanningContext;
import dev.ippools.mailgun.plan.Plans;
import dev.ippools.mailgun.plan.ResourceKey;
import dev.ippools.mailgun.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Makes one sending domain use the pool or IPs a DomainPoolBinding names. */
@ControllerConfiguration(name = DomainPoolBindingReconciler.NAME, finalizerName = ApiConstants.FINALIZER)
public final class DomainPoolBindingReconciler
        extends MailgunReconciler<DomainPoolBinding, DomainPoolBindingStatus, DesiredBinding> {

    public static final String NAME = "domainpoolbinding";
    static final String KIND = "DomainPoolBinding";
    private static final Logger log = LoggerFactory.getLogger(DomainPoolBindingReconciler.class);

    // The IpPool controller's informer cache, read instead of a second informer of IpPools.
    private volatile Supplier<ChangeTrackingCache<IpPool>> pools = () -> null;

    DomainPoolBindingReconciler(Dependencies deps) {
        super(KIND, DomainPoolBinding::new, deps);
    }

    @Override
    EventSource<?, DomainPoolBinding> siblings(EventSourceContext<DomainPoolBinding> context) {
        context.getPrimaryCache().addIndexers(Map.of(POOL_REF_INDEX, DomainPoolBindingReconciler::poolRefsOf));
        return new SiblingWakeUps<IpPool, DomainPoolBinding>(
                "binding-pools",
                () -> pools.get(),
                DesiredCache::planView,
                (id, view) -> bindingsUsing(id, context),
                syncTimeout(context));
    }

    /** Plans and wake-ups read IpPools from the IpPool controller's informer. */
    void readPoolsFrom(IpPoolReconciler controller) {
        pools = controller::cache;
    }

    private static final String POOL_REF_INDEX = "mailgun.ippools.dev/pool-refs";

    /** The bindings naming the IpPool by poolRef or replacement poolRef: looked up, not scanned. */
    private static Set<ResourceID> bindingsUsing(ResourceID pool, EventSourceContext<DomainPoolBinding> context) {
        String key = pool.getNamespace().orElse(null) + "/" + pool.getName();
        return context.getPrimaryCache().byIndex(POOL_REF_INDEX, key).stream()
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    }

    private static List<String> poolRefsOf(DomainPoolBinding b) {
        if (b.getSpec() == null) {
            return List.of();
        }
        String ns = b.getMetadata().getNamespace() + "/";
        Set<String> refs = new TreeSet<>();
        if (b.getSpec().poolRef() != null && b.getSpec().poolRef().name() != null) {
            refs.add(ns + b.getSpec().poolRef().name());
        }
        if (b.getSpec().replacement() != null
                && b.getSpec().replacement().poolRef() != null
                && b.getSpec().replacement().poolRef().name() != null) {
            refs.add(ns + b.getSpec().replacement().poolRef().name());
        }
        return List.copyOf(refs);
    }

    @Override
    DesiredBinding map(DomainPoolBinding binding) {
        return DesiredMapper.binding(binding);
    }

    @Override
    Run planAndExecute(
            DomainPoolBinding binding,
            DesiredBinding desired,
            AccountState account,
            Context<DomainPoolBinding> context) {
        Supplier<PlanningContext> planning = () -> planningContext(account);
        if (LinkPlanner.batches(desired, ObservedMapper.observed(account), planning)) {
            return new BatchedLinking(settings, planning, executor, key -> pausedOrGone(key, context))
                    .planAndLink(desired, account, needsFreshDomain(binding, account, desired.domain()));
        }
        if (needsFreshDomain(binding, account, desired.domain())) {
            account.observeDomain(desired.domain());
        }
        PlanningContext ctx = planningContext(account);
        Plan plan = BindingPlanner.plan(desired, ctx);
        if (log.isDebugEnabled()) { // the plan's lines are made only for the log
            log.debug(
                    "{} {} plan {}: {} (domain {}, {} pools, {} bindings)",
                    KIND,
                    desired.key(),
                    plan.state(),
                    Plans.lines(plan),
                    ctx.account().domains().get(desired.domain()),
                    ctx.pools().size(),
                    ctx.bindings().size());
        }
        PlanExecutor.Result result = null;
        if (!plan.steps().isEmpty()) {
            beforeMailgunWrites();
            result = executor.execute(
                    account.client(),
                    plan.steps(),
                    Ownership.guard(Ownership.Actor.of(desired), () -> ObservedMapper.observed(account), ctx.pools()),
                    id -> {});
            boolean rejected = !result.succeeded() && !result.failure().isTransient();
            if (!result.done().isEmpty() || rejected) {
                // Domain writes leave the pool list alone: re-read just the domain; the poll brings the
                // pools' link flags.
                String linked = !result.done().isEmpty()
                                && result.done().get(result.done().size() - 1) instanceof MailgunStep.LinkDomainPool l
                        ? l.poolId()
                        : null;
                account.observeDomain(desired.domain(), linked);
                plan = BindingPlanner.plan(desired, planningContext(account));
            }
            if (!result.succeeded() && result.failure().isTransient()) {
                throw result.failure();
            }
        }
        return new Run(plan, result);
    }

    private static boolean pausedOrGone(ResourceKey key, Context<DomainPoolBinding> context) {
        return context.getPrimaryCache()
                .get(new ResourceID(key.name(), key.namespace()))
                .map(ResourceStatus::paused)
                .orElse(true);
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
        if (status == null
                || !Objects.equals(
                        status.observedGeneration(), binding.getMetadata().getGeneration())) {
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

    /**
     * The domain's link as Mailgun shows it now (a domain read of the last relink interval, else the
     * pools' domain lists, else the last domain read) against the pool it was linked to when last
     * Ready.
     */
    @Override
    List<Drift> drift(DomainPoolBinding binding, DesiredBinding desired, AccountState account) {
        String settled = binding.getStatus().linkedPoolId();
        if (desired.policy() != ManagementPolicy.MANAGE
                || desired.deleting()
                || settled == null
                || account.lastError().isPresent()) {
            return List.of();
        }
        var pools = ObservedMapper.observed(account).pools();
        var settledPool = pools.get(settled);
        Optional<DomainObservation> read =
                account.cachedDomain(desired.domain()).filter(DomainObservation::exists);
        String now;
        if (read.isPresent() && account.isCurrent(read.get(), settings.relinkPoll())) {
            // read just now (a reconcile request reads the domain): newer than the pools' lists
            now = read.get().linkedPoolId() == null ? "no pool" : read.get().linkedPoolId();
        } else if (settledPool != null && settledPool.linkedDomains() != null) {
            if (settledPool.linkedDomains().contains(desired.domain())) {
                return List.of();
            }
            now = pools.values().stream()
                    .filter(p -> p.linkedDomains() != null && p.linkedDomains().contains(desired.domain()))
                    .map(p -> p.id())
                    .findFirst()
                    .orElse("no pool");
        } else {
            now = read.map(d -> d.linkedPoolId() == null ? "no pool" : d.linkedPoolId())
                    .orElse(settled);
        }
        return now.equals(settled) ? List.of() : List.of(new Drift("linkedPoolId", now, settled));
    }

    @Override
    void refreshRequested(DomainPoolBinding binding, DesiredBinding desired, AccountState account) {
        account.observeDomain(desired.domain());
    }

    private PlanningContext planningContext(AccountState account) {
        return siblings.planningContext(account.key(), ObservedMapper.observed(account), pools.get(), cache());
    }

    @Override
    void watch(AccountState account, DomainPoolBinding binding, DesiredBinding desired, Plan plan) {
        Set<String> poolIds = new TreeSet<>();
        if (plan != null && plan.poolId() != null) {
            poolIds.add(plan.poolId());
        }
        account.cachedDomain(desired.domain())
                .map(DomainObservation::linkedPoolId)
                .ifPresent(poolIds::add);
        Set<String> ips = desired.target() instanceof DesiredBinding.Target.Ips t ? new TreeSet<>(t.ips()) : Set.of();
        // A link in a batch is woken by the batch's answer and by its pool; a binding whose IpPool
        // has no Mailgun pool yet by that IpPool's informer events. Neither by every change.
        boolean inBatch = account.links().inBatch(desired.domain())
                && LinkPlanner.batches(desired, ObservedMapper.observed(account), () -> planningContext(account));
        account.watch(new Watcher(
                KIND,
                desired.key(),
                poolIds,
                ips,
                Set.of(desired.domain()),
                waiting(plan) && !inBatch && !waitsOnlyForItsIpPool(desired, plan)));
    }

    private static boolean waitsOnlyForItsIpPool(DesiredBinding desired, Plan plan) {
        if (plan == null
                || plan.state() != Plan.State.WAITING
                || plan.waits().isEmpty()
                || !(desired.target() instanceof DesiredBinding.Target.PoolRef ref)) {
            return false;
        }
        String pool = desired.key().namespace() + "/" + ref.name();
        return plan.waits().stream().allMatch(w -> pool.equals(w.on()));
    }

    @Override
    DomainPoolBindingStatus nextStatus(DomainPoolBinding binding, Outcome outcome, Plan plan, AccountState account) {
        DomainPoolBindingStatus old = binding.getStatus();
        String linkedPoolId = old == null ? null : old.linkedPoolId();
        List<String> ips = old == null ? null : old.ips();
        if (account != null && binding.getSpec() != null) {
            Optional<DomainObservation> seen =
                    account.cachedDomain(binding.getSpec().domain());
            if (seen.isPresent() && seen.get().exists()) {
                linkedPoolId = seen.get().linkedPoolId();
                ips = seen.get().ips() == null ? null : List.copyOf(seen.get().ips());
            }
        }
        return new DomainPoolBindingStatus(linkedPoolId, ips, generation(binding), conditionsAfter(binding, outcome));
    }

    @Override
    DomainPoolBindingStatus statusWith(List<Condition> conditions) {
        return new DomainPoolBindingStatus(null, null, null, conditions);
    }

    @Override
    boolean writesOnDelete(DesiredBinding desired) {
        return KindRules.writesOnDelete(desired);
    }

    @Override
    String cannotCleanUp(String problem) {
        return "Cannot unlink the domain: " + problem + ". Restore the credentials, or set spec.onDelete: Orphan.";
    }

    @Override
    boolean cleanedUp(Run run) {
        // After "all" Mailgun shows nothing that says it ran; a clean run is the proof.
        return run.plan().state() == Plan.State.DELETED
                || run.result() != null
                        && run.result().succeeded()
                        && run.result().done().stream().anyMatch(s -> s instanceof MailgunStep.RemoveDomainPool);
    }

    @Override
    void cleanedUp(DomainPoolBinding binding, DesiredBinding desired, AccountState account, Run run) {
        account.forgetDomain(desired.domain());
    }
}
