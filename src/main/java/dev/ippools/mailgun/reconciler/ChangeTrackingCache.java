package dev.ippools.mailgun.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * An informer's cache that tells its readers which resources changed since they last looked, so
 * a reader keeping something derived from thousands of resources updates only those instead of
 * listing them all on every reconcile.
 */
final class ChangeTrackingCache<R extends HasMetadata> {

    static final String CHANGES_INDEX = "mailgun.ippools.dev/changes";

    private final IndexerResourceCache<R> cache;
    private final List<Set<ResourceID>> readers = new CopyOnWriteArrayList<>();

    /** Call before the informer starts (in prepareEventSources). */
    ChangeTrackingCache(IndexerResourceCache<R> cache) {
        this.cache = cache;
        // The informer's store applies index functions right after it stores an add, update or
        // delete (to the old object for a delete), so a change is visible once it is reported.
        cache.addIndexers(Map.of(CHANGES_INDEX, r -> {
            ResourceID id = ResourceID.fromResource(r);
            for (Set<ResourceID> changed : readers) {
                changed.add(id);
            }
            return List.of();
        }));
    }

    /** A new reader: it lists the cache once, then drains what changed since. */
    Set<ResourceID> newReader() {
        Set<ResourceID> changed = ConcurrentHashMap.newKeySet();
        readers.add(changed);
        return changed;
    }

    Optional<R> get(ResourceID id) {
        return cache.get(id);
    }

    Stream<R> list() {
        return cache.list();
    }
}
