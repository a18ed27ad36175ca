package dev.ippools.mailgun.plan;

import static dev.ippools.mailgun.plan.PlanningContext.BINDING_CLAIM_ORDER;
import static dev.ippools.mailgun.plan.PlanningContext.canonicalSet;

import dev.ippools.mailgun.plan.DesiredBinding.OnDelete;
import dev.ippools.mailgun.plan.DesiredBinding.Target;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedDomain;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import dev.ippools.mailgun.plan.Plan.Problem;
import dev.ippools.mailgun.plan.Plan.State;
import dev.ippools.mailgun.plan.Plan.Wait;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Plans one DomainPoolBinding: which pool or explicit IPs a sending domain uses (architecture §4
 * rule 4). {@link Plan#poolId()} is the pool the domain should be linked to (null for explicit
 * IPs). Pure: no I/O, never throws on bad input.
 */
public final class BindingPlanner {

    private BindingPlanner() {}

    public static Plan plan(DesiredBinding binding, PlanningContext ctx) {
        Plan plan = binding.deleting() ? planDeletion(binding, ctx) : planLive(binding, ctx);
        return Ownership.enforce(plan, Ownership.Actor.of(binding), ctx);
    }

    private static Plan planLive(DesiredBinding binding, PlanningContext ctx) {
        PlanBuilder out = new PlanBuilder();
        List<Problem> spec = SpecValidator.validate(binding);
        if (!spec.isEmpty()) {
            return out.problems(spec).live();
        }
        Optional<ObservedDomain> found = ctx.domain(binding.domain());
        if (found.isEmpty()) {
            return out.problem("spec.domain", "domain not found on the Mailgun account: " + binding.domain())
                    .live();
        }
        ObservedDomain domain = found.get();
        if (!isManaged(binding)) {
            return observe(binding, domain, ctx, out);
        }
        List<Problem> account = SpecValidator.checkAccount(binding, ctx);
        if (!account.isEmpty()) {
            return out.problems(account).live();
        }
        Optional<DesiredBinding> rival = otherBindings(binding, ctx).stream()
                .filter(b -> BINDING_CLAIM_ORDER.compare(b, binding) < 0)
                .findFirst();
        if (rival.isPresent()) {
            return out.conflict("domain "
                            + domain.name()
                            + " is already bound by DomainPoolBinding "
                            + rival.get().key()
                            + ", which was created first")
                    .live();
        }
        if (binding.target() instanceof Target.Ips ips) {
            if (binding.adoptsOnlyUnchanged() && domain.linkedPoolId() != null) {
                return wouldMove(binding, domain, "unlink it from pool " + domain.linkedPoolId());
            }
            planExplicitIps(domain, canonicalSet(ips.ips()), ctx, out);
            return out.live();
        }
        PoolTarget target = resolveTarget(binding, ctx);
        out.poolId(target.poolId());
        if (target.problem() != null) {
            return out.problems(List.of(target.problem())).live();
        }
        if (target.waitFor() != null) {
            return out.waits(List.of(target.waitFor())).live();
        }
        if (target.poolId().equals(domain.linkedPoolId())) {
            if (ipsDiffer(domain, target.pool())) {
                out.relinking(true).note("Mailgun is still moving domain " + domain.name() + " to the pool's IPs");
            }
            return out.live();
        }
        if (binding.adoptsOnlyUnchanged() && domain.linkedPoolId() != null) {
            return wouldMove(
                    binding, domain, "move it from pool " + domain.linkedPoolId() + " to pool " + target.poolId());
        }
        // linking replaces every IP the domain had, and moves it off any other pool
        out.step(new MailgunStep.LinkDomainPool(
                domain.name(), target.poolId(), target.pool().inherited()));
        return out.live();
    }

    /**
     * From a pool to explicit IPs: unlink with the first desired IP as replacement (Mailgun leaves
     * just that IP), then add the rest. Without a pool: add missing IPs, then remove extras, so the
     * domain never runs out of IPs.
     */
    private static void planExplicitIps(
            ObservedDomain domain, TreeSet<String> desired, PlanningContext ctx, PlanBuilder out) {
        String name = domain.name();
        if (domain.linkedPoolId() != null) {
            String replacement = desired.first();
            out.step(new MailgunStep.UnlinkDomainPool(name, ctx.spelling(replacement), null));
            desired.stream()
                    .filter(ip -> !ip.equals(replacement))
                    .forEach(ip -> out.step(new MailgunStep.AssignDomainIp(name, ctx.spelling(ip))));
            return;
        }
        Map<String, String> spelling = new HashMap<>();
        TreeSet<String> current = new TreeSet<>(IpAddresses.ORDER);
        if (domain.ips() != null) {
            for (String ip : domain.ips()) {
                String canonical = IpAddresses.canonicalOrSelf(ip);
                current.add(canonical);
                spelling.put(canonical, ip);
            }
        }
        desired.stream()
                .filter(ip -> !current.contains(ip))
                .forEach(ip -> out.step(new MailgunStep.AssignDomainIp(name, ctx.spelling(ip))));
        current.stream()
                .filter(ip -> !desired.contains(ip))
                .forEach(ip -> out.step(new MailgunStep.RemoveDomainIp(name, spelling.get(ip))));
    }

