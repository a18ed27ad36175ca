package dev.ippools.mailgun.account;

import dev.ippools.mailgun.account.Watcher.Change;
import dev.ippools.mailgun.plan.ResourceKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The resources of one account that want waking, one watcher per resource (kind and key). */
final class Watchers {

    private record KindAndKey(String kind, ResourceKey key) {}

    private final Map<KindAndKey, Watcher> byResource = new ConcurrentHashMap<>();

    /** Replaces what the resource watched before. */
    void watch(Watcher watcher) {
        byResource.put(new KindAndKey(watcher.kind(), watcher.key()), watcher);
    }

    void unwatch(String kind, ResourceKey key) {
        byResource.remove(new KindAndKey(kind, key));
    }

    /** The watchers a change concerns. */
    List<Watcher> affectedBy(Change change) {
        if (change.isEmpty()) {
            return List.of();
        }
        return byResource.values().stream().filter(w -> w.caresAbout(change)).toList();
    }

    List<Watcher> all() {
        return List.copyOf(byResource.values());
    }

    boolean isEmpty() {
        return byResource.isEmpty();
    }
}
