package dev.ippools.mailgun.plan;

import static dev.ippools.mailgun.plan.PlanningContext.POOL_CLAIM_ORDER;
import static dev.ippools.mailgun.plan.PlanningContext.canonicalSet;

import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import dev.ippools.mailgun.plan.Plan.Conflict;
import dev.ippools.mailgun.plan.Plan.Problem;
import dev.ippools.mailgun.plan.Plan.State;
import dev.ippools.mailgun.plan.Plan.Wait;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plans one IpPool (architecture §4, Mailgun rules of architecture §6): desired pool plus planning
 * context in, ordered {@link Plan} out. Pure: no I/O, never throws on bad input.
 *
 * <p>Order within a pool: create, name/description PATCH, add IPs (one call), remove IPs (one call
 * each), delegate, revoke, then warm-up starts and cancels. Adds come before removes so a linked
 * pool never goes empty.
 */
public final class PoolPlanner {

    private PoolPlanner() {}

    public static Plan plan(DesiredPool pool, PlanningContext ctx) {
        Plan plan = pool.deleting() ? PoolDeletionPlanner.plan(pool, ctx) : planLive(pool, ctx);
        return Ownership.enforce(plan, Ownership.Actor.of(pool), ctx);
    }

    private static Plan planLive(DesiredPool pool, PlanningContext ctx) {
        PlanBuilder out = new PlanBuilder().poolId(pool.recordedPoolId());
        List<Problem> spec = SpecValidator.validate(pool);
        if (!spec.isEmpty()) {
            return out.problems(spec).live();
        }
        if (!ctx.account().dippsEnabled()) {
            return out.problems(List.of(SpecValidator.FEATURE_OFF)).live();
        }
        String recorded = pool.recordedPoolId();
        String adopt = pool.adoptPoolId();
        if (recorded != null && adopt != null && !recorded.equals(adopt)) {
            return out.problem(
                            "spec.poolId",
                            "is "
                                    + adopt
                                    + " but this IpPool already manages pool "
                                    + recorded
                                    + "; a pool's identity cannot change, so delete and recreate the IpPool to"
                                    + " manage another pool")
                    .live();
        }
        Optional<ObservedPool> owned = ctx.ownedPool(pool);
        if (owned.isEmpty() && adopt != null) {
            return out.problem("spec.poolId", "pool " + adopt + " not found on the Mailgun account")
                    .live();
        }
        if (owned.isEmpty() && !isManaged(pool)) {
            return out.problem(
                            "spec.poolId",
                            recorded != null
                                    ? "pool "
                                            + recorded
                                            + " recorded earlier no longer exists on the Mailgun"
                                            + " account, and managementPolicy Observe never creates one"
                                    : "managementPolicy Observe imports an existing pool: set spec.poolId to its id")
                    .live();
        }
        if (owned.isEmpty()) {
            // Mailgun rejects a create with an IP that is not the account's to pool: say so first
            List<Problem> account = SpecValidator.checkAccount(pool, ctx);
            if (!account.isEmpty()) {
                return out.poolId(null).problems(account).live();
            }
            return planCreate(pool, ctx, out.poolId(null));
        }

        ObservedPool observed = owned.get();
        out.poolId(observed.id()).note(identityNote(pool, observed));
        List<String> stale = ctx.domainsOutOfSync(observed);
        if (!stale.isEmpty()) {
            out.relinking(true)
                    .note("Mailgun is still moving linked domains to the pool's IPs: " + String.join(", ", stale));
        }
        if (!isManaged(pool)) {
            PoolDrift.of(pool, observed, ctx).forEach(d -> out.note("drift: " + d));
            return out.build(State.OBSERVED);
        }
        // between claims on an unmarked pool the first wins; a marked pool is its marker's alone
        Optional<DesiredPool> rival = ctx.owners(observed).stream()
                .filter(p -> OwnershipMarker.ownerUid(observed.description()).isEmpty())
                .filter(p -> !p.key().equals(pool.key()) && isManaged(p) && !p.deleting())
                .filter(p -> POOL_CLAIM_ORDER.compare(p, pool) < 0)
                .findFirst();
        if (rival.isPresent()) {
            return out.conflict("pool "
                            + observed.id()
                            + " is already managed by IpPool "
                            + rival.get().key()
                            + ", which claimed it first")
                    .live();
        }
        List<Problem> account = SpecValidator.checkAccount(pool, ctx);
        if (!account.isEmpty()) {
            return out.problems(account).live();
        }
        if (observed.inherited()) {
            List<String> drift = PoolDrift.of(pool, observed, ctx);
            if (!drift.isEmpty()) {
                out.conflict("pool "
                        + observed.id()
                        + " is inherited from the parent account and read-only,"
                        + " but differs from the spec: "
                        + String.join("; ", drift));
            }
            return out.live();
        }
        if (adoptsUnmarked(pool, observed) && pool.adoption() == DesiredPool.Adoption.IF_UNCHANGED) {
            List<String> changes = adoptionChanges(pool, observed, ctx);
            if (!changes.isEmpty()) {
                return new Plan(
                        observed.id(),
                        List.of(),
                        List.of(),
                        List.of(new Conflict("adopting pool " + observed.id() + " would change it: "
                                + String.join("; ", changes) + ". Make the spec match Mailgun, or set"
                                + " spec.adoption: Overwrite to make Mailgun match the spec")),
                        List.of(),
                        false,
                        State.ADOPTION_WOULD_CHANGE,
                        List.of());
            }
        }
        planUpdate(pool, observed, ctx, out);
        return out.live();
    }

