package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ConditionTypes;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ReadyReasons;
import dev.ippools.mailgun.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kubernetes Events for user-visible transitions; callers emit only when a condition changed. */
public final class EventRecorder {

    private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
    private static final String COMPONENT = "mailgun-ip-pool-operator";

    private final KubernetesClient client;
    private final Clock clock;

    public EventRecorder(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /**
     * Ready reasons of work under way rather than of a problem: no Event, as a new resource passes
     * through several of them (at 6,000 resources, half of the operator's API requests were such
     * Warnings, and they buried the real ones in {@code kubectl describe}).
     */
    static final Set<String> PROGRESS_REASONS = Set.of(
            ReadyReasons.PROGRESSING,
            ReadyReasons.CREATING,
            ReadyReasons.RELINKING,
            ReadyReasons.WAITING,
            ReadyReasons.WAITING_FOR_WARMUP,
            ReadyReasons.DELETING);

    /**
     * Records the Ready condition's transition, if it made one: a Normal Event when it became True,
     * a Warning when it became False for a problem; none while work is under way. A changed message
     * alone is no transition.
     */
    public void readyTransition(HasMetadata about, List<Condition> before, List<Condition> after) {
        Optional<Condition> oldReady =
                before == null ? Optional.empty() : Conditions.find(before, ConditionTypes.READY);
        Optional<Condition> newReady = Conditions.find(after, ConditionTypes.READY);
        if (newReady.isEmpty()
                || oldReady.map(c -> c.getReason().equals(newReady.get().getReason())
                                && c.getStatus().equals(newReady.get().getStatus()))
                        .orElse(false)) {
            return;
        }
        Condition ready = newReady.get();
        if (Conditions.TRUE.equals(ready.getStatus())) {
            normal(about, ready.getReason(), ready.getMessage());
        } else if (!PROGRESS_REASONS.contains(ready.getReason())) {
            warning(about, ready.getReason(), ready.getMessage());
        }
    }

    public void normal(HasMetadata about, String reason, String message) {
        emit(about, "Normal", reason, message);
    }

    public void warning(HasMetadata about, String reason, String message) {
        emit(about, "Warning", reason, message);
    }

    private void emit(HasMetadata about, String type, String reason, String message) {
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
        var event = new EventBuilder()
                .withNewMetadata()
                .withName(about.getMetadata().getName() + "."
                        + UUID.randomUUID().toString().substring(0, 8))
                .withNamespace(about.getMetadata().getNamespace())
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(about.getApiVersion())
                        .withKind(about.getKind())
                        .withName(about.getMetadata().getName())
                        .withNamespace(about.getMetadata().getNamespace())
                        .withUid(about.getMetadata().getUid())
                        .build())
                .withType(type)
                .withReason(reason)
                .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withReportingComponent(COMPONENT)
                .withNewSource()
                .withComponent(COMPONENT)
                .endSource()
                .build();
        try {
            client.v1()
                    .events()
                    .inNamespace(about.getMetadata().getNamespace())
                    .resource(event)
                    .create();
        } catch (KubernetesClientException e) {
            // An Event is a courtesy; never fail a reconcile over one.
            log.debug(
                    "Could not record event {} for {}: {}",
                    reason,
                    about.getMetadata().getName(),
                    e.getMessage());
        }
    }
}