    private static Plan observe(DesiredBinding binding, ObservedDomain domain, PlanningContext ctx, PlanBuilder out) {
        if (binding.target() instanceof Target.Ips ips) {
            TreeSet<String> desired = canonicalSet(ips.ips());
            TreeSet<String> current = canonicalSet(domain.ips());
            if (domain.linkedPoolId() != null) {
                out.note("drift: domain is linked to pool " + domain.linkedPoolId() + ", the spec lists explicit IPs");
            } else if (!desired.equals(current)) {
                out.note("drift: domain uses IPs " + current + ", the spec says " + desired);
            }
            return out.build(State.OBSERVED);
        }
        PoolTarget target = resolveTarget(binding, ctx);
        out.poolId(target.poolId());
        if (target.poolId() != null && !target.poolId().equals(domain.linkedPoolId())) {
            // What was read is the pool's domain list: it tells that the domain is not there, not where.
            out.note("drift: domain is not linked to pool " + target.poolId() + ", which the spec names");
        } else if (target.pool() != null && ipsDiffer(domain, target.pool())) {
            out.relinking(true).note("Mailgun is still moving domain " + domain.name() + " to the pool's IPs");
        }
        return out.build(State.OBSERVED);
    }

    private static Plan planDeletion(DesiredBinding binding, PlanningContext ctx) {
        PlanBuilder out = new PlanBuilder();
        if (!isManaged(binding)) {
            return out.note("managementPolicy Observe: the domain is left as it is")
                    .deletion();
        }
        OnDelete onDelete = binding.onDelete() == null ? OnDelete.UNLINK : binding.onDelete();
        if (onDelete == OnDelete.ORPHAN) {
            return out.note("onDelete Orphan: the domain keeps its IPs and pool link")
                    .deletion();
        }
        Optional<ObservedDomain> found = ctx.domain(binding.domain());
        if (found.isEmpty()) {
            return out.note("domain " + binding.domain() + " is not on the Mailgun account; nothing to undo")
                    .deletion();
        }
        ObservedDomain domain = found.get();
        Optional<DesiredBinding> successor =
                otherBindings(binding, ctx).stream().findFirst();
        if (successor.isPresent()) {
            return out.note("domain "
                            + domain.name()
                            + " is now managed by DomainPoolBinding "
                            + successor.get().key()
                            + "; left as it is")
                    .deletion();
        }
        if (binding.target() instanceof Target.Ips || binding.target() == null) {
            if (onDelete == OnDelete.REMOVE_DOMAIN_POOL && binding.target() != null) {
                if (domain.linkedPoolId() != null) {
                    return out.note("domain "
                                    + domain.name()
                                    + " is linked to pool "
                                    + domain.linkedPoolId()
                                    + ", which this binding did not link; left as it is")
                            .deletion();
                }
                return out.step(new MailgunStep.RemoveDomainPool(domain.name())).deletion();
            }
            return out.note("domain " + domain.name() + " keeps its IPs: a domain always needs at least one")
                    .deletion();
        }
        String targetId = resolveTarget(binding, ctx).poolId();
        out.poolId(targetId);
        if (targetId == null || !targetId.equals(domain.linkedPoolId())) {
            return out.note("domain " + domain.name() + " is not linked to this binding's pool; nothing to" + " undo")
                    .deletion();
        }
        if (onDelete == OnDelete.REMOVE_DOMAIN_POOL) {
            return out.step(new MailgunStep.RemoveDomainPool(domain.name())).deletion();
        }
        Replacement replacement = binding.replacement();
        if (replacement == null) {
            return out.waitFor(
                            null,
                            "domain "
                                    + domain.name()
                                    + " is linked to pool "
                                    + targetId
                                    + ": set"
                                    + " spec.replacement.ip (an IP or \"shared\"), spec.replacement.poolId or"
                                    + " spec.replacement.poolRef.name so Mailgun knows what the domain uses after"
                                    + " the unlink, or set spec.onDelete to Orphan")
                    .deletion();
        }
        List<Problem> shape = SpecValidator.validateReplacement(replacement, null);
        if (!shape.isEmpty()) {
            return out.problems(shape).deletion();
        }
        Replacements.Resolved resolved =
                Replacements.resolve(replacement, binding.key().namespace(), targetId, ctx, false);
        if (resolved.problem() != null) {
            return out.problems(List.of(resolved.problem())).deletion();
        }
        if (resolved.waitFor() != null) {
            return out.waits(List.of(resolved.waitFor())).deletion();
        }
        if (resolved.poolId() != null) {
            // Linking it to the replacement pool moves it off this one (one pool per domain), on the
            // current endpoint and in that pool's batch (an inherited pool: the legacy POST).
            ObservedPool to = ctx.account().pools().get(resolved.poolId());
            return out.step(new MailgunStep.LinkDomainPool(
                            domain.name(), resolved.poolId(), to != null && to.inherited()))
                    .deletion();
        }
        // An IP or "shared" keeps the legacy unlink: PATCH unlink_domain takes no replacement, so it
        // cannot say what the domain uses afterwards.
        return out.step(new MailgunStep.UnlinkDomainPool(domain.name(), resolved.ip(), null))
                .deletion();
    }

