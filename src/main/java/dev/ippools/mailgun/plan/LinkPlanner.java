package dev.ippools.mailgun.plan;

import dev.ippools.mailgun.plan.DesiredBinding.OnDelete;
import dev.ippools.mailgun.plan.DesiredBinding.Target;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Links of a binding to a pool on Mailgun's current endpoints: a link goes into the account's
 * per-pool batch ({@code PATCH /v3/ip_pools/{id}} with {@code link_domain}) instead of a call of
 * its own, and the binding waits for the batch's answer. Decides, from the binding, what the
 * account shows and where the domain's link stands (its batch ticket included), which pool a link
 * goes to and what the binding reports meanwhile. Bindings to explicit IPs, deletions that leave
 * the domain an IP, {@code shared} or nothing, and links to a pool inherited from the parent
 * account keep {@link BindingPlanner}'s legacy domain calls.
 */
public final class LinkPlanner {

    private LinkPlanner() {}

    /** What to do about a binding's link. */
    public sealed interface Decision {

        /** Nothing to send: report the plan. */
        record Report(Plan plan) implements Decision {}

        /**
         * Hand the plan's one link step to the pool's batch; report {@code queued} once it is there.
         *
         * @param siblings the other live, managed bindings naming the same pool: a pool's batch is
         *     formed from what all of them want, so each whose own decision is a queued link goes
         *     into the same call now rather than with its own reconcile, which may come late
         */
        record Queue(Plan plan, MailgunStep.LinkDomainPool link, Plan queued, List<DesiredBinding> siblings)
                implements Decision {}

        /** Mailgun refused the domain's part of a batch: reported like a refused step. */
        record Refused(Plan plan, MailgunStep.LinkDomainPool link) implements Decision {}

        /** The batch failed in a way that may pass: reported once, the retry queues it again. */
        record Retry() implements Decision {}
    }

    /**
     * Whether the binding reads and links through its pool's batch.
     *
     * @param planning asked only when the account inherits a pool, to find a poolRef's pool
     */
    public static boolean batches(DesiredBinding desired, ObservedAccount account, Supplier<PlanningContext> planning) {
        boolean poolLink = (desired.target() instanceof Target.PoolRef || desired.target() instanceof Target.PoolId)
                && (!desired.deleting() || movesToReplacementPool(desired));
        // Mailgun refuses PATCH on an inherited pool: only the legacy POST with pool_id links to one.
        return poolLink && !linksToInheritedPool(desired, account, planning);
    }

