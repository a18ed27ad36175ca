package dev.ippools.mailgun.preview;

import dev.ippools.mailgun.account.AccountState;
import dev.ippools.mailgun.api.v1alpha1.AccountReference;
import dev.ippools.mailgun.mapping.KindRules;
import dev.ippools.mailgun.mapping.ObservedMapper;
import dev.ippools.mailgun.plan.DesiredPool;
import dev.ippools.mailgun.plan.IpAddresses;
import dev.ippools.mailgun.plan.ObservedAccount;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedDomain;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import dev.ippools.mailgun.plan.OwnershipMarker;
import dev.ippools.mailgun.plan.Plan;
import dev.ippools.mailgun.plan.ResourceKey;
import dev.ippools.mailgun.plan.Warmups;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules a preview adds to the operator's, because manifests have not been applied yet; {@link
 * ClusterPreview} plans with them, with or without a cluster.
 *
 * <ul>
 *   <li>A manifest has no recorded pool id. Without {@code --cluster}, a Mailgun pool whose
 *       description carries the operator's ownership marker and whose name is the IpPool's Mailgun
 *       name is taken as the pool the operator recorded for it when it created it (not for IpPools
 *       with {@code spec.poolId}, and not for inherited pools).
 *   <li>Bindings are planned after the pools, against the account as it would be once the pools'
 *       steps ran: a binding to a pool this plan creates links to a placeholder id ({@link
 *       #placeholderPoolId}) instead of waiting for the pool, and a domain linked to a pool whose
 *       IPs change gets a note that Mailgun will move it, instead of looking stuck in relinking.
 * </ul>
 */
public final class Preview {

    private static final String NEW_POOL_PREFIX = "new-pool:";

    private Preview() {}

    /** The id standing in for the pool this plan creates for an IpPool, until Mailgun assigns one. */
    public static String placeholderPoolId(ResourceKey pool) {
        return NEW_POOL_PREFIX + pool.namespace() + "/" + pool.name();
    }

    /**
     * The stage of each warm-up a pool waits for, so the plan can say how far it is. Read fresh
     * (a plan runs once); a failed read only leaves the stage out.
     */
    static void readWarmupProgress(AccountState account, List<DesiredPool> pools) {
        ObservedAccount observed = ObservedMapper.observed(account);
        if (pools.stream().anyMatch(p -> Warmups.waitsForWarmup(p, observed))) {
            account.refreshWarmupsIfOlderThan(Instant.MAX);
        }
    }

    /**
     * The IpPools as the operator would have recorded them: each without a pool id takes the pool
     * the operator created for it (see {@link #createdByOperator}), at most one IpPool per pool.
     */
    static Map<ResourceKey, DesiredPool> withCreatedPools(
            Map<ResourceKey, DesiredPool> pools, ObservedAccount observed) {
        Set<String> taken = new HashSet<>();
        for (DesiredPool p : pools.values()) {
            if (p.recordedPoolId() != null) {
                taken.add(p.recordedPoolId());
            }
            if (p.adoptPoolId() != null) {
                taken.add(p.adoptPoolId());
            }
        }
        Map<ResourceKey, DesiredPool> out = new LinkedHashMap<>();
        for (DesiredPool p : pools.values()) {
            Optional<ObservedPool> created = p.recordedPoolId() != null || p.adoptPoolId() != null
                    ? Optional.empty()
                    : createdByOperator(p, observed, taken);
            created.ifPresent(c -> taken.add(c.id()));
            out.put(p.key(), created.map(c -> asRecorded(p, c)).orElse(p));
        }
        return out;
    }

    /** A pool the operator created under this name: its marker and name say so. Lowest id first. */
    private static Optional<ObservedPool> createdByOperator(
            DesiredPool pool, ObservedAccount observed, Set<String> taken) {
        if (observed.pools() == null || pool.name() == null) {
            return Optional.empty();
        }
        return observed.pools().values().stream()
                .filter(o ->
                        !o.inherited() && !taken.contains(o.id()) && pool.name().equals(o.name()))
                .filter(o -> OwnershipMarker.ownerUid(o.description()).isPresent())
                .min(Comparator.comparing(ObservedPool::id));
    }

    /** As if the operator had recorded the pool's id, with the uid it stamped into the marker. */
    private static DesiredPool asRecorded(DesiredPool p, ObservedPool created) {
        String uid = OwnershipMarker.ownerUid(created.description()).orElse(p.uid());
        return p.withRecordedPoolId(created.id()).withUid(uid);
    }

    /**
     * A note per domain (by lowercase name) whose linked pool's IPs differ between {@code before}
     * and {@code after}: Mailgun relinks such a domain by itself, with no binding step.
     */
    static Map<String, String> movedDomains(ObservedAccount before, ObservedAccount after) {
        Map<String, String> moved = new HashMap<>();
        for (ObservedDomain d : before.domains().values()) {
            ObservedPool was = d.linkedPoolId() == null ? null : before.pools().get(d.linkedPoolId());
            ObservedPool is = d.linkedPoolId() == null ? null : after.pools().get(d.linkedPoolId());
            if (was != null && is != null && !was.ips().equals(is.ips())) {
                moved.put(
                        d.name().toLowerCase(Locale.ROOT),
                        "the pool changes above move domain " + d.name() + " to the pool's IPs " + sorted(is.ips()));
            }
        }
        return moved;
    }

    private static List<String> sorted(Set<String> ips) {
        return ips.stream().sorted(IpAddresses.ORDER).toList();
    }

    static Plan invalid(Manifest m) {
        return Plan.of(Plan.State.INVALID, null).withProblems(m.problems());
    }

    /** A note when the resource's {@code spec.accountRef} names another Secret than the given. */
    static Plan plannedAgainstGiven(Manifest m, Plan plan, String accountSecretName) {
        AccountReference ref = m.resource() == null ? null : KindRules.accountRef(m.resource());
        if (ref != null && ref.secretName() != null && !ref.secretName().equals(accountSecretName)) {
            return plan.withNote("spec.accountRef names Secret " + ref.secretName()
                    + "; planned against the account given to the plan command");
        }
        return plan;
    }

    /**
     * Pools whose linked domains were all read are linked exactly while a domain still uses them:
     * Mailgun's is_linked flag turns false once the dropped bindings' unlinks ran.
     */
    static ObservedAccount relinked(ObservedAccount account, Set<String> fullyLinked) {
        Map<String, ObservedPool> pools = new LinkedHashMap<>(account.pools());
        for (String id : fullyLinked) {
            ObservedPool p = pools.get(id);
            if (p == null) {
                continue;
            }
            Set<String> domains = new TreeSet<>();
            for (ObservedDomain d : account.domains().values()) {
                if (id.equals(d.linkedPoolId())) {
                    domains.add(d.name());
                }
            }
            pools.put(
                    id,
                    new ObservedPool(
                            p.id(), p.name(), p.description(), p.ips(), p.inherited(), !domains.isEmpty(), domains));
        }
        return new ObservedAccount(
                pools,
                account.ips(),
                account.dippsEnabled(),
                account.delegations(),
                account.domains(),
                account.delegationsPropagating());
    }
}
