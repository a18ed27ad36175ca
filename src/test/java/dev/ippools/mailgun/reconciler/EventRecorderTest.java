package dev.ippools.mailgun.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.api.v1alpha1.IpPool;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class EventRecorderTest {

    KubernetesClient client;

    private static List<Condition> ready(String status, String reason) {
        return List.of(new ConditionBuilder()
                .withType("Ready")
                .withStatus(status)
                .withReason(reason)
                .withMessage(reason + " message")
                .build());
    }

    @Test
    void workUnderWayIsNoEventButAProblemAndReadinessAre() {
        IpPool pool = new IpPool();
        pool.setMetadata(new ObjectMetaBuilder()
                .withName("p")
                .withNamespace("team")
                .withUid("u1")
                .build());
        EventRecorder events = new EventRecorder(client, Clock.systemUTC());

        events.readyTransition(pool, null, ready("False", "Progressing"));
        events.readyTransition(pool, ready("False", "Progressing"), ready("False", "Waiting"));
        events.readyTransition(pool, ready("False", "Waiting"), ready("False", "Creating"));
        assertThat(client.v1().events().inNamespace("team").list().getItems()).isEmpty();

        events.readyTransition(pool, ready("False", "Creating"), ready("False", "Conflict"));
        events.readyTransition(pool, ready("False", "Conflict"), ready("True", "Available"));
        assertThat(client.v1().events().inNamespace("team").list().getItems())
                .extracting(Event::getType, Event::getReason)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("Warning", "Conflict"),
                        org.assertj.core.groups.Tuple.tuple("Normal", "Available"));
    }
}
