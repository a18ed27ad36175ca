package dev.ippools.mailgun.plan;

import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Design §9 as one rule that every Mailgun write passes through, planned ({@link #enforce}) and
 * again right before it is sent ({@link #guard}): the ownership marker in a pool's description
 * says who owns it; annotations, status and {@code spec.poolId} only help find it.
 *
 * <ul>
 *   <li>A pool is written (renamed, IPs, delegations) or deleted only by the IpPool its marker
 *       names, or by an IpPool that adopts an unmarked pool through {@code spec.poolId} and stamps
 *       its marker in the plan's first write to that pool. Inherited pools are never written.
 *   <li>A pool is used (domains linked or moved to it) freely when nobody here owns it (no marker);
 *       a marked pool only by resources in its owner's namespace, or in namespaces the owner lists
 *       in {@link #SHARED_WITH} ({@code *}: all). A pool whose owner is gone is used by nobody.
 *   <li>A warm-up is started only by a managed IpPool, for an IP in no pool; it is cancelled only
 *       by the IpPool that recorded starting it ({@code warmupsStarted}): never one a person or
 *       another IpPool started.
 * </ul>
 */
public final class Ownership {

    /** IpPool annotation: namespaces whose resources may link domains to its pool. */
    public static final String SHARED_WITH = "mailgun.ippools.dev/shared-with-namespaces";

    /**
     * IpPool annotation: the owner id of another operator whose pool (named by spec.poolId) this
     * IpPool takes over, stamping its own marker. Without it such a pool is never written.
     */
    public static final String HAND_OVER_FROM = "mailgun.ippools.dev/hand-over-from-owner";

    private Ownership() {}

    /**
     * Who plans the writes.
     *
     * @param uid the IpPool's uid; null for a DomainPoolBinding, which never writes a pool
     * @param adoptPoolId spec.poolId of an IpPool (explicit adoption), or null
     * @param managed false under managementPolicy Observe
     * @param warmupsStarted IPs whose warm-up the IpPool recorded as started by it
     * @param ownerId the planning operator's owner id (null: none)
     * @param handOverFrom the owner id this IpPool may take a pool over from, or null
     */
    public record Actor(
            ResourceKey key,
            String uid,
            String adoptPoolId,
            boolean managed,
            boolean deleting,
            Set<String> warmupsStarted,
            String ownerId,
            String handOverFrom) {
        public Actor {
            warmupsStarted = PlanningContext.canonicalSet(warmupsStarted);
        }

        public Actor(
                ResourceKey key,
                String uid,
                String adoptPoolId,
                boolean managed,
                boolean deleting,
                Set<String> warmupsStarted) {
            this(key, uid, adoptPoolId, managed, deleting, warmupsStarted, null, null);
        }

        public static Actor of(DesiredPool pool) {
            return new Actor(
                    pool.key(),
                    pool.uid(),
                    pool.adoptPoolId(),
                    pool.policy() != ManagementPolicy.OBSERVE,
                    pool.deleting(),
                    pool.warmupsStarted(),
                    pool.ownerId(),
                    pool.handOverFrom());
        }

        public static Actor of(DesiredBinding binding) {
            return new Actor(
                    binding.key(),
                    null,
                    null,
                    binding.policy() != ManagementPolicy.OBSERVE,
                    binding.deleting(),
                    Set.of());
        }

        boolean isPool() {
            return uid != null;
        }
    }

    /**
     * Why a step may not be sent.
     *
     * @param ownPool the step writes the pool the actor maps to (on delete: leave it, do not block)
     * @param elsewhere the pool is marked by another operator (another owner id)
     */
    public record Refusal(String poolId, boolean ownPool, String message, boolean elsewhere) {
        public Refusal(String poolId, boolean ownPool, String message) {
            this(poolId, ownPool, message, false);
        }
    }

    /** Checks one step against the account as last observed; {@code earlier}: steps sent before. */
    public static Optional<Refusal> check(
            MailgunStep step,
            List<MailgunStep> earlier,
            Actor actor,
            ObservedAccount account,
            List<DesiredPool> pools) {
        if (step instanceof MailgunStep.CreatePool c) {
            boolean stamped = actor.isPool()
                    && OwnershipMarker.ownerUid(c.description())
                            .filter(actor.uid()::equals)
                            .isPresent();
            return stamped
                    ? Optional.empty()
                    : Optional.of(new Refusal(null, true, "a new pool must carry " + actor.key() + "'s marker"));
        }
        if (step instanceof MailgunStep.StartWarmup || step instanceof MailgunStep.CancelWarmup) {
            return checkWarmup(step, actor, account);
        }
        String written = writtenPool(step);
        if (written != null) {
            Optional<Refusal> refusal = checkWrite(written, step, earlier, actor, account, pools);
            if (refusal.isPresent()) {
                return refusal;
            }
        }
        String used = usedPool(step);
        return used == null ? Optional.empty() : checkUse(used, actor, account, pools);
    }

    /**
     * The plan, or, when a step or the pool it claims is not the actor's, the same plan without any
     * step: Conflict while live; on delete a pool that is not the actor's is left in place (the
     * resource may go), anything else blocks the deletion.
     */
    public static Plan enforce(Plan plan, Actor actor, PlanningContext ctx) {
        List<Refusal> refusals = new ArrayList<>();
        List<MailgunStep> earlier = new ArrayList<>();
        for (MailgunStep step : plan.steps()) {
            check(step, earlier, actor, ctx.account(), ctx.pools()).ifPresent(refusals::add);
            earlier.add(step);
        }
        // A managed IpPool may not even claim a pool without writing to it (no diff): Available on
        // someone else's pool would be a lie, and status/annotations would record a foreign id.
        if (refusals.isEmpty()
                && actor.isPool()
                && actor.managed()
                && !actor.deleting()
                && plan.poolId() != null
                && plan.state() != Plan.State.INVALID
                && plan.state() != Plan.State.CONFLICT
                && plan.state() != Plan.State.ADOPTION_WOULD_CHANGE) {
            checkWrite(plan.poolId(), null, plan.steps(), actor, ctx.account(), ctx.pools())
                    .ifPresent(refusals::add);
        }
        if (refusals.isEmpty()) {
            return plan;
        }
        boolean ownPool = refusals.stream().anyMatch(Refusal::ownPool);
        // the other conflicts concern a pool that is not the actor's: moot
        List<Plan.Conflict> conflicts = new ArrayList<>(ownPool ? List.of() : plan.conflicts());
        List<String> notes = new ArrayList<>(plan.notes());
        Plan.State state;
        if (actor.deleting() && refusals.stream().allMatch(Refusal::ownPool)) {
            refusals.forEach(r -> notes.add(r.message() + "; left in place"));
            state = Plan.State.DELETED;
        } else {
            refusals.stream()
                    .map(r -> new Plan.Conflict(r.message()))
                    .distinct()
                    .forEach(conflicts::add);
            state = actor.deleting()
                    ? Plan.State.DELETION_BLOCKED
                    : refusals.stream().anyMatch(Refusal::elsewhere) ? Plan.State.OWNED_ELSEWHERE : Plan.State.CONFLICT;
        }
        return new Plan(
                ownPool ? null : plan.poolId(),
                List.of(),
                plan.waits(),
                conflicts,
                plan.problems(),
                plan.relinking(),
                state,
                notes);
    }

    /** Checks each step right before it is sent, against what {@code account} reads then. */
    public interface Guard {
        Optional<Refusal> check(MailgunStep step, List<MailgunStep> earlier);
    }

    /** A guard on the latest observed account, for the executor. */
    public static Guard guard(Actor actor, Supplier<ObservedAccount> account, List<DesiredPool> pools) {
        return (step, earlier) -> check(step, earlier, actor, account.get(), pools);
    }

    /**
     * The one write made for no resource: deleting an orphan (a pool whose marker names an IpPool
     * that no longer exists), when the operator is told to. Checked again right before the call.
     */
    public static Guard orphanRemoval(Supplier<ObservedAccount> account, Set<String> liveUids) {
        return orphanRemoval(account, liveUids, null);
    }

    /** As above, for the operator with {@code ownerId}: another owner's pool is never an orphan. */
    public static Guard orphanRemoval(Supplier<ObservedAccount> account, Set<String> liveUids, String ownerId) {
        return (step, earlier) -> {
            if (!(step instanceof MailgunStep.DeletePool d)) {
                return refuse(null, false, "only an orphaned pool may be deleted here");
            }
            ObservedPool observed = account.get().pools().get(d.poolId());
            Optional<String> owner = observed == null
                            || observed.inherited()
                            || OwnershipMarker.markedElsewhere(observed.description(), ownerId)
                    ? Optional.empty()
                    : OwnershipMarker.ownerUid(observed.description());
            return owner.isPresent() && !liveUids.contains(owner.get())
                    ? Optional.empty()
                    : refuse(d.poolId(), false, "pool " + d.poolId() + " is not an orphan");
        };
    }

    private static Optional<Refusal> checkWrite(
            String poolId,
            MailgunStep step,
            List<MailgunStep> earlier,
            Actor actor,
            ObservedAccount account,
            List<DesiredPool> pools) {
        String pool = "pool " + poolId;
        if (!actor.isPool()) {
            return refuse(poolId, true, "a DomainPoolBinding never changes a pool");
        }
        ObservedPool observed = account.pools() == null ? null : account.pools().get(poolId);
        if (observed == null) {
            return refuse(poolId, true, pool + " is not on the Mailgun account; its owner is unknown");
        }
        boolean adopting = poolId.equals(actor.adoptPoolId());
        if (observed.inherited()) {
            // adopting an inherited pool only reads it; the planner reports drift as Conflict
            return step == null && adopting
                    ? Optional.empty()
                    : refuse(poolId, true, pool + " is inherited from the parent account and read-only");
        }
        Optional<String> owner = OwnershipMarker.ownerUid(observed.description());
        boolean stampsFirst =
                stampsMarker(step, poolId, actor) || earlier.stream().anyMatch(s -> stampsMarker(s, poolId, actor));
        if (owner.isPresent() && owner.get().equals(actor.uid())) {
            return Optional.empty();
        }
        if (OwnershipMarker.markedElsewhere(observed.description(), actor.ownerId())) {
            String other = OwnershipMarker.ownerId(observed.description()).orElseThrow();
            if (adopting && other.equals(actor.handOverFrom()) && stampsFirst) {
                return Optional.empty();
            }
            return Optional.of(new Refusal(
                    poolId,
                    true,
                    pool + " is managed by the operator with owner"
                            + " id " + other + " (this one is " + actor.ownerId() + "); " + actor.key()
                            + " never changes or deletes it. To hand it over, set spec.poolId to " + poolId
                            + " and the annotation " + HAND_OVER_FROM + ": " + other + " on this IpPool, after"
                            + " removing its IpPool from the other cluster with deletionPolicy Orphan",
                    true));
        }
        if (owner.isPresent()) {
            return refuse(poolId, true, foreignOwner(pool, owner.get(), actor, pools));
        }
        if (adopting && stampsFirst) {
            return Optional.empty();
        }
        return refuse(
                poolId,
                true,
                pool
                        + " carries no ownership marker of this operator, so "
                        + actor.key()
                        + " does not own it"
                        + (adopting
                                ? "; adopting it writes the marker first"
                                : ": set spec.poolId to " + poolId + " to adopt it"));
    }

    private static Optional<Refusal> checkWarmup(MailgunStep step, Actor actor, ObservedAccount account) {
        if (!actor.isPool() || !actor.managed() || actor.deleting()) {
            return refuse(null, false, "only a managed IpPool starts or cancels warm-ups");
        }
        if (step instanceof MailgunStep.CancelWarmup c) {
            return actor.warmupsStarted().contains(IpAddresses.canonicalOrSelf(c.ip()))
                    ? Optional.empty()
                    : refuse(
                            null,
                            false,
                            "the warm-up of IP " + c.ip() + " was not started by " + actor.key()
                                    + ", and the operator cancels only warm-ups it started");
        }
        String ip = ((MailgunStep.StartWarmup) step).ip();
        String canonical = IpAddresses.canonicalOrSelf(ip);
        Optional<ObservedPool> holder = account.pools() == null
                ? Optional.empty()
                : account.pools().values().stream()
                        .filter(p -> PlanningContext.canonicalSet(p.ips()).contains(canonical))
                        .findFirst();
        return holder.isEmpty()
                ? Optional.empty()
                : refuse(
                        holder.get().id(),
                        false,
                        "IP " + ip + " is in pool " + holder.get().id() + ", so it is no new IP whose warm-up "
                                + actor.key() + " may start");
    }

    private static Optional<Refusal> checkUse(
            String poolId, Actor actor, ObservedAccount account, List<DesiredPool> pools) {
        ObservedPool observed = account.pools() == null ? null : account.pools().get(poolId);
        // An inherited pool's marker names an IpPool of the parent account, never one of this
        // account's: the parent's delegation is what lets this account link to it.
        if (observed == null || observed.inherited()) {
            return Optional.empty();
        }
        Optional<String> ownerUid = OwnershipMarker.ownerUid(observed.description());
        if (ownerUid.isEmpty() || ownerUid.get().equals(actor.uid())) {
            return Optional.empty();
        }
        Optional<DesiredPool> owner =
                pools.stream().filter(p -> ownerUid.get().equals(p.uid())).findFirst();
        String pool = "pool " + poolId;
        if (owner.isEmpty()) {
            return refuse(
                    poolId,
                    false,
                    pool
                            + " is marked for an IpPool that no longer exists (uid "
                            + ownerUid.get()
                            + "); nothing may link domains to it until its marker is removed in Mailgun");
        }
        String ns = actor.key().namespace();
        DesiredPool p = owner.get();
        if (p.key().namespace().equals(ns) || sharedWith(p, ns)) {
            return Optional.empty();
        }
        return refuse(
                poolId,
                false,
                pool
                        + " belongs to IpPool "
                        + p.key()
                        + ", which does not share it with namespace "
                        + ns
                        + ": its owners can add "
                        + ns
                        + " to the annotation "
                        + SHARED_WITH
                        + ", or use a pool of this namespace");
    }

    private static boolean sharedWith(DesiredPool pool, String namespace) {
        Set<String> shared = pool.sharedWithNamespaces();
        return shared != null && (shared.contains("*") || shared.contains(namespace));
    }

    private static String foreignOwner(String pool, String ownerUid, Actor actor, List<DesiredPool> pools) {
        Optional<DesiredPool> owner =
                pools.stream().filter(p -> ownerUid.equals(p.uid())).findFirst();
        String whose = owner.map(p -> " belongs to IpPool " + p.key())
                .orElse(" is marked for an IpPool that no longer exists (uid " + ownerUid + ")");
        return pool
                + whose
                + "; "
                + actor.key()
                + " never changes or deletes it: remove spec.poolId and the annotation "
                + "mailgun.ippools.dev/pool-id so this IpPool creates its own pool"
                + (owner.isEmpty()
                        ? ", or, to take it over, remove the marker from its description in Mailgun and set"
                                + " spec.poolId"
                        : "");
    }

    private static boolean stampsMarker(MailgunStep step, String poolId, Actor actor) {
        String description = step instanceof MailgunStep.UpdatePool u && poolId.equals(u.poolId())
                ? u.description()
                : step instanceof MailgunStep.EditPool e && poolId.equals(e.poolId()) ? e.description() : null;
        return OwnershipMarker.ownerUid(description).filter(actor.uid()::equals).isPresent();
    }

    /** The pool a step changes or deletes, or null. */
    static String writtenPool(MailgunStep step) {
        if (step instanceof MailgunStep.UpdatePool s) {
            return s.poolId();
        } else if (step instanceof MailgunStep.EditPool s) {
            return s.poolId();
        } else if (step instanceof MailgunStep.AddPoolIps s) {
            return s.poolId();
        } else if (step instanceof MailgunStep.RemovePoolIp s) {
            return s.poolId();
        } else if (step instanceof MailgunStep.DelegatePool s) {
            return s.poolId();
        } else if (step instanceof MailgunStep.RevokePoolDelegation s) {
            return s.poolId();
        } else if (step instanceof MailgunStep.DeletePool s) {
            return s.poolId();
        }
        return null;
    }

    /** The pool a step moves or links domains to, or null. */
    static String usedPool(MailgunStep step) {
        if (step instanceof MailgunStep.LinkDomainPool s) {
            return s.poolId();
        } else if (step instanceof MailgunStep.UnlinkDomainPool s) {
            return s.replacementPoolId();
        } else if (step instanceof MailgunStep.DeletePool s) {
            return s.replacementPoolId();
        }
        return null;
    }

    private static Optional<Refusal> refuse(String poolId, boolean ownPool, String message) {
        return Optional.of(new Refusal(poolId, ownPool, message));
    }
}
