package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.account.AccountState;
import dev.ippools.mailgun.account.BindingLinks;
import dev.ippools.mailgun.account.BindingLinks.View;
import dev.ippools.mailgun.client.MailgunException;
import dev.ippools.mailgun.execute.OwnershipRefusedException;
import dev.ippools.mailgun.execute.PlanExecutor;
import dev.ippools.mailgun.plan.BindingPlanner;
import dev.ippools.mailgun.plan.DesiredBinding;
import dev.ippools.mailgun.plan.DesiredBinding.OnDelete;
import dev.ippools.mailgun.plan.DesiredBinding.Target;
import dev.ippools.mailgun.plan.MailgunStep;
import dev.ippools.mailgun.plan.ManagementPolicy;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import dev.ippools.mailgun.plan.ObservedAccount;
import dev.ippools.mailgun.plan.Ownership;
import dev.ippools.mailgun.plan.Plan;
import dev.ippools.mailgun.plan.PlanningContext;
import dev.ippools.mailgun.plan.Replacement;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * A binding to a pool, on Mailgun's current endpoints: whether the domain is linked is read from
 * the pool's domain list, and a link goes into the account's per-pool batch ({@code PATCH
 * /v3/ip_pools/{id}} with {@code link_domain}) instead of a call of its own; the binding waits for
 * the batch's answer, which wakes it. Under Observe it only reads. Deleted with a replacement
 * pool, it links the domain there, which moves it off its pool. Bindings to explicit IPs,
 * deletions that leave the domain an IP, {@code shared} or nothing, and links to a pool inherited
 * from the parent account keep the legacy domain calls.
 */
final class BatchedLinking {

  private final ReconcileSettings settings;
  private final Supplier<PlanningContext> planning;

  BatchedLinking(ReconcileSettings settings, Supplier<PlanningContext> planning) {
    this.settings = settings;
    this.planning = planning;
  }

  /**
   * Whether the binding reads and links through its pool's batch.
   *
   * @param planning asked only when the account inherits a pool, to find a poolRef's pool
   */
  static boolean applies(DesiredBinding desired, ObservedAccount account,
      Supplier<PlanningContext> planning) {
    boolean poolLink =
        (desired.target() instanceof Target.PoolRef || desired.target() instanceof Target.PoolId)
            && (!desired.deleting() || movesToReplacementPool(desired));
    // Mailgun refuses PATCH on an inherited pool: only the legacy POST with pool_id links to one.
    return poolLink && !linksToInheritedPool(desired, account, planning);
  }

  /**
   * A managed link to a pool the account inherits: named by poolId, or the pool of an IpPool that
   * adopted it. Observe only reads, which an inherited pool allows.
   */
  private static boolean linksToInheritedPool(DesiredBinding desired, ObservedAccount account,
      Supplier<PlanningContext> planning) {
    if (desired.policy() == ManagementPolicy.OBSERVE
        || account.pools().values().stream().noneMatch(ObservedPool::inherited)) {
      return false;
    }
    PlanningContext ctx = planning.get();
    String poolId =
        desired.deleting() ? replacementPoolId(desired, ctx) : targetPoolId(desired, ctx);
    ObservedPool pool = poolId == null ? null : ctx.account().pools().get(poolId);
    return pool != null && pool.inherited();
  }

  /**
   * A managed unlink whose replacement is a pool: the link there is the unlink. An IP or {@code
   * shared} stays on the legacy DELETE, as PATCH unlink_domain cannot say what the domain uses.
   */
  private static boolean movesToReplacementPool(DesiredBinding desired) {
    return desired.policy() != ManagementPolicy.OBSERVE
        && (desired.onDelete() == null || desired.onDelete() == OnDelete.UNLINK)
        && (desired.replacement() instanceof Replacement.PoolId
            || desired.replacement() instanceof Replacement.PoolRef);
  }

