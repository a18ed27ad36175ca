package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.mapping.DesiredMapper;
import dev.ippools.mailgun.plan.DesiredBinding;
import dev.ippools.mailgun.plan.DesiredPool;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
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
