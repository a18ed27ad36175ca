package dev.ippools.mailgun.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * An informer store that drops {@code metadata.managedFields} from what it keeps. Server-side
 * apply records every field manager's fields as nested maps; at thousands of resources they were
 * the largest part of the informer caches, and nothing here reads them (status writes apply a
 * fresh object, other writes read the latest version from the API server).
 */
final class LeanItemStore<R extends HasMetadata> extends BasicItemStore<R> {

    LeanItemStore() {
        super(Cache::metaNamespaceKeyFunc);
    }

    /**
     * Whether one store serves the informer: JOSDK hands the same store to the informer of each
     * watched namespace, and one namespace's relist would then drop the others' resources. All
     * namespaces (empty or JOSDK's all-namespaces marker) or a single one are safe.
     */
    static boolean fits(java.util.Collection<String> namespaces) {
        return namespaces == null || namespaces.size() <= 1;
    }

    @Override
    public R put(String key, R resource) {
        if (resource.getMetadata() != null) {
            resource.getMetadata().setManagedFields(null);
        }
        return super.put(key, resource);
    }
}
