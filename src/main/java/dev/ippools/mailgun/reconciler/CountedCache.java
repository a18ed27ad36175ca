package dev.ippools.mailgun.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * An informer's cache with a count of the changes stored in it, so a reader can tell that nothing
 * changed since it last listed thousands of resources without listing them again.
 */
final class CountedCache<R extends HasMetadata> {

    static final String CHANGES_INDEX = "mailgun.ippools.dev/changes";

    private final IndexerResourceCache<R> cache;
    private final AtomicLong changes = new AtomicLong();

    /** Call before the informer starts (in prepareEventSources). */
    CountedCache(IndexerResourceCache<R> cache) {
        this.cache = cache;
        // The informer's store applies index functions right after it stores an add, update or
        // delete (the old object's for a delete), so the count moves after the change is visible.
        cache.addIndexers(Map.of(CHANGES_INDEX, r -> {
            changes.incrementAndGet();
            return List.of();
        }));
    }

    /** Changes stored so far; read it before {@link #list}. */
    long changes() {
        return changes.get();
    }

    Stream<R> list() {
        return cache.list();
    }
}
