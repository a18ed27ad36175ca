package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.mapping.DesiredMapper;
import dev.ippools.mailgun.plan.DesiredBinding;
import dev.ippools.mailgun.plan.DesiredPool;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Mapped planner records by resource uid and resourceVersion. Every plan looks at all siblings of
 * an account, so without this each reconcile would map every resource again.
 */
final class DesiredCache {

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final String ownerId;

    DesiredCache(String ownerId) {
        this.ownerId = ownerId;
    }

    DesiredPool pool(IpPool pool) {
        return (DesiredPool) get(pool, r -> DesiredMapper.pool((IpPool) r).withOwnerId(ownerId));
    }

    DesiredBinding binding(DomainPoolBinding binding) {
        return (DesiredBinding) get(binding, r -> DesiredMapper.binding((DomainPoolBinding) r));
    }

    /**
     * Whether an update of a sibling changes what plans see of it: its spec or its planner record
     * (which carries the status fields plans read, and the deletion). A status write that changes
     * neither wakes nobody: at scale, each binding's status writes woke its pool's reconcile and
     * each pool's its bindings', most of the reconciles of a first convergence.
     */
    static boolean changesPlans(HasMetadata newer, HasMetadata older) {
        if (newer instanceof IpPool n && older instanceof IpPool o) {
            return !Objects.equals(n.getSpec(), o.getSpec())
                    || !DesiredMapper.pool(n).equals(DesiredMapper.pool(o));
        }
        if (newer instanceof DomainPoolBinding n && older instanceof DomainPoolBinding o) {
            return n.getSpec() == null
                    || !n.getSpec().equals(o.getSpec())
                    || !DesiredMapper.binding(n).equals(DesiredMapper.binding(o));
        }
        return true;
    }

    void forget(HasMetadata resource) {
        if (resource.getMetadata().getUid() != null) {
            entries.remove(resource.getMetadata().getUid());
        }
    }

    private Object get(HasMetadata r, Function<HasMetadata, Object> mapper) {
        String uid = r.getMetadata().getUid();
        String version = r.getMetadata().getResourceVersion();
        if (uid == null || version == null) {
            return mapper.apply(r);
        }
        Entry e = entries.get(uid);
        if (e != null && e.version().equals(version)) {
            return e.value();
        }
        Object value = mapper.apply(r);
        entries.put(uid, new Entry(version, value));
        return value;
    }

    private record Entry(String version, Object value) {}
}