    /** The pool a binding targets, or why it cannot be linked yet. */
    private record PoolTarget(String poolId, ObservedPool pool, Wait waitFor, Problem problem) {}

    private static PoolTarget resolveTarget(DesiredBinding binding, PlanningContext ctx) {
        if (binding.target() instanceof Target.PoolRef ref) {
            ResourceKey key = new ResourceKey(binding.key().namespace(), ref.name());
            Optional<DesiredPool> pool = ctx.pool(key.namespace(), key.name());
            if (pool.isEmpty()) {
                return new PoolTarget(
                        null, null, new Wait(key.toString(), "IpPool " + key + " does not exist (yet)"), null);
            }
            Optional<ObservedPool> observed = ctx.ownedPool(pool.get());
            if (observed.isEmpty()) {
                return new PoolTarget(
                        null, null, new Wait(key.toString(), "IpPool " + key + " has no Mailgun pool yet"), null);
            }
            if (observed.get().ips().isEmpty()) {
                return new PoolTarget(
                        observed.get().id(),
                        observed.get(),
                        new Wait(
                                key.toString(),
                                "IpPool " + key + " has no IPs yet; Mailgun only links a pool that holds IPs"),
                        null);
            }
            return new PoolTarget(observed.get().id(), observed.get(), null, null);
        }
        String id = ((Target.PoolId) binding.target()).poolId();
        ObservedPool pool = ctx.account().pools().get(id);
        if (pool == null) {
            return new PoolTarget(
                    id, null, null, new Problem("spec.poolId", "pool " + id + " not found on the Mailgun account"));
        }
        if (pool.ips().isEmpty()) {
            return new PoolTarget(
                    id,
                    pool,
                    new Wait(id, "pool " + id + " has no IPs yet; Mailgun only links a pool that holds IPs"),
                    null);
        }
        return new PoolTarget(id, pool, null, null);
    }

    /** Other managed, live bindings of the same domain, earliest claim first. */
    private static List<DesiredBinding> otherBindings(DesiredBinding binding, PlanningContext ctx) {
        return ctx.bindingsOf(binding.domain()).stream()
                .filter(b -> !b.key().equals(binding.key()) && isManaged(b) && !b.deleting())
                .sorted(BINDING_CLAIM_ORDER)
                .toList();
    }

    /** Whether a read domain's IPs differ from its pool's: Mailgun is still relinking it. */
    private static boolean ipsDiffer(ObservedDomain domain, ObservedPool pool) {
        return domain.ips() != null && !canonicalSet(domain.ips()).equals(canonicalSet(pool.ips()));
    }

    private static boolean isManaged(DesiredBinding binding) {
        return binding.policy() != ManagementPolicy.OBSERVE;
    }

    /** A new binding would move a domain another pool holds: it waits for spec.adoption. */
    private static Plan wouldMove(DesiredBinding binding, ObservedDomain domain, String change) {
        return new Plan(
                domain.linkedPoolId(),
                List.of(),
                List.of(),
                List.of(new Plan.Conflict("adopting domain " + domain.name() + " would " + change
                        + ". Point the binding at the pool the domain is linked to, or set spec.adoption:"
                        + " Overwrite to move it")),
                List.of(),
                false,
                Plan.State.ADOPTION_WOULD_CHANGE,
                List.of());
    }
}
