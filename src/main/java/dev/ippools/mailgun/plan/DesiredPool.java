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
    Set<String> warmupsStarted) {

  public DesiredPool {
    sharedWithNamespaces =
        sharedWithNamespaces == null ? Set.of() : Set.copyOf(sharedWithNamespaces);
    warmup = warmup == null ? WarmupPolicy.WAIT : warmup;
    warmupsStarted = warmupsStarted == null ? Set.of() : Set.copyOf(warmupsStarted);
  }

  /** A pool that starts no warm-up. */
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
    this(key, uid, createdAt, name, description, ips, delegatedTo, adoptPoolId, recordedPoolId,
        policy, deleting, deletionPolicy, replacement, sharedWithNamespaces, null, null);
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
    this(key, uid, createdAt, name, description, ips, delegatedTo, adoptPoolId, recordedPoolId,
        policy, deleting, deletionPolicy, replacement, Set.of());
  }

  /** The same pool with the id the operator recorded for it. */
  public DesiredPool withRecordedPoolId(String poolId) {
    return new DesiredPool(key, uid, createdAt, name, description, ips, delegatedTo, adoptPoolId,
        poolId, policy, deleting, deletionPolicy, replacement, sharedWithNamespaces, warmup,
        warmupsStarted);
  }

  /** The same pool owned by another uid (the one a found pool's marker names). */
  public DesiredPool withUid(String ownerUid) {
    return new DesiredPool(key, ownerUid, createdAt, name, description, ips, delegatedTo,
        adoptPoolId, recordedPoolId, policy, deleting, deletionPolicy, replacement,
        sharedWithNamespaces, warmup, warmupsStarted);
  }

  /** The same pool with the warm-ups it recorded as started by it. */
  public DesiredPool withWarmupsStarted(Set<String> started) {
    return new DesiredPool(key, uid, createdAt, name, description, ips, delegatedTo, adoptPoolId,
        recordedPoolId, policy, deleting, deletionPolicy, replacement, sharedWithNamespaces,
        warmup, started);
  }

  /** spec.warmup: Wait (default) leaves warm-ups to people; Start starts them for listed IPs. */
  public enum WarmupPolicy {
    WAIT,
    START
  }

  public enum DeletionPolicy {
    DELETE,
    ORPHAN
  }
}
