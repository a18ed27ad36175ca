package dev.ippools.mailgun.plan;

import java.time.Instant;
import java.util.Set;

/**
 * A DomainPoolBinding as the planner sees it. {@code replacement} may be null.
 *
 * @param adoptsOnlyUnchanged the binding has not settled yet and spec.adoption is IfUnchanged: it
 *     may not move a domain that is linked to another pool (AdoptionWouldChange)
 */
public record DesiredBinding(
        ResourceKey key,
        Instant createdAt,
        String domain,
        Target target,
        ManagementPolicy policy,
        boolean deleting,
        OnDelete onDelete,
        Replacement replacement,
        boolean adoptsOnlyUnchanged) {

    /** A binding that may move its domain (settled, or spec.adoption Overwrite). */
    public DesiredBinding(
            ResourceKey key,
            Instant createdAt,
            String domain,
            Target target,
            ManagementPolicy policy,
            boolean deleting,
            OnDelete onDelete,
            Replacement replacement) {
        this(key, createdAt, domain, target, policy, deleting, onDelete, replacement, false);
    }

    /** Exactly one of a pool in the same namespace, a foreign DIPP id, or an explicit IP set. */
    public sealed interface Target {
        record PoolRef(String name) implements Target {}

        record PoolId(String poolId) implements Target {}

        record Ips(Set<String> ips) implements Target {}
    }

    public enum OnDelete {
        UNLINK,
        ORPHAN,
        /** Mailgun's {@code all}: drops the domain's IP assignment. Destructive, opt-in only. */
        REMOVE_DOMAIN_POOL
    }
}