    /**
     * A managed link to a pool the account inherits: named by poolId, or the pool of an IpPool that
     * adopted it. Observe only reads, which an inherited pool allows.
     */
    private static boolean linksToInheritedPool(
            DesiredBinding desired, ObservedAccount account, Supplier<PlanningContext> planning) {
        if (desired.policy() == ManagementPolicy.OBSERVE
                || !AccountIndex.of(account).anyInherited()) {
            return false;
        }
        PlanningContext ctx = planning.get();
        String poolId = desired.deleting() ? replacementPoolId(desired, ctx) : targetPoolId(desired, ctx);
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

    /** The pool a live binding links to: its poolId, or its IpPool's pool (null: none yet). */
    public static String targetPoolId(DesiredBinding desired, PlanningContext ctx) {
        if (desired.target() instanceof Target.PoolId id) {
            return id.poolId();
        }
        Target.PoolRef ref = (Target.PoolRef) desired.target();
        return ctx.pool(desired.key().namespace(), ref.name())
                .flatMap(ctx::ownedPool)
                .map(ObservedPool::id)
                .orElse(null);
    }

    /** The replacement pool a poolRef or poolId names, if it has a Mailgun pool. */
    public static String replacementPoolId(DesiredBinding desired, PlanningContext ctx) {
        if (desired.replacement() instanceof Replacement.PoolId id) {
            return id.poolId();
        }
        if (desired.replacement() instanceof Replacement.PoolRef ref) {
            return ctx.pool(desired.key().namespace(), ref.name())
                    .flatMap(ctx::ownedPool)
                    .map(ObservedPool::id)
                    .orElse(null);
        }
        return null;
    }

    /** A binding under Observe only reads: its plan never has a step. */
    public static Decision observe(DesiredBinding desired, PlanningContext ctx) {
        return new Decision.Report(withoutSteps(BindingPlanner.plan(desired, ctx)));
    }

    /**
     * A live binding's link, with the domain's standing towards its pool.
     *
     * @param ctx built after the standing was observed, so it shows what was found
     * @param domainKnown Mailgun lists the domain with an id, which a batched link needs
     */
    public static Decision link(
            DesiredBinding desired, PlanningContext ctx, LinkStanding standing, boolean domainKnown) {
        String poolId = targetPoolId(desired, ctx);
        MailgunStep.LinkDomainPool link = new MailgunStep.LinkDomainPool(desired.domain(), poolId);
        switch (standing) {
            case QUEUED:
                return new Decision.Report(queued(poolId, desired.domain()));
            case ACCEPTED:
                return new Decision.Report(accepted(poolId, desired.domain()));
            case FAILED:
                return new Decision.Retry();
            case REJECTED:
                return new Decision.Refused(BindingPlanner.plan(desired, ctx), link);
            default:
                break;
        }
        Plan plan = BindingPlanner.plan(desired, ctx);
        if (plan.steps().equals(List.of(link)) && domainKnown) {
            return new Decision.Queue(plan, link, queued(poolId, desired.domain()), siblings(desired, ctx));
        }
        return new Decision.Report(withoutSteps(plan));
    }

    /**
     * A deletion whose domain already has a ticket for the replacement pool, with that ticket's
     * standing; empty when the ticket was accepted but the link is not seen: where the domain is
     * decides, as for a deletion without one ({@link #move}).
     */
    public static Optional<Decision> moveUnderway(DesiredBinding desired, PlanningContext ctx, LinkStanding standing) {
        String domain = desired.domain();
        String target = targetPoolId(desired, ctx);
        String replacement = replacementPoolId(desired, ctx);
        switch (standing) {
            case QUEUED:
                return Optional.of(new Decision.Report(
                        moving(target, replacement, domain, "goes out with the pool's next batched Mailgun call")));
            case ACCEPTED:
                return Optional.of(new Decision.Report(
                        moving(target, replacement, domain, "was accepted by Mailgun, which is still moving it")));
            case FAILED:
                return Optional.of(new Decision.Retry());
            case REJECTED:
                return Optional.of(new Decision.Refused(
                        BindingPlanner.plan(desired, ctx), new MailgunStep.LinkDomainPool(domain, replacement)));
            case LINKED:
                // Mailgun lists the domain in the replacement pool, so in no other: the plan says there
                // is nothing left to undo.
                return Optional.of(new Decision.Report(withoutSteps(BindingPlanner.plan(desired, ctx))));
            default:
                return Optional.empty();
        }
    }

    /**
     * Deleting a binding whose replacement is a pool: the domain is linked there in that pool's
     * batch, and the finalizer stays until a read shows it in the replacement pool (the plan then
     * says Deleted: the domain is no longer in the binding's pool).
     *
     * @param standing the domain towards the binding's own pool; a rejected or failed link there no
     *     longer matters and was let go before observing again
     */
    public static Decision move(
            DesiredBinding desired, PlanningContext ctx, LinkStanding standing, boolean domainKnown) {
        String target = targetPoolId(desired, ctx);
        if (standing == LinkStanding.QUEUED || standing == LinkStanding.ACCEPTED) {
            // Its own link to the pool is still in flight: undone now, it would land afterwards.
            return new Decision.Report(linkInFlight(target, desired.domain()));
        }
        Plan plan = BindingPlanner.plan(desired, ctx);
        if (plan.steps().size() == 1 && plan.steps().get(0) instanceof MailgunStep.LinkDomainPool move && domainKnown) {
            return new Decision.Queue(
                    plan,
                    move,
                    moving(
                            target,
                            move.poolId(),
                            desired.domain(),
                            "goes out with the pool's next batched Mailgun call"),
                    List.of());
        }
        return new Decision.Report(withoutSteps(plan));
    }

    /**
     * The other live, managed bindings naming the same pool the same way (a poolRef by name in the
     * same namespace, a poolId by id).
     */
    public static List<DesiredBinding> siblings(DesiredBinding desired, PlanningContext ctx) {
        return ctx.bindingsTargeting(desired.target()).stream()
                .filter(b -> !b.deleting()
                        && b.policy() == ManagementPolicy.MANAGE
                        && (b.target() instanceof Target.PoolId
                                || b.key().namespace().equals(desired.key().namespace()))
                        && !b.key().equals(desired.key()))
                .toList();
    }

    /** Only the batch writes for these bindings; a plan with other steps is a planner bug. */
    private static Plan withoutSteps(Plan plan) {
        if (!plan.steps().isEmpty()) {
            throw new IllegalStateException("unexpected steps for a pool binding: " + plan.steps());
        }
        return plan;
    }

    /** A deletion waiting for the domain's move to the replacement pool. */
    private static Plan moving(String fromPoolId, String toPoolId, String domain, String how) {
        return Plan.of(Plan.State.DELETING, toPoolId)
                .withNote("moving domain " + domain
                        + (fromPoolId == null ? "" : " from pool " + fromPoolId) + " to replacement pool "
                        + toPoolId + " " + how);
    }

    private static Plan linkInFlight(String poolId, String domain) {
        return Plan.of(Plan.State.DELETING, poolId)
                .withNote("linking domain " + domain + " to pool " + poolId
                        + " is still in flight; the domain is moved off once Mailgun has answered");
    }

    private static Plan queued(String poolId, String domain) {
        return Plan.of(Plan.State.WAITING, poolId)
                .withWait(new Plan.Wait(
                        poolId,
                        "linking domain " + domain + " to pool " + poolId
                                + " goes out with the pool's next batched Mailgun call"));
    }

    private static Plan accepted(String poolId, String domain) {
        return Plan.of(Plan.State.RELINKING, poolId)
                .withRelinking()
                .withNote("Mailgun accepted linking" + " domain " + domain + " to pool " + poolId
                        + " and is still moving it to the pool's IPs");
    }
}