  /**
   * @param unsettled the binding is not settled: a pool's domains read up to one relink interval
   *     ago answers it, instead of one up to the resync interval ago
   */
  MailgunReconciler.Run planAndLink(DesiredBinding desired, AccountState account,
      boolean unsettled) {
    if (desired.deleting()) {
      return moveToReplacement(desired, account);
    }
    BindingLinks links = account.links();
    String poolId = targetPoolId(desired, planning.get());
    Duration maxAge = unsettled ? settings.relinkPoll() : settings.domainResync();
    if (desired.policy() == ManagementPolicy.OBSERVE) {
      links.observeOnly(desired.domain(), poolId, maxAge);
      return new MailgunReconciler.Run(withoutSteps(BindingPlanner.plan(desired, planning.get())),
          null);
    }
    View view = links.observe(desired.domain(), poolId, maxAge);
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
        throw reportedOnce(links, desired.domain(), view);
      case REJECTED:
        return rejected(BindingPlanner.plan(desired, ctx), link, view);
      default:
        break;
    }
    Plan plan = BindingPlanner.plan(desired, ctx);
    if (plan.steps().equals(List.of(link)) && view.domainId() != null) {
      return queue(desired, account, ctx, plan, link, view.domainId(),
          queued(poolId, desired.domain()));
    }
    return new MailgunReconciler.Run(withoutSteps(plan), null);
  }

  /**
   * Deleting a binding whose replacement is a pool: the domain is linked there in that pool's
   * batch, and the finalizer stays until a read shows it in the replacement pool (the plan then
   * says Deleted: the domain is no longer in the binding's pool).
   */
  private MailgunReconciler.Run moveToReplacement(DesiredBinding desired, AccountState account) {
    BindingLinks links = account.links();
    String domain = desired.domain();
    PlanningContext before = planning.get();
    String target = targetPoolId(desired, before);
    String replacement = replacementPoolId(desired, before);
    // A deletion is not settled: no read older than a relink interval decides it.
    Duration maxAge = settings.relinkPoll();
    if (replacement != null && links.hasTicket(domain, replacement)) {
      View moving = links.observe(domain, replacement, maxAge);
      MailgunStep.LinkDomainPool move = new MailgunStep.LinkDomainPool(domain, replacement);
      switch (moving.standing()) {
        case QUEUED:
          return new MailgunReconciler.Run(moving(target, replacement, domain,
              "goes out with the pool's next batched Mailgun call"), null);
        case ACCEPTED:
          return new MailgunReconciler.Run(moving(target, replacement, domain,
              "was accepted by Mailgun, which is still moving it"), null);
        case FAILED:
          throw reportedOnce(links, domain, moving);
        case REJECTED:
          return rejected(BindingPlanner.plan(desired, planning.get()), move, moving);
        case LINKED:
          // Mailgun lists the domain in the replacement pool, so in no other: the plan says
          // there is nothing left to undo.
          return new MailgunReconciler.Run(
              withoutSteps(BindingPlanner.plan(desired, planning.get())), null);
        default:
          break; // accepted but never seen: look again where the domain is
      }
    }
    View view = links.observeBeforeUnlink(domain, target, maxAge);
    if (view.standing() == BindingLinks.Standing.QUEUED
        || view.standing() == BindingLinks.Standing.ACCEPTED) {
      // Its own link to the pool is still in flight: undone now, it would land afterwards.
      return new MailgunReconciler.Run(linkInFlight(target, domain), null);
    }
    if (view.standing() == BindingLinks.Standing.REJECTED
        || view.standing() == BindingLinks.Standing.FAILED) {
      // That link no longer matters; where the domain is does.
      links.forgetFailure(domain);
      view = links.observeBeforeUnlink(domain, target, maxAge);
    }
    PlanningContext ctx = planning.get();
    Plan plan = BindingPlanner.plan(desired, ctx);
    if (plan.steps().size() == 1 && plan.steps().get(0) instanceof MailgunStep.LinkDomainPool move
        && view.domainId() != null) {
      return queue(desired, account, ctx, plan, move, view.domainId(),
          moving(target, move.poolId(), domain,
              "goes out with the pool's next batched Mailgun call"));
    }
    return new MailgunReconciler.Run(withoutSteps(plan), null);
  }

  /**
   * Queues the plan's one link unless the ownership check refuses it: the batch sends it later,
   * for many bindings at once, so the check is made here, against what the account shows now, as
   * the executor makes it before each write.
   */
  private static MailgunReconciler.Run queue(DesiredBinding desired, AccountState account,
      PlanningContext ctx, Plan plan, MailgunStep.LinkDomainPool link, String domainId,
      Plan queued) {
    var refused = Ownership.check(link, List.of(), Ownership.Actor.of(desired),
        account.toObserved(), ctx.pools());
    if (refused.isPresent()) {
      return new MailgunReconciler.Run(plan, new PlanExecutor.Result(List.of(), false, null,
          link, new OwnershipRefusedException(link, refused.get().message())));
    }
    account.links().link(desired.domain(), domainId, link.poolId(),
        desired.deleting() ? List.of() : siblingDomains(desired, ctx));
    return new MailgunReconciler.Run(queued, null);
  }

  /**
   * The domains of the other live, managed bindings naming the same pool the same way (a poolRef
   * by name, a poolId by id): the batch waits a little for those not linked yet.
   */
  static List<String> siblingDomains(DesiredBinding desired, PlanningContext ctx) {
    return ctx.bindings().stream()
        .filter(b -> !b.deleting() && b.policy() == ManagementPolicy.MANAGE
            && b.target() != null && b.target().equals(desired.target())
            && (b.target() instanceof Target.PoolId
                || b.key().namespace().equals(desired.key().namespace()))
            && !b.key().equals(desired.key()))
        .map(DesiredBinding::domain)
        .toList();
  }

  /** Mailgun refused the domain's part of a batch: reported like a refused step. */
  private static MailgunReconciler.Run rejected(Plan plan, MailgunStep.LinkDomainPool link,
      View view) {
    return new MailgunReconciler.Run(plan,
        new PlanExecutor.Result(List.of(), false, null, link, view.ticket().failure()));
  }

  /** A batch that failed in a way that may pass: reported once, the retry queues it again. */
  private static RuntimeException reportedOnce(BindingLinks links, String domain, View view) {
    links.forgetFailure(domain);
    MailgunException failure = view.ticket().failure();
    return failure != null ? failure
        : new IllegalStateException("linking domain " + domain + " to pool "
            + view.ticket().poolId() + " failed");
  }

  /** Only the batch writes for these bindings; a plan with other steps is a planner bug. */
  private static Plan withoutSteps(Plan plan) {
    if (!plan.steps().isEmpty()) {
      throw new IllegalStateException("unexpected steps for a pool binding: " + plan.steps());
    }
    return plan;
  }

  private static String targetPoolId(DesiredBinding desired, PlanningContext ctx) {
    if (desired.target() instanceof Target.PoolId id) {
      return id.poolId();
    }
    Target.PoolRef ref = (Target.PoolRef) desired.target();
    return ctx.pool(desired.key().namespace(), ref.name())
        .flatMap(ctx::ownedPool).map(ObservedPool::id).orElse(null);
  }

  /** The replacement pool a poolRef or poolId names, if it has a Mailgun pool. */
  private static String replacementPoolId(DesiredBinding desired, PlanningContext ctx) {
    if (desired.replacement() instanceof Replacement.PoolId id) {
      return id.poolId();
    }
    if (desired.replacement() instanceof Replacement.PoolRef ref) {
      return ctx.pool(desired.key().namespace(), ref.name())
          .flatMap(ctx::ownedPool).map(ObservedPool::id).orElse(null);
    }
    return null;
  }

  /** A deletion waiting for the domain's move to the replacement pool. */
  private static Plan moving(String fromPoolId, String toPoolId, String domain, String how) {
    return new Plan(toPoolId, List.of(), List.of(), List.of(), List.of(), false,
        Plan.State.DELETING, List.of("moving domain " + domain
            + (fromPoolId == null ? "" : " from pool " + fromPoolId) + " to replacement pool "
            + toPoolId + " " + how));
  }

  private static Plan linkInFlight(String poolId, String domain) {
    return new Plan(poolId, List.of(), List.of(), List.of(), List.of(), false,
        Plan.State.DELETING, List.of("linking domain " + domain + " to pool " + poolId
            + " is still in flight; the domain is moved off once Mailgun has answered"));
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
