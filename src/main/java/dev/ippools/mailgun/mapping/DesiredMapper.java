package dev.ippools.mailgun.mapping;

import static dev.ippools.mailgun.api.v1alpha1.ManagementPolicy.OBSERVE;

import dev.ippools.mailgun.api.v1alpha1.Adoption;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants;
import dev.ippools.mailgun.api.v1alpha1.DeletionPolicy;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBindingSpec;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.api.v1alpha1.IpPoolSpec;
import dev.ippools.mailgun.api.v1alpha1.OnDelete;
import dev.ippools.mailgun.api.v1alpha1.PoolReplacement;
import dev.ippools.mailgun.api.v1alpha1.WarmupPolicy;
import dev.ippools.mailgun.plan.DesiredBinding;
import dev.ippools.mailgun.plan.DesiredPool;
import dev.ippools.mailgun.plan.ManagementPolicy;
import dev.ippools.mailgun.plan.Ownership;
import dev.ippools.mailgun.plan.Replacement;
import dev.ippools.mailgun.plan.ResourceKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Custom resources to the planner's plain records. */
public final class DesiredMapper {

    private DesiredMapper() {}

    public static ResourceKey key(HasMetadata r) {
        return new ResourceKey(r.getMetadata().getNamespace(), r.getMetadata().getName());
    }

    public static DesiredPool pool(IpPool pool) {
        IpPoolSpec spec = spec(pool);
        String description = spec.description() != null && !spec.description().isBlank()
                ? spec.description()
                : "Managed by Kubernetes IpPool " + key(pool);
        return new DesiredPool(
                key(pool),
                pool.getMetadata().getUid(),
                createdAt(pool),
                pool.mailgunPoolName(),
                description,
                set(spec.ips()),
                set(spec.delegatedTo()),
                spec.poolId(),
                PoolAnnotations.recordedPoolId(pool),
                policy(spec.effectiveManagementPolicy() == OBSERVE),
                deleting(pool),
                spec.effectiveDeletionPolicy() == DeletionPolicy.ORPHAN
                        ? DesiredPool.DeletionPolicy.ORPHAN
                        : DesiredPool.DeletionPolicy.DELETE,
                replacement(spec.replacement()),
                sharedWith(pool),
                spec.effectiveWarmup() == WarmupPolicy.START
                        ? DesiredPool.WarmupPolicy.START
                        : DesiredPool.WarmupPolicy.WAIT,
                PoolAnnotations.warmupsStarted(pool),
                spec.effectiveAdoption() == Adoption.OVERWRITE
                        ? DesiredPool.Adoption.OVERWRITE
                        : DesiredPool.Adoption.IF_UNCHANGED,
                null,
                handOverFrom(pool));
    }

    /** The hand-over annotation's owner id, or null when absent or blank. */
    private static String handOverFrom(IpPool pool) {
        Map<String, String> annotations = pool.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(Ownership.HAND_OVER_FROM);
        return value == null || value.isBlank() ? null : value.strip();
    }

    /**
     * The owner's consent for bindings of other namespaces (architecture §9): a comma-separated list.
     */
    private static Set<String> sharedWith(IpPool pool) {
        Map<String, String> annotations = pool.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(Ownership.SHARED_WITH);
        Set<String> out = new LinkedHashSet<>();
        if (value != null) {
            for (String ns : value.split(",")) {
                if (!ns.isBlank()) {
                    out.add(ns.trim());
                }
            }
        }
        return out;
    }

    public static DesiredBinding binding(DomainPoolBinding binding) {
        DomainPoolBindingSpec spec = binding.getSpec();
        DesiredBinding.Target target;
        if (spec.poolRef() != null) {
            target = new DesiredBinding.Target.PoolRef(spec.poolRef().name());
        } else if (spec.poolId() != null) {
            target = new DesiredBinding.Target.PoolId(spec.poolId());
        } else {
            target = new DesiredBinding.Target.Ips(set(spec.ips()));
        }
        return new DesiredBinding(
                key(binding),
                createdAt(binding),
                spec.domain(),
                target,
                policy(spec.effectiveManagementPolicy() == OBSERVE),
                deleting(binding),
                onDelete(spec.effectiveOnDelete()),
                replacement(spec.replacement()),
                spec.effectiveAdoption() == Adoption.IF_UNCHANGED && !settled(binding));
    }

    /**
     * Whether the binding has been past adoption: it has a Ready condition whose reason is neither
     * AdoptionWouldChange nor Progressing (written before a new resource's first reconcile).
     */
    private static boolean settled(DomainPoolBinding binding) {
        if (binding.getStatus() == null || binding.getStatus().conditions() == null) {
            return false;
        }
        return binding.getStatus().conditions().stream()
                .filter(c -> ApiConstants.ConditionTypes.READY.equals(c.getType()))
                .anyMatch(c -> !ApiConstants.ReadyReasons.ADOPTION_WOULD_CHANGE.equals(c.getReason())
                        && !"Progressing".equals(c.getReason()));
    }

    /** An IpPool without a spec is read as one with every field absent (the schema requires none). */
    private static IpPoolSpec spec(IpPool pool) {
        return pool.getSpec() != null
                ? pool.getSpec()
                : new IpPoolSpec(null, null, null, null, null, null, null, null, null);
    }

    private static DesiredBinding.OnDelete onDelete(OnDelete onDelete) {
        return switch (onDelete) {
            case ORPHAN -> DesiredBinding.OnDelete.ORPHAN;
            case REMOVE_DOMAIN_POOL -> DesiredBinding.OnDelete.REMOVE_DOMAIN_POOL;
            case UNLINK -> DesiredBinding.OnDelete.UNLINK;
        };
    }

    // The CRD's enum and the planner's share a name; the planner's is the one this class returns.
    private static ManagementPolicy policy(boolean observe) {
        return observe ? ManagementPolicy.OBSERVE : ManagementPolicy.MANAGE;
    }

    private static Replacement replacement(PoolReplacement r) {
        if (r == null) {
            return null;
        }
        if (r.poolRef() != null) {
            return new Replacement.PoolRef(r.poolRef().name());
        }
        if (r.poolId() != null) {
            return new Replacement.PoolId(r.poolId());
        }
        return r.ip() == null ? null : new Replacement.Ip(r.ip());
    }

    private static boolean deleting(HasMetadata r) {
        return r.getMetadata().getDeletionTimestamp() != null;
    }

    private static Instant createdAt(HasMetadata r) {
        String ts = r.getMetadata().getCreationTimestamp();
        return ts == null ? null : Instant.parse(ts);
    }

    private static Set<String> set(List<String> values) {
        return values == null ? Set.of() : new LinkedHashSet<>(values);
    }
}
