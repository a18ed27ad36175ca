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

    /**
     * An account IP; {@code assignable} mirrors {@code assignable_to_pools}, {@code onWarmup} the
     * bulk read's {@code is_on_warmup}; {@code warmup} is the warm-up's progress when read (only
     * every so often, see {@code GET /v3/ip_warmups}), else null.
     */
    public record ObservedIp(
            String ip, boolean dedicated, boolean onWarmup, boolean assignable, ObservedWarmup warmup) {

        public ObservedIp(String ip, boolean dedicated, boolean onWarmup, boolean assignable) {
            this(ip, dedicated, onWarmup, assignable, null);
        }

        /**
         * Neither warm nor warming as far as Mailgun's bulk read tells: a dedicated IP that is not on
         * warmup, yet not assignable to pools, and in no pool (a new IP, or one whose warm-up was
         * cancelled; an IP of a Dynamic IP Pool looks the same).
         */
        public boolean cold(boolean inAPool) {
            return dedicated && !onWarmup && !assignable && !inAPool;
        }
    }

    /**
     * A warm-up's progress as Mailgun reports it; any field may be null. Mailgun reports no
     * expected end, only stages and their dates.
     */
    public record ObservedWarmup(
            Integer stage,
            Integer totalStages,
            String sentWithinStage,
            java.time.Instant stageStartedAt,
            java.time.Instant planStartedAt) {}

    /**
     * A sending domain's current IPs (null: not read) and the DIPP linked to it (null: none, or none
     * of the pools read: a pool's domain list tells that the domain is not in it, not where it is).
     */
    public record ObservedDomain(String name, Set<String> ips, String linkedPoolId) {}
}