    /**
     * A first adoption by spec.poolId: the pool carries no marker, or another owner's that this
     * IpPool takes over (any other marked pool is Ownership's to refuse).
     */
    private static boolean adoptsUnmarked(DesiredPool pool, ObservedPool observed) {
        Optional<String> uid = OwnershipMarker.ownerUid(observed.description());
        return observed.id().equals(pool.adoptPoolId())
                && (uid.isEmpty()
                        || !uid.get().equals(pool.uid())
                                && pool.handOverFrom() != null
                                && OwnershipMarker.ownerId(observed.description())
                                        .filter(pool.handOverFrom()::equals)
                                        .isPresent());
    }

    /** What the first plan of an adopted pool would change, in words; the marker is no change. */
    private static List<String> adoptionChanges(DesiredPool pool, ObservedPool observed, PlanningContext ctx) {
        List<String> changes = new ArrayList<>(PoolDrift.of(pool, observed, ctx));
        boolean ipsDiffer =
                !PlanningContext.canonicalSet(pool.ips()).equals(PlanningContext.canonicalSet(observed.ips()));
        if (ipsDiffer && ctx.isLinked(observed)) {
            changes.add("the domains linked to it would move to other IPs");
        }
        return changes;
    }

    private static Plan planCreate(DesiredPool pool, PlanningContext ctx, PlanBuilder out) {
        IpChanges ips = planIps(pool, null, ctx);
        String name = pool.name() != null ? pool.name() : pool.key().name();
        String text = pool.description() != null ? pool.description() : "IpPool " + pool.key();
        out.step(new MailgunStep.CreatePool(name, OwnershipMarker.stamp(text, pool.uid(), pool.ownerId()), ips.adds()));
        out.waits(ips.waits()).conflicts(ips.conflicts()).warmups(ips.warmups());
        Warmups.steps(pool, ips.warmups(), ctx).forEach(out::step);
        if (pool.recordedPoolId() != null) {
            out.note("pool "
                    + pool.recordedPoolId()
                    + " recorded earlier no longer exists on Mailgun"
                    + " (deleted outside the operator); creating a new one");
        }
        if (pool.delegatedTo() != null && !pool.delegatedTo().isEmpty()) {
            out.note("delegations follow once Mailgun has assigned the pool id");
        }
        return out.live();
    }

    private static void planUpdate(DesiredPool pool, ObservedPool observed, PlanningContext ctx, PlanBuilder out) {
        String id = observed.id();
        String name = pool.name() != null && !pool.name().equals(observed.name()) ? pool.name() : null;
        // adopting an unmarked pool writes the marker first (Ownership checks it); a marker without
        // this operator's owner id (written before owner ids) gets it, once
        boolean unmarked = !OwnershipMarker.marker(observed.description())
                .equals(Optional.of(new OwnershipMarker.Marker(pool.uid(), pool.ownerId())));
        String description = PoolDrift.descriptionDiffers(pool, observed) || unmarked
                ? OwnershipMarker.stamp(
                        pool.description() != null
                                ? pool.description()
                                : OwnershipMarker.userText(observed.description()),
                        pool.uid(),
                        pool.ownerId())
                : null;
        if (name != null || description != null) {
            out.step(new MailgunStep.UpdatePool(id, name, description));
        }
        IpChanges ips = planIps(pool, observed, ctx);
        if (!ips.adds().isEmpty()) {
            out.step(new MailgunStep.AddPoolIps(id, ips.adds()));
        }
        ips.removes().forEach(ip -> out.step(new MailgunStep.RemovePoolIp(id, ip)));
        out.waits(ips.waits()).conflicts(ips.conflicts()).warmups(ips.warmups());
        Set<String> wanted = sorted(pool.delegatedTo());
        Set<String> current = sorted(ctx.account().delegations().get(id));
        for (String subaccount : wanted) {
            if (!current.contains(subaccount)) {
                out.step(new MailgunStep.DelegatePool(id, subaccount));
            }
        }
        for (String subaccount : current) {
            if (!wanted.contains(subaccount)) {
                out.step(new MailgunStep.RevokePoolDelegation(id, subaccount));
            }
        }
        String propagating = delegationsPropagating(
                current, sorted(ctx.account().delegationsPropagating().get(id)));
        if (propagating != null) {
            out.relinking(true).note(propagating);
        }
        Warmups.steps(pool, ips.warmups(), ctx).forEach(out::step);
    }

