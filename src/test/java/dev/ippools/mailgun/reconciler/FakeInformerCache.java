package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.api.v1alpha1.IpPool;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** An informer store as fabric8's: index functions run after each stored change. */
final class FakeInformerCache implements IndexerResourceCache<IpPool> {
    private final Map<ResourceID, IpPool> items = new LinkedHashMap<>();
    private final List<Function<IpPool, List<String>>> indexers = new ArrayList<>();

    synchronized void put(IpPool p) {
        IpPool old = items.put(ResourceID.fromResource(p), p);
        if (old != null) {
            indexers.forEach(i -> i.apply(old));
        }
        indexers.forEach(i -> i.apply(p));
    }

    synchronized void remove(String namespace, String name) {
        IpPool old = items.remove(new ResourceID(name, namespace));
        indexers.forEach(i -> i.apply(old));
    }

    @Override
    public synchronized void addIndexers(Map<String, Function<IpPool, List<String>>> added) {
        indexers.addAll(added.values());
    }

    @Override
    public List<IpPool> byIndex(String index, String key) {
        return List.of();
    }

    @Override
    public synchronized Optional<IpPool> get(ResourceID id) {
        return Optional.ofNullable(items.get(id));
    }

    @Override
    public synchronized Stream<ResourceID> keys() {
        return List.copyOf(items.keySet()).stream();
    }

    @Override
    public synchronized Stream<IpPool> list(Predicate<IpPool> predicate) {
        return List.copyOf(items.values()).stream().filter(predicate);
    }

    @Override
    public Stream<IpPool> list(String namespace, Predicate<IpPool> predicate) {
        return list(p -> namespace.equals(p.getMetadata().getNamespace()) && predicate.test(p));
    }
}
