package dev.ippools.mailgun.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.account.AccountKey;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.api.v1alpha1.IpPoolSpec;
import dev.ippools.mailgun.mapping.DesiredMapper;
import dev.ippools.mailgun.plan.DesiredPool;
import dev.ippools.mailgun.plan.DesiredRecords;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DesiredSiblingsTest {

    private static final AccountKey MAIN = new AccountKey("https://api.mailgun.net", null, "a");
    private static final AccountKey OTHER = new AccountKey("https://api.mailgun.net", null, "b");

    private final FakeInformerCache informer = new FakeInformerCache();
    private final ChangeTrackingCache<IpPool> cache = new ChangeTrackingCache<>(informer);
    private final Map<String, AccountKey> accountOfNamespace = new HashMap<>(Map.of("team", MAIN, "shop", OTHER));
    private final AtomicInteger mapped = new AtomicInteger();
    private final DesiredSiblings<IpPool, DesiredPool> siblings = new DesiredSiblings<>(
            cache,
            DesiredRecords.noPools(),
            p -> true,
            p -> {
                mapped.incrementAndGet();
                return DesiredMapper.pool(p);
            },
            (namespace, ref) -> accountOfNamespace.get(namespace));

    /** The records of an account as name:description, in the order plans see them. */
    private List<String> of(AccountKey account) {
        return siblings.of(account).stream()
                .map(p -> p.key().name() + ":" + p.description())
                .toList();
    }

    @Test
    void groupsByAccountAndMapsOnlyWhatChanged() {
        informer.put(pool("team", "a", "one", "1"));
        informer.put(pool("team", "b", "two", "1"));
        informer.put(pool("shop", "c", "three", "1"));

        assertThat(of(MAIN)).containsExactly("a:one", "b:two");
        assertThat(of(OTHER)).containsExactly("c:three");
        assertThat(mapped).hasValue(3);

        informer.put(pool("team", "b", "two again", "2"));
        assertThat(of(MAIN)).containsExactly("a:one", "b:two again");
        assertThat(mapped).hasValue(4);
    }

    @Test
    void aChangeThatLeavesTheRecordEqualKeepsTheSameList() {
        informer.put(pool("team", "a", "one", "1"));
        List<DesiredPool> first = siblings.of(MAIN);

        // a status write: a new object and resourceVersion, the same desired state
        informer.put(pool("team", "a", "one", "2"));

        assertThat(siblings.of(MAIN)).isSameAs(first);
    }

    @Test
    void deletionsLeaveTheList() {
        informer.put(pool("team", "a", "one", "1"));
        informer.put(pool("team", "b", "two", "1"));
        siblings.of(MAIN);

        informer.remove("team", "a");

        assertThat(of(MAIN)).containsExactly("b:two");
    }

    @Test
    void aSecretThatMovesANamespaceToAnotherAccountMovesItsResources() {
        informer.put(pool("team", "a", "one", "1"));
        informer.put(pool("shop", "c", "three", "1"));
        siblings.of(MAIN);

        accountOfNamespace.put("shop", MAIN);

        // in key order: namespace, then name
        assertThat(of(MAIN)).containsExactly("c:three", "a:one");
        assertThat(of(OTHER)).isEmpty();
    }

    @Test
    void aResourceWithoutAccountIsInNoList() {
        informer.put(pool("nowhere", "x", "lost", "1"));

        assertThat(of(MAIN)).isEmpty();
        assertThat(of(OTHER)).isEmpty();
    }

    private static IpPool pool(String namespace, String name, String description, String resourceVersion) {
        IpPool p = new IpPool();
        p.setMetadata(new ObjectMetaBuilder()
                .withNamespace(namespace)
                .withName(name)
                .withResourceVersion(resourceVersion)
                .build());
        p.setSpec(new IpPoolSpec(null, description, List.of("10.0.0.1"), null, null, null, null, null, null));
        return p;
    }

    /** An informer store as fabric8's: index functions run after each stored change. */
    private static final class FakeInformerCache implements IndexerResourceCache<IpPool> {
        private final Map<ResourceID, IpPool> items = new LinkedHashMap<>();
        private final List<Function<IpPool, List<String>>> indexers = new ArrayList<>();

        void put(IpPool p) {
            IpPool old = items.put(ResourceID.fromResource(p), p);
            if (old != null) {
                indexers.forEach(i -> i.apply(old));
            }
            indexers.forEach(i -> i.apply(p));
        }

        void remove(String namespace, String name) {
            IpPool old = items.remove(new ResourceID(name, namespace));
            indexers.forEach(i -> i.apply(old));
        }

        @Override
        public void addIndexers(Map<String, Function<IpPool, List<String>>> added) {
            indexers.addAll(added.values());
        }

        @Override
        public List<IpPool> byIndex(String index, String key) {
            return List.of();
        }

        @Override
        public Optional<IpPool> get(ResourceID id) {
            return Optional.ofNullable(items.get(id));
        }

        @Override
        public Stream<ResourceID> keys() {
            return List.copyOf(items.keySet()).stream();
        }

        @Override
        public Stream<IpPool> list(Predicate<IpPool> predicate) {
            return List.copyOf(items.values()).stream().filter(predicate);
        }

        @Override
        public Stream<IpPool> list(String namespace, Predicate<IpPool> predicate) {
            return list(p -> namespace.equals(p.getMetadata().getNamespace()) && predicate.test(p));
        }
    }
}
