package dev.ippools.mailgun.preview;

import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.mapping.DesiredMapper;
import dev.ippools.mailgun.preview.ResourcePlan.Action;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cluster as {@code kubectl apply} of the manifests would leave it: the manifests keep the
 * uid, creation time, pool id annotations and status of the objects they replace, and the objects
 * of the given namespaces that no manifest names are being deleted.
 */
public final class ClusterMerge {

    private ClusterMerge() {}

    /** The IpPools and DomainPoolBindings a cluster holds, in every namespace. */
    public record Cluster(List<IpPool> pools, List<DomainPoolBinding> bindings) {
        static final Cluster EMPTY = new Cluster(List.of(), List.of());

        /** Lists both kinds in every namespace, as the operator's informers see them. */
        public static Cluster read(KubernetesClient kube) {
            return new Cluster(
                    kube.resources(IpPool.class).inAnyNamespace().list().getItems(),
                    kube.resources(DomainPoolBinding.class)
                            .inAnyNamespace()
                            .list()
                            .getItems());
        }
    }

    /**
     * The cluster after a merge.
     *
     * @param namespaces where objects without a manifest are deleted by the merge
     * @param now when the merge happens: deletions are stamped with it, and new objects are created
     *     after every existing one, in manifest order
     */
    public static List<ClusterPreview.Subject> merge(
            ManifestSet manifests, Cluster cluster, Set<String> namespaces, Instant now) {
        Map<String, HasMetadata> live = new LinkedHashMap<>();
        Instant latest = now;
        List<HasMetadata> objects = new ArrayList<>(cluster.pools());
        cluster.bindings().stream().filter(b -> b.getSpec() != null).forEach(objects::add);
        // the API server lists in no promised order; dropped objects are reported by name
        objects.sort(Comparator.comparing(DesiredMapper::key));
        for (HasMetadata o : objects) {
            live.put(kind(o) + " " + DesiredMapper.key(o), o);
            String created = o.getMetadata().getCreationTimestamp();
            if (created != null && Instant.parse(created).isAfter(latest)) {
                latest = Instant.parse(created);
            }
        }
        List<ClusterPreview.Subject> out = new ArrayList<>();
        int order = 0;
        for (Manifest m : manifests.manifests()) {
            HasMetadata existing = live.remove(m.kind() + " " + m.key());
            if (!m.valid()) {
                Action action = existing == null ? Action.CREATE : Action.UPDATE;
                out.add(new ClusterPreview.Subject(m, action, true));
                continue;
            }
            HasMetadata r = ManifestReader.SERIALIZATION.clone(m.resource());
            Action action = null;
            if (existing == null) {
                r.getMetadata().setCreationTimestamp(latest.plusSeconds(++order).toString());
                action = Action.CREATE;
            } else {
                keepRecords(r, existing);
                action = r.getMetadata().getDeletionTimestamp() != null ? Action.DELETE : null;
            }
            Manifest merged = new Manifest(m.kind(), m.key(), m.source(), r, List.of());
            out.add(new ClusterPreview.Subject(merged, action, true));
        }
        for (HasMetadata o : live.values()) {
            HasMetadata r = ManifestReader.SERIALIZATION.clone(o);
            boolean dropped = namespaces.contains(r.getMetadata().getNamespace());
            if (dropped && r.getMetadata().getDeletionTimestamp() == null) {
                r.getMetadata().setDeletionTimestamp(now.toString());
            }
            Manifest m = new Manifest(kind(o), DesiredMapper.key(o), ResourcePlan.CLUSTER, r, List.of());
            out.add(new ClusterPreview.Subject(m, dropped ? Action.DELETE : null, dropped));
        }
        return out;
    }

    /** What the API server and the operator keep when a manifest is applied over an object. */
    private static void keepRecords(HasMetadata applied, HasMetadata existing) {
        var meta = applied.getMetadata();
        var old = existing.getMetadata();
        meta.setUid(old.getUid());
        meta.setCreationTimestamp(old.getCreationTimestamp());
        meta.setResourceVersion(old.getResourceVersion());
        meta.setDeletionTimestamp(old.getDeletionTimestamp());
        Map<String, String> annotations = new LinkedHashMap<>();
        if (old.getAnnotations() != null) {
            annotations.putAll(old.getAnnotations());
        }
        if (meta.getAnnotations() != null) {
            annotations.putAll(meta.getAnnotations());
        }
        meta.setAnnotations(annotations);
        if (applied instanceof IpPool p && existing instanceof IpPool e) {
            p.setStatus(e.getStatus());
        } else if (applied instanceof DomainPoolBinding b && existing instanceof DomainPoolBinding e) {
            b.setStatus(e.getStatus());
        }
    }

    private static String kind(HasMetadata r) {
        return r instanceof IpPool ? Manifest.IP_POOL : Manifest.DOMAIN_POOL_BINDING;
    }
}
