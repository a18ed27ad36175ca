package dev.ippools.mailgun.plan;

import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import dev.ippools.mailgun.plan.Plan.Problem;
import dev.ippools.mailgun.plan.Plan.Wait;
import java.util.Optional;

/**
 * Turns a {@link Replacement} into the {@code ip} / {@code pool_id} parameter Mailgun takes when a
 * pool is deleted or a domain unlinked, or says why it cannot be used yet.
 */
final class Replacements {

    /** Exactly one of the two parameters, or a wait, or a problem. */
    record Resolved(String ip, String poolId, Wait waitFor, Problem problem) {
        static Resolved ip(String ip) {
            return new Resolved(ip, null, null, null);
        }

        static Resolved pool(String poolId) {
            return new Resolved(null, poolId, null, null);
        }

        static Resolved waitFor(String on, String message) {
            return new Resolved(null, null, new Wait(on, message), null);
        }

        static Resolved invalid(String field, String message) {
            return new Resolved(null, null, null, new Problem(field, message));
        }
    }

    private Replacements() {}

    /**
     * @param namespace where a poolRef is looked up
     * @param replacedPoolId the pool the domains leave; the replacement must differ from it
     * @param ipOutsideOtherPools Mailgun's delete-pool rule: a replacement IP may be in no other pool
     *     than the one being deleted
     */
    static Resolved resolve(
            Replacement replacement,
            String namespace,
            String replacedPoolId,
            PlanningContext ctx,
            boolean ipOutsideOtherPools) {
        if (replacement instanceof Replacement.Ip ip) {
            if (ip.shared()) {
                return Resolved.ip(SpecValidator.SHARED);
            }
            Optional<Problem> problem = SpecValidator.checkReplacementIp(ip.ip(), ctx);
            if (problem.isPresent()) {
                return new Resolved(null, null, null, problem.get());
            }
            if (ipOutsideOtherPools) {
                Optional<ObservedPool> holder = ctx.poolHolding(ip.ip()).filter(p -> !p.id().equals(replacedPoolId));
                if (holder.isPresent()) {
                    return Resolved.waitFor(
                            holder.get().id(),
                            "replacement IP "
                                    + ip.ip()
                                    + " is in pool "
                                    + holder.get().id()
                                    + "; Mailgun needs a replacement IP that is in no other pool");
                }
            }
            return Resolved.ip(ctx.spelling(ip.ip()));
        }
        if (replacement instanceof Replacement.PoolId id) {
            if (id.poolId().equals(replacedPoolId)) {
                return Resolved.invalid("spec.replacement.poolId", "must name another pool than " + replacedPoolId);
            }
            ObservedPool pool = ctx.account().pools().get(id.poolId());
            if (pool == null) {
                return Resolved.invalid(
                        "spec.replacement.poolId", "pool " + id.poolId() + " not found on the Mailgun account");
            }
            if (pool.ips().isEmpty()) {
                return Resolved.waitFor(
                        pool.id(),
                        "replacement pool "
                                + pool.id()
                                + " has no IPs yet; Mailgun only moves domains to a"
                                + " pool that holds IPs");
            }
            return Resolved.pool(pool.id());
        }
        Replacement.PoolRef ref = (Replacement.PoolRef) replacement;
        ResourceKey key = new ResourceKey(namespace, ref.name());
        Optional<DesiredPool> sibling = ctx.pool(namespace, ref.name());
        if (sibling.isEmpty()) {
            return Resolved.waitFor(key.toString(), "replacement IpPool " + key + " does not exist");
        }
        Optional<ObservedPool> pool = ctx.ownedPool(sibling.get());
        if (pool.isEmpty()) {
            return Resolved.waitFor(key.toString(), "replacement IpPool " + key + " has no Mailgun pool yet");
        }
        if (pool.get().id().equals(replacedPoolId)) {
            return Resolved.invalid(
                    "spec.replacement.poolRef.name",
                    "IpPool " + key + " manages pool " + replacedPoolId + ", the one being replaced");
        }
        if (pool.get().ips().isEmpty()) {
            return Resolved.waitFor(
                    key.toString(),
                    "replacement IpPool "
                            + key
                            + " has no IPs yet; Mailgun only moves domains to a pool"
                            + " that holds IPs");
        }
        return Resolved.pool(pool.get().id());
    }
}