    /** What Mailgun accepted for the pool's subaccounts but does not list yet, or null. */
    private static String delegationsPropagating(Set<String> delegated, Set<String> propagating) {
        List<String> delegating =
                propagating.stream().filter(delegated::contains).toList();
        List<String> revoking =
                propagating.stream().filter(s -> !delegated.contains(s)).toList();
        List<String> parts = new ArrayList<>();
        if (!delegating.isEmpty()) {
            parts.add("the delegation to " + subaccounts(delegating));
        }
        if (!revoking.isEmpty()) {
            parts.add("the revocation from " + subaccounts(revoking));
        }
        return parts.isEmpty()
                ? null
                : "Mailgun is still propagating " + String.join(" and ", parts) + " (accepted, not listed yet)";
    }

    private static String subaccounts(List<String> ids) {
        return (ids.size() == 1 ? "subaccount " : "subaccounts ") + String.join(", ", ids);
    }

    /** IPs to add and remove once claims between pools are settled (planning rule 3). */
    private record IpChanges(
            List<String> adds,
            List<String> removes,
            List<Wait> waits,
            List<Conflict> conflicts,
            List<PendingWarmup> warmups) {}

    private static IpChanges planIps(DesiredPool pool, ObservedPool observed, PlanningContext ctx) {
        TreeSet<String> desired = canonicalSet(pool.ips());
        Map<String, String> spelling = new HashMap<>();
        TreeSet<String> current = new TreeSet<>(IpAddresses.ORDER);
        if (observed != null) {
            for (String ip : observed.ips()) {
                String canonical = IpAddresses.canonicalOrSelf(ip);
                current.add(canonical);
                spelling.put(canonical, ip);
            }
        }
        Claims claims = new Claims(pool, ctx);
        TreeSet<String> adds = new TreeSet<>(IpAddresses.ORDER);
        TreeSet<String> removes = new TreeSet<>(IpAddresses.ORDER);
        List<Wait> waits = new ArrayList<>();
        List<Conflict> conflicts = new ArrayList<>();
        List<PendingWarmup> warmups = new ArrayList<>();
        for (String ip : desired) {
            if (!current.contains(ip)) {
                Optional<PendingWarmup> pending = Warmups.pending(pool, ip, ctx);
                if (pending.isPresent()) {
                    warmups.add(pending.get());
                    continue;
                }
            }
            DesiredPool first = claims.first(ip);
            boolean firstIsSelf = first.key().equals(pool.key());
            if (current.contains(ip)) {
                if (!firstIsSelf) {
                    removes.add(ip);
                    conflicts.add(new Conflict("IP "
                            + ip
                            + " is also wanted by IpPool "
                            + first.key()
                            + ", which claimed it first; releasing it from this pool"));
                }
                continue;
            }
            Optional<ObservedPool> holder =
                    ctx.poolHolding(ip).filter(h -> observed == null || !h.id().equals(observed.id()));
            if (holder.isEmpty()) {
                if (firstIsSelf) {
                    adds.add(ip);
                } else {
                    conflicts.add(new Conflict(
                            "IP " + ip + " is also wanted by IpPool " + first.key() + ", which claimed it first"));
                }
                continue;
            }
            ObservedPool held = holder.get();
            Optional<DesiredPool> owner = ctx.owners(held).stream()
                    .filter(p -> !p.key().equals(pool.key()))
                    .findFirst();
            if (owner.isEmpty()) {
                conflicts.add(new Conflict("IP "
                        + ip
                        + " is in pool "
                        + held.id()
                        + " (\""
                        + held.name()
                        + "\"), which this operator does not manage"
                        + (held.inherited() ? "; it is inherited from the parent account" : "")));
            } else if (!firstIsSelf) {
                conflicts.add(
                        new Conflict("IP " + ip + " belongs to IpPool " + first.key() + ", which claimed it first"));
            } else {
                holderMustRelease(ip, held, owner.get(), waits, conflicts);
            }
        }
        for (String ip : current) {
            if (!desired.contains(ip)) {
                removes.add(ip);
            }
        }
        // Mailgun rule 14: a linked pool keeps at least one IP until a desired one arrives
        if (observed != null
                && ctx.isLinked(observed)
                && adds.isEmpty()
                && !current.isEmpty()
                && removes.size() == current.size()) {
            String keep = removes.first();
            removes.remove(keep);
            waits.add(new Wait(
                    null,
                    "keeping IP "
                            + keep
                            + " in pool "
                            + observed.id()
                            + ": it is linked to domains and"
                            + " must keep at least one IP until another one can be added"));
        }
        return new IpChanges(
                adds.stream().map(ctx::spelling).toList(),
                removes.stream().map(ip -> spelling.getOrDefault(ip, ip)).toList(),
                waits,
                conflicts,
                warmups);
    }

