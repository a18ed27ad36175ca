package dev.ippools.mailgun.local;

import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ConditionTypes;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Optional;

/**
 * One line of the local mode's table: a resource's Ready and Synced conditions and its Mailgun
 * pool id (an IpPool's own, a binding's linked one). Absent values are empty strings.
 */
public record ResourceRow(String kind, String name, String ready, String reason, String synced, String poolId) {

    /** Names outside the default namespace carry their namespace, as {@code ns/name}. */
    public static ResourceRow of(IpPool pool) {
        List<Condition> conditions =
                pool.getStatus() == null ? null : pool.getStatus().conditions();
        String poolId = pool.getStatus() == null ? null : pool.getStatus().poolId();
        return row(pool, conditions, poolId);
    }

    public static ResourceRow of(DomainPoolBinding binding) {
        List<Condition> conditions =
                binding.getStatus() == null ? null : binding.getStatus().conditions();
        String poolId = binding.getStatus() == null ? null : binding.getStatus().linkedPoolId();
        return row(binding, conditions, poolId);
    }

    public boolean isReady() {
        return Conditions.TRUE.equals(ready);
    }

    private static ResourceRow row(HasMetadata r, List<Condition> conditions, String poolId) {
        Optional<Condition> ready = find(conditions, ConditionTypes.READY);
        Optional<Condition> synced = find(conditions, ConditionTypes.SYNCED);
        String namespace = r.getMetadata().getNamespace();
        String name = namespace == null || namespace.equals("default")
                ? r.getMetadata().getName()
                : namespace + "/" + r.getMetadata().getName();
        return new ResourceRow(
                r.getKind(),
                name,
                ready.map(Condition::getStatus).orElse(""),
                ready.map(Condition::getReason).orElse(""),
                synced.map(Condition::getStatus).orElse(""),
                poolId == null ? "" : poolId);
    }

    private static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty() : Conditions.find(conditions, type);
    }
}
