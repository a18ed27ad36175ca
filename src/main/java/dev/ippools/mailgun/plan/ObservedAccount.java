package dev.ippools.mailgun.plan;

import java.util.Map;
import java.util.Set;

/**
 * What the operator last read from one Mailgun account.
 *
 * @param pools every DIPP visible to the account, by pool id
 * @param ips every IP of the account ({@code GET /v3/ips}), by address
 * @param dippsEnabled whether the account has the DIPPs feature
 * @param delegations pool id to the subaccounts it is delegated to, counting delegations and
 *     revocations Mailgun accepted as made
 * @param domains the domains read so far, by name; a domain absent here has not been read
 * @param delegationsPropagating pool id to the subaccounts whose delegation or revocation Mailgun
 *     accepted but does not list yet
 */
public record ObservedAccount(
    Map<String, ObservedPool> pools,
    Map<String, ObservedIp> ips,
    boolean dippsEnabled,
    Map<String, Set<String>> delegations,
    Map<String, ObservedDomain> domains,
    Map<String, Set<String>> delegationsPropagating) {

  /** An account with no delegation change still propagating. */
  public ObservedAccount(
      Map<String, ObservedPool> pools,
      Map<String, ObservedIp> ips,
      boolean dippsEnabled,
      Map<String, Set<String>> delegations,
      Map<String, ObservedDomain> domains) {
    this(pools, ips, dippsEnabled, delegations, domains, Map.of());
  }

  /** A DIPP. {@code linkedDomains} is null when not read (only {@code linked} is known). */
  public record ObservedPool(
      String id,
      String name,
      String description,
      Set<String> ips,
      boolean inherited,
      boolean linked,
      Set<String> linkedDomains) {}

  /** An account IP; {@code assignable} mirrors {@code assignable_to_pools}. */
  public record ObservedIp(String ip, boolean dedicated, boolean onWarmup, boolean assignable) {}

  /**
   * A sending domain's current IPs (null: not read) and the DIPP linked to it (null: none, or none
   * of the pools read: a pool's domain list tells that the domain is not in it, not where it is).
   */
  public record ObservedDomain(String name, Set<String> ips, String linkedPoolId) {}
}
