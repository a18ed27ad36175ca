package dev.ippools.mailgun.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.account.AccountKey;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.api.v1alpha1.IpPoolSpec;
import dev.ippools.mailgun.mapping.DesiredMapper;
import dev.ippools.mailgun.plan.DesiredPool;
import dev.ippools.mailgun.plan.DesiredRecords;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
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
}
