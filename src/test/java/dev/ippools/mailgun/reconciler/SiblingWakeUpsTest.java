package dev.ippools.mailgun.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.api.v1alpha1.IpPoolSpec;
import dev.ippools.mailgun.api.v1alpha1.IpPoolStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.EventHandler;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Resources of one kind woken from the other controller's informer, only when plans see a change. */
class SiblingWakeUpsTest {

    private final FakeInformerCache informer = new FakeInformerCache();
    private final ChangeTrackingCache<IpPool> pools = new ChangeTrackingCache<>(informer);
    private final List<ResourceID> woken = new CopyOnWriteArrayList<>();
    // each pool wakes a binding named after it, in its namespace
    private final SiblingWakeUps<IpPool, DomainPoolBinding> source = new SiblingWakeUps<>(
            "binding-pools",
            () -> pools,
            DesiredCache::planView,
            (id, view) -> Set.of(
                    new ResourceID("uses-" + id.getName(), id.getNamespace().orElseThrow())),
            Duration.ofSeconds(5));

    @AfterEach
    void stop() {
        source.stop();
    }

    private void start() {
        source.setEventHandler(new EventHandler() {
            @Override
            public void handleEvent(Event event) {
                woken.add(event.getRelatedCustomResourceID());
            }
        });
        source.start();
    }

    @Test
    void aChangePlansSeeWakesTheResourcesUsingItAndAStatusWriteWakesNobody() throws Exception {
        informer.put(pool("a", "1", "10.0.0.1", null, null));
        start();
        assertThat(woken).as("listed at start: reconciled anyway").isEmpty();

        informer.put(pool("a", "2", "10.0.0.1", null, "still creating"));
        informer.put(pool("a", "3", "10.0.0.2", null, "still creating"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> woken.size() == 1);
        assertThat(woken).containsExactly(new ResourceID("uses-a", "team"));

        informer.put(pool("a", "4", "10.0.0.2", "p-1", null));
        await().atMost(5, TimeUnit.SECONDS).until(() -> woken.size() == 2);

        informer.put(pool("b", "1", "10.0.0.3", null, null));
        informer.remove("team", "a");
        await().atMost(5, TimeUnit.SECONDS).until(() -> woken.size() == 4);
        assertThat(woken.subList(2, 4))
                .containsExactlyInAnyOrder(new ResourceID("uses-b", "team"), new ResourceID("uses-a", "team"));

        Thread.sleep(200);
        assertThat(woken).as("nothing more").hasSize(4);
    }

    @Test
    void withoutTheOtherInformerTheControllerDoesNotStart() {
        SiblingWakeUps<IpPool, DomainPoolBinding> never = new SiblingWakeUps<>(
                "binding-pools", () -> null, DesiredCache::planView, (id, view) -> Set.of(), Duration.ofMillis(200));

        assertThatThrownBy(never::start).isInstanceOf(OperatorException.class).hasMessageContaining("did not sync");
    }

    private static IpPool pool(String name, String resourceVersion, String ip, String poolId, String message) {
        IpPool p = new IpPool();
        p.setMetadata(new ObjectMetaBuilder()
                .withNamespace("team")
                .withName(name)
                .withUid("uid-" + name)
                .withResourceVersion(resourceVersion)
                .build());
        p.setSpec(new IpPoolSpec(null, "pool " + name, List.of(ip), null, null, null, null, null, null));
        if (poolId != null || message != null) {
            List<Condition> conditions = message == null
                    ? List.of()
                    : List.of(new ConditionBuilder()
                            .withType("Ready")
                            .withStatus("False")
                            .withReason("Progressing")
                            .withMessage(message)
                            .build());
            p.setStatus(new IpPoolStatus(poolId, null, null, null, null, conditions));
        }
        return p;
    }
}
