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

/**
 * The resources of one account that want waking, one watcher per resource (kind and key), looked
 * up by what they watch: every poll's change and every settled batch concerns a few of thousands.
 */
final class Watchers {

    private record KindAndKey(String kind, ResourceKey key) {}

    private final Map<KindAndKey, Watcher> byResource = new ConcurrentHashMap<>();
    private final Map<String, Set<KindAndKey>> byPool = new HashMap<>();
    private final Map<String, Set<KindAndKey>> byIp = new HashMap<>();
    private final Map<String, Set<KindAndKey>> byDomain = new HashMap<>();
    private final Set<KindAndKey> anyChange = new HashSet<>();

    /** Replaces what the resource watched before. */
    synchronized void watch(Watcher watcher) {
        KindAndKey id = new KindAndKey(watcher.kind(), watcher.key());
        unindex(id, byResource.put(id, watcher));
        index(byPool, watcher.poolIds(), id);
        index(byIp, watcher.ips(), id);
        index(byDomain, watcher.domains(), id);
        if (watcher.anyChange()) {
            anyChange.add(id);
        }
    }

    synchronized void unwatch(String kind, ResourceKey key) {
        KindAndKey id = new KindAndKey(kind, key);
        unindex(id, byResource.remove(id));
    }

    private void unindex(KindAndKey id, Watcher before) {
        if (before != null) {
            unindex(byPool, before.poolIds(), id);
            unindex(byIp, before.ips(), id);
            unindex(byDomain, before.domains(), id);
            anyChange.remove(id);
        }
    }

    private static void index(Map<String, Set<KindAndKey>> index, Set<String> values, KindAndKey id) {
        for (String value : values) {
            index.computeIfAbsent(value, v -> new HashSet<>()).add(id);
        }
    }

    private static void unindex(Map<String, Set<KindAndKey>> index, Set<String> values, KindAndKey id) {
        for (String value : values) {
            Set<KindAndKey> ids = index.get(value);
            if (ids != null && ids.remove(id) && ids.isEmpty()) {
                index.remove(value);
            }
        }
    }

    /** The watchers a change concerns. */
    synchronized List<Watcher> affectedBy(Change change) {
        if (change.isEmpty()) {
            return List.of();
        }
        Set<KindAndKey> ids = new LinkedHashSet<>(anyChange);
        collect(byPool, change.poolIds(), ids);
        collect(byIp, change.ips(), ids);
        collect(byDomain, change.domains(), ids);
        return watchers(ids);
    }

    /** The watchers watching one of these domains. */
    synchronized List<Watcher> watchingAnyOf(Set<String> domains) {
        Set<KindAndKey> ids = new LinkedHashSet<>();
        collect(byDomain, domains, ids);
        return watchers(ids);
    }

    private static void collect(Map<String, Set<KindAndKey>> index, Set<String> values, Set<KindAndKey> into) {
        for (String value : values) {
            into.addAll(index.getOrDefault(value, Set.of()));
        }
    }

    private List<Watcher> watchers(Set<KindAndKey> ids) {
        return ids.stream().map(byResource::get).filter(Objects::nonNull).toList();
    }

    List<Watcher> all() {
        return List.copyOf(byResource.values());
    }

    boolean isEmpty() {
        return byResource.isEmpty();
    }
}
