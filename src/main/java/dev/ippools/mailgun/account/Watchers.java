package dev.ippools.mailgun.account;

import dev.ippools.mailgun.account.Watcher.Change;
import dev.ippools.mailgun.plan.ResourceKey;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The resources of one account that want waking, one watcher per resource (kind and key). */
final class Watchers {

    private record KindAndKey(String kind, ResourceKey key) {}

    private final Map<KindAndKey, Watcher> byResource = new ConcurrentHashMap<>();
    // Each settled link batch asks for the watchers of its few domains among thousands.
    private final Map<String, Set<KindAndKey>> byDomain = new HashMap<>();

    /** Replaces what the resource watched before. */
    synchronized void watch(Watcher watcher) {
        KindAndKey id = new KindAndKey(watcher.kind(), watcher.key());
        unindex(id, byResource.put(id, watcher));
        for (String domain : watcher.domains()) {
            byDomain.computeIfAbsent(domain, d -> new HashSet<>()).add(id);
        }
    }

    synchronized void unwatch(String kind, ResourceKey key) {
        KindAndKey id = new KindAndKey(kind, key);
        unindex(id, byResource.remove(id));
    }

    private void unindex(KindAndKey id, Watcher before) {
        if (before == null) {
            return;
        }
        for (String domain : before.domains()) {
            Set<KindAndKey> ids = byDomain.get(domain);
            if (ids != null && ids.remove(id) && ids.isEmpty()) {
                byDomain.remove(domain);
            }
        }
    }

    /** The watchers a change concerns. */
    List<Watcher> affectedBy(Change change) {
        if (change.isEmpty()) {
            return List.of();
        }
        return byResource.values().stream().filter(w -> w.caresAbout(change)).toList();
    }

    /** The watchers watching one of these domains. */
    synchronized List<Watcher> watchingAnyOf(Set<String> domains) {
        Set<KindAndKey> ids = new LinkedHashSet<>();
        for (String domain : domains) {
            ids.addAll(byDomain.getOrDefault(domain, Set.of()));
        }
        return ids.stream().map(byResource::get).filter(Objects::nonNull).toList();
    }

    List<Watcher> all() {
        return List.copyOf(byResource.values());
    }

    boolean isEmpty() {
        return byResource.isEmpty();
    }
}