    /** This pool claimed {@code ip} first but sibling {@code owner} holds it in {@code held}. */
    private static void holderMustRelease(
            String ip, ObservedPool held, DesiredPool owner, List<Wait> waits, List<Conflict> conflicts) {
        String where = "IP " + ip + " is in pool " + held.id() + " of IpPool " + owner.key();
        if (!isManaged(owner)) {
            conflicts.add(new Conflict(where + ", which is in Observe mode and never releases it"));
        } else if (owner.deleting() && orphans(owner)) {
            conflicts.add(new Conflict(where + ", which is being deleted with deletionPolicy Orphan and keeps it"));
        } else {
            String why = owner.deleting()
                    ? "which is being deleted"
                    : canonicalSet(owner.ips()).contains(ip)
                            ? "which must release it because this IpPool claimed it first"
                            : "which no longer wants it";
            waits.add(new Wait(owner.key().toString(), where + ", " + why));
        }
    }

    /**
     * Who claimed an IP first among this pool and the siblings that can act on their claims (managed,
     * not deleting, valid): the decision depends only on claim order, never on who holds the IP now,
     * so pools never take an IP from each other back and forth.
     */
    private static final class Claims {
        private final DesiredPool self;
        private final List<DesiredPool> rivals;

        Claims(DesiredPool self, PlanningContext ctx) {
            this.self = self;
            // Only pools naming one of this pool's IPs can claim it first: looked up by IP, and the
            // costlier checks run for those few, not for every pool of the account.
            this.rivals = canonicalSet(self.ips()).stream()
                    .flatMap(ip -> ctx.poolsNaming(ip).stream())
                    .distinct()
                    .filter(p -> !p.key().equals(self.key()) && isManaged(p) && !p.deleting())
                    // a pool naming another's pool cannot act on its claims: it must not win IPs
                    .filter(p -> ctx.ownedPool(p).map(o -> ctx.owns(p, o)).orElse(true))
                    .filter(p -> SpecValidator.validate(p).isEmpty()
                            && SpecValidator.checkAccount(p, ctx).isEmpty())
                    .toList();
        }

        DesiredPool first(String ip) {
            DesiredPool first = self;
            for (DesiredPool rival : rivals) {
                if (POOL_CLAIM_ORDER.compare(rival, first) < 0
                        && canonicalSet(rival.ips()).contains(ip)) {
                    first = rival;
                }
            }
            return first;
        }
    }

    private static String identityNote(DesiredPool pool, ObservedPool observed) {
        if (observed.id().equals(pool.recordedPoolId())) {
            return null;
        }
        if (observed.id().equals(pool.adoptPoolId())) {
            return "adopting pool " + observed.id() + " (spec.poolId)";
        }
        return (pool.recordedPoolId() != null
                        ? "pool " + pool.recordedPoolId() + " recorded earlier no longer exists; "
                        : "")
                + "found pool "
                + observed.id()
                + " by its ownership marker (a create whose id was not"
                + " recorded) and adopted it instead of creating another";
    }

    static boolean isManaged(DesiredPool pool) {
        return pool.policy() != ManagementPolicy.OBSERVE;
    }

    static boolean orphans(DesiredPool pool) {
        return pool.deletionPolicy() == DesiredPool.DeletionPolicy.ORPHAN;
    }

    static TreeSet<String> sorted(Set<String> values) {
        TreeSet<String> out = new TreeSet<>();
        if (values != null) {
            values.stream().filter(v -> v != null).forEach(out::add);
        }
        return out;
    }
}
