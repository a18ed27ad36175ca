package dev.ippools.mailgun.account;

import dev.ippools.mailgun.plan.ResourceKey;
import java.util.Set;

/**
 * A resource that wants to be woken when parts of an account's state change.
 *
 * @param kind the custom resource kind, so two kinds with one name stay apart
 * @param poolIds pools whose list entry, IPs or delegations matter to it
 * @param ips addresses whose holder or eligibility matters to it
 * @param domains domains whose observed IPs or link matter to it
 * @param anyChange wake on every change of the account (the resource is waiting on something)
 */
public record Watcher(
        String kind, ResourceKey key, Set<String> poolIds, Set<String> ips, Set<String> domains, boolean anyChange) {

    /** What changed between two observations of an account. */
    public record Change(Set<String> poolIds, Set<String> ips, Set<String> domains) {
        public boolean isEmpty() {
            return poolIds.isEmpty() && ips.isEmpty() && domains.isEmpty();
        }
    }
}
