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

    /** What plans see of a sibling: its spec and its planner record (null without a spec). */
    record PlanView(Object spec, Object record) {}

    /**
     * What plans see of a sibling: its spec and its planner record, which carries the status fields
     * plans read and the deletion. An update that leaves this equal wakes nobody: at scale, each
     * binding's status writes woke its pool's reconcile and each pool's its bindings', most of the
     * reconciles of a first convergence.
     */
    static PlanView planView(HasMetadata resource) {
        if (resource instanceof IpPool p) {
            return new PlanView(p.getSpec(), DesiredMapper.pool(p));
        }
        if (resource instanceof DomainPoolBinding b) {
            return new PlanView(b.getSpec(), b.getSpec() == null ? null : DesiredMapper.binding(b));
        }
        throw new IllegalArgumentException("not a sibling kind: " + resource.getKind());
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
