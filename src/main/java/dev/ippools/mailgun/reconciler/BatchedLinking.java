package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.account.AccountState;
import dev.ippools.mailgun.account.BindingLinks;
import dev.ippools.mailgun.account.BindingLinks.View;
import dev.ippools.mailgun.execute.OwnershipRefusedException;
import dev.ippools.mailgun.execute.PlanExecutor;
import dev.ippools.mailgun.plan.BindingPlanner;
import dev.ippools.mailgun.plan.DesiredBinding;
import dev.ippools.mailgun.plan.DesiredBinding.Target;
import dev.ippools.mailgun.plan.MailgunStep;
import dev.ippools.mailgun.plan.ManagementPolicy;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import dev.ippools.mailgun.plan.Ownership;
import dev.ippools.mailgun.plan.Plan;
import dev.ippools.mailgun.plan.PlanningContext;
import java.util.List;
import java.util.function.Supplier;

/**
 * A live, managed binding to a pool, on Mailgun's current endpoints: its link goes into the
 * account's per-pool batch ({@code PATCH /v3/ip_pools/{id}} with {@code link_domain}) instead of
 * a call of its own, and the binding waits for the batch's answer, which wakes it. Bindings to
 * explicit IPs, under Observe, or being deleted keep the domain-level calls.
 */
final class BatchedLinking {

  private final ReconcileSettings settings;
  private final Supplier<PlanningContext> planning;

  BatchedLinking(ReconcileSettings settings, Supplier<PlanningContext> planning) {
    this.settings = settings;
    this.planning = planning;
  }

  static boolean applies(DesiredBinding desired) {
    return !desired.deleting() && desired.policy() != ManagementPolicy.OBSERVE
        && (desired.target() instanceof Target.PoolRef || desired.target() instanceof Target.PoolId);
  }

  /**
   * @param unsettled the binding is not settled: a pool's domains read up to one relink interval
   *     ago answers it, instead of one up to the resync interval ago
   */
  MailgunReconciler.Run planAndLink(DesiredBinding desired, AccountState account,
      boolean unsettled) {
    BindingLinks links = account.links();
    String poolId = targetPoolId(desired, planning.get());
    View view = links.observe(desired.domain(), poolId,
        unsettled ? settings.relinkPoll() : settings.domainResync());
    MailgunStep.LinkDomainPool link = new MailgunStep.LinkDomainPool(desired.domain(), poolId);
    if (view.standing() == BindingLinks.Standing.QUEUED) {
      return new MailgunReconciler.Run(queued(poolId, desired.domain()), null);
    }
    if (view.standing() == BindingLinks.Standing.ACCEPTED) {
      return new MailgunReconciler.Run(accepted(poolId, desired.domain()), null);
    }
    // Built once the observation is recorded, so the plan sees it.
    PlanningContext ctx = planning.get();
    switch (view.standing()) {
      case FAILED:
        // Reported once; the retry after backoff queues the link again.
        links.forgetFailure(desired.domain());
        throw view.ticket().failure();
      case REJECTED:
        return new MailgunReconciler.Run(BindingPlanner.plan(desired, ctx),
            new PlanExecutor.Result(List.of(), false, null, link, view.ticket().failure()));
      default:
        break;
    }
    Plan plan = BindingPlanner.plan(desired, ctx);
    if (plan.steps().equals(List.of(link)) && view.domainId() != null) {
      // The batch sends it later, for many bindings at once: the ownership check is made here,
      // against what the account shows now, as the executor makes it before each write.
      var refused = Ownership.check(link, List.of(), Ownership.Actor.of(desired),
          account.toObserved(), ctx.pools());
      if (refused.isPresent()) {
        return new MailgunReconciler.Run(plan, new PlanExecutor.Result(List.of(), false, null,
            link, new OwnershipRefusedException(link, refused.get().message())));
      }
      links.link(desired.domain(), view.domainId(), poolId);
      return new MailgunReconciler.Run(queued(poolId, desired.domain()), null);
    }
    if (!plan.steps().isEmpty()) {
      throw new IllegalStateException("unexpected steps for a pool binding: " + plan.steps());
    }
    return new MailgunReconciler.Run(plan, null);
  }

  private static String targetPoolId(DesiredBinding desired, PlanningContext ctx) {
    if (desired.target() instanceof Target.PoolId id) {
      return id.poolId();
    }
    Target.PoolRef ref = (Target.PoolRef) desired.target();
    return ctx.pool(desired.key().namespace(), ref.name())
        .flatMap(ctx::ownedPool).map(ObservedPool::id).orElse(null);
  }

  private static Plan queued(String poolId, String domain) {
    return new Plan(poolId, List.of(), List.of(new Plan.Wait(poolId, "linking domain " + domain
        + " to pool " + poolId + " goes out with the pool's next batched Mailgun call")),
        List.of(), List.of(), false, Plan.State.WAITING);
  }

  private static Plan accepted(String poolId, String domain) {
    return new Plan(poolId, List.of(), List.of(), List.of(), List.of(), true,
        Plan.State.RELINKING, List.of("Mailgun accepted linking domain " + domain + " to pool "
            + poolId + " and is still moving it to the pool's IPs"));
  }
}
