package dev.ippools.mailgun.plan;

import java.time.Instant;
import java.util.Set;

/**
 * An IpPool as the planner sees it.
 *
 * @param uid the resource's metadata.uid, stamped into the Mailgun description as ownership marker
 * @param adoptPoolId spec.poolId: adopt this existing DIPP instead of creating one (null: none)
 * @param recordedPoolId the pool id the operator recorded earlier (annotation or status), or null
 * @param replacement what linked domains move to when the pool is deleted, or null
 * @param sharedWithNamespaces other namespaces whose resources may link domains to this pool
 *     ({@code *}: all); see {@link Ownership}
 * @param warmup spec.warmup: whether the operator starts warm-ups of listed IPs
 * @param warmupsStarted IPs whose warm-up the operator started (recorded before each start, so
 *     none is started twice)
 * @param adoption whether adopting {@code adoptPoolId} may change the pool
 * @param ownerId the planning operator's owner id, stamped into markers (null: none)
 * @param handOverFrom the owner id whose marked pool this IpPool may take over by {@code
 *     spec.poolId} (the hand-over annotation), or null
 */
public record DesiredPool(
        ResourceKey key,
        String uid,
        Instant createdAt,
        String name,
        String description,
        Set<String> ips,
        Set<String> delegatedTo,
        String adoptPoolId,
        String recordedPoolId,
        ManagementPolicy policy,
        boolean deleting,
        DeletionPolicy deletionPolicy,
        Replacement replacement,
        Set<String> sharedWithNamespaces,
        WarmupPolicy warmup,
        Set<String> warmupsStarted,
        Adoption adoption,
        String ownerId,
        String handOverFrom) {

    public DesiredPool {
        sharedWithNamespaces = sharedWithNamespaces == null ? Set.of() : Set.copyOf(sharedWithNamespaces);
        warmup = warmup == null ? WarmupPolicy.WAIT : warmup;
        warmupsStarted = warmupsStarted == null ? Set.of() : Set.copyOf(warmupsStarted);
        adoption = adoption == null ? Adoption.IF_UNCHANGED : adoption;
    }

    /** A pool that starts no warm-up and adopts only what it would not change. */
    public DesiredPool(
            ResourceKey key,
            String uid,
            Instant createdAt,
            String name,
            String description,
            Set<String> ips,
            Set<String> delegatedTo,
            String adoptPoolId,
            String recordedPoolId,
            ManagementPolicy policy,
            boolean deleting,
            DeletionPolicy deletionPolicy,
            Replacement replacement,
            Set<String> sharedWithNamespaces) {
        this(
                key,
                uid,
                createdAt,
                name,
                description,
                ips,
                delegatedTo,
                adoptPoolId,
                recordedPoolId,
                policy,
                deleting,
                deletionPolicy,
                replacement,
                sharedWithNamespaces,
                null,
                null,
                Adoption.IF_UNCHANGED,
                null,
                null);
    }

    /** A pool shared with no other namespace. */
    public DesiredPool(
            ResourceKey key,
            String uid,
            Instant createdAt,
            String name,
            String description,
            Set<String> ips,
            Set<String> delegatedTo,
            String adoptPoolId,
            String recordedPoolId,
            ManagementPolicy policy,
            boolean deleting,
            DeletionPolicy deletionPolicy,
            Replacement replacement) {
        this(
                key,
                uid,
                createdAt,
                name,
                description,
                ips,
                delegatedTo,
                adoptPoolId,
                recordedPoolId,
                policy,
                deleting,
                deletionPolicy,
                replacement,
                Set.of());
    }

    /** The same pool with the id the operator recorded for it. */
    public DesiredPool withRecordedPoolId(String poolId) {
        return new DesiredPool(
                key,
                uid,
                createdAt,
                name,
                description,
                ips,
                delegatedTo,
                adoptPoolId,
                poolId,
                policy,
                deleting,
                deletionPolicy,
                replacement,
                sharedWithNamespaces,
                warmup,
                warmupsStarted,
                adoption,
                ownerId,
                handOverFrom);
    }

    /** The same pool owned by another uid (the one a found pool's marker names). */
    public DesiredPool withUid(String ownerUid) {
        return new DesiredPool(
                key,
                ownerUid,
                createdAt,
                name,
                description,
                ips,
                delegatedTo,
                adoptPoolId,
                recordedPoolId,
                policy,
                deleting,
                deletionPolicy,
                replacement,
                sharedWithNamespaces,
                warmup,
                warmupsStarted,
                adoption,
                ownerId,
                handOverFrom);
    }

    /** The same pool with the warm-ups it recorded as started by it. */
    public DesiredPool withWarmupsStarted(Set<String> started) {
        return new DesiredPool(
                key,
                uid,
                createdAt,
                name,
                description,
                ips,
                delegatedTo,
                adoptPoolId,
                recordedPoolId,
                policy,
                deleting,
                deletionPolicy,
                replacement,
                sharedWithNamespaces,
                warmup,
                started,
                adoption,
                ownerId,
                handOverFrom);
    }

    /** The same pool planned by the operator whose owner id is {@code id} (null: none). */
    public DesiredPool withOwnerId(String id) {
        return new DesiredPool(
                key,
                uid,
                createdAt,
                name,
                description,
                ips,
                delegatedTo,
                adoptPoolId,
                recordedPoolId,
                policy,
                deleting,
                deletionPolicy,
                replacement,
                sharedWithNamespaces,
                warmup,
                warmupsStarted,
                adoption,
                id,
                handOverFrom);
    }

    /** spec.warmup: Wait (default) leaves warm-ups to people; Start starts them for listed IPs. */
    public enum WarmupPolicy {
        WAIT,
        START
    }

    /**
     * Whether adopting a pool by {@code spec.poolId} may change it: IF_UNCHANGED stops before the
     * first write that would (AdoptionWouldChange), OVERWRITE makes Mailgun match the spec.
     */
    public enum Adoption {
        IF_UNCHANGED,
        OVERWRITE
    }

    public enum DeletionPolicy {
        DELETE,
        ORPHAN
    }
}
