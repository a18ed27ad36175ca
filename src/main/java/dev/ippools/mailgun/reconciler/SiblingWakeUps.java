package dev.ippools.mailgun.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the resources of one kind when a resource of the other kind changes what their plans see
 * of it (its spec or its planner record), read from the other controller's own informer. A second
 * informer of each kind, one per controller, decoded every watch event twice and held a second
 * cache of thousands of resources; a status write that changes nothing plans see wakes nobody.
 *
 * @param <O> the other kind
 * @param <P> the kind this source wakes
 */
final class SiblingWakeUps<O extends HasMetadata, P extends HasMetadata> extends SimpleInboundEventSource<P> {

    private static final Logger log = LoggerFactory.getLogger(SiblingWakeUps.class);
    private static final Duration POLL = Duration.ofMillis(50);

    private final Supplier<ChangeTrackingCache<O>> other;
    private final Function<O, Object> view;
    private final BiFunction<ResourceID, Object, Set<ResourceID>> wakes;
    private final Duration syncTimeout;
    // What plans saw of each resource of the other kind when it last changed.
    private final Map<ResourceID, Object> seen = new ConcurrentHashMap<>();
    private final Set<ResourceID> pending = ConcurrentHashMap.newKeySet();
    private volatile ChangeTrackingCache<O> cache;
    private volatile ExecutorService worker;

    /**
     * @param other the other controller's informer cache (null until that controller prepared it)
     * @param view what plans see of a resource of the other kind; compared with equals
     * @param wakes the resources of this kind to wake for a resource of the other kind (its id and
     *     a view of it, before or after the change)
     * @param syncTimeout how long to wait for the other controller's informer to list everything
     */
    SiblingWakeUps(
            String name,
            Supplier<ChangeTrackingCache<O>> other,
            Function<O, Object> view,
            BiFunction<ResourceID, Object, Set<ResourceID>> wakes,
            Duration syncTimeout) {
        super(name);
        this.other = other;
        this.view = view;
        this.wakes = wakes;
        this.syncTimeout = syncTimeout;
    }

    /** Waits for the other controller's informer: plans must see every sibling from the first one. */
    @Override
    public void start() throws OperatorException {
        Instant giveUp = Instant.now().plus(syncTimeout);
        ChangeTrackingCache<O> c = other.get();
        while (c == null || !c.synced()) {
            if (Instant.now().isAfter(giveUp)) {
                throw new OperatorException(name() + ": the informer of the other kind did not sync within "
                        + syncTimeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OperatorException(name() + ": interrupted while waiting for the other informer", e);
            }
            c = other.get();
        }
        cache = c;
        worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name());
            t.setDaemon(true);
            return t;
        });
        c.onChange(this::changed);
        // Everything is reconciled once at start: what is listed now wakes nobody.
        c.list().forEach(o -> seen.putIfAbsent(ResourceID.fromResource(o), view.apply(o)));
        super.start();
    }

    @Override
    public void stop() throws OperatorException {
        super.stop();
        ExecutorService w = worker;
        if (w != null) {
            w.shutdownNow();
        }
    }

    // On the informer's thread: only noted here, compared on the worker.
    private void changed(ResourceID id) {
        ExecutorService w = worker;
        if (pending.add(id) && w != null) {
            try {
                w.execute(this::drain);
            } catch (RejectedExecutionException stopped) {
                // stopping: nothing to wake any more
            }
        }
    }

    private void drain() {
        for (Iterator<ResourceID> it = pending.iterator(); it.hasNext(); ) {
            ResourceID id = it.next();
            it.remove();
            try {
                compare(id);
            } catch (RuntimeException e) {
                // One resource that cannot be mapped must not stop the wake-ups of the rest.
                log.warn("{}: comparing {} failed: {}", name(), id, e.toString());
            }
        }
    }

    private void compare(ResourceID id) {
        Object before = seen.get(id);
        Object after = cache.get(id).map(view).orElse(null);
        if (after == null) {
            seen.remove(id);
        } else {
            seen.put(id, after);
        }
        if (Objects.equals(before, after)) {
            return;
        }
        Set<ResourceID> woken = new HashSet<>();
        if (before != null) {
            woken.addAll(wakes.apply(id, before));
        }
        if (after != null) {
            woken.addAll(wakes.apply(id, after));
        }
        woken.forEach(this::propagateEvent);
    }
}
