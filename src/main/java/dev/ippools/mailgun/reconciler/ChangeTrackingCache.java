package dev.ippools.mailgun.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.health.InformerWrappingEventSourceHealthIndicator;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * An informer's cache that tells its readers which resources changed since they last looked, so
 * a reader keeping something derived from thousands of resources updates only those instead of
 * listing them all on every reconcile. Both controllers read each other's primary informer
 * through it, instead of keeping a second informer of the other kind.
 */
final class ChangeTrackingCache<R extends HasMetadata> {

    static final String CHANGES_INDEX = "mailgun.ippools.dev/changes";

    private final IndexerResourceCache<R> cache;
    private final List<Set<ResourceID>> readers = new CopyOnWriteArrayList<>();
    private final List<Consumer<ResourceID>> listeners = new CopyOnWriteArrayList<>();

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
            for (Consumer<ResourceID> listener : listeners) {
                listener.accept(id);
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

    /** Called on the informer's thread with each resource that changed, after the store has it. */
    void onChange(Consumer<ResourceID> listener) {
        listeners.add(listener);
    }

    /** Whether the informer has listed everything (of every namespace it watches). */
    boolean synced() {
        if (cache instanceof InformerWrappingEventSourceHealthIndicator<?> informer) {
            var informers = informer.informerHealthIndicators().values();
            return !informers.isEmpty() && informers.stream().allMatch(InformerHealthIndicator::hasSynced);
        }
        return true;
    }

    Optional<R> get(ResourceID id) {
        return cache.get(id);
    }

    Stream<R> list() {
        return cache.list();
    }
}
