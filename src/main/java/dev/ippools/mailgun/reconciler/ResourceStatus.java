package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.api.v1alpha1.ApiConstants;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ConditionTypes;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ReadyReasons;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.SyncedReasons;
import dev.ippools.mailgun.api.v1alpha1.ConditionedStatus;
import dev.ippools.mailgun.mapping.DesiredMapper;
import dev.ippools.mailgun.status.Conditions;
import dev.ippools.mailgun.status.Progress;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A resource's status as both reconcilers write it: only when it changed, always with the
 * generation and the reconcile request it was decided on, a first status before any Mailgun work,
 * and the paused one; plus the annotations that pause a resource or ask for a reconcile now.
 */
final class ResourceStatus<R extends CustomResource<?, S>, S extends ConditionedStatus<S>> {

    private static final Logger log = LoggerFactory.getLogger(ResourceStatus.class);

    private final String kind;
    private final KubernetesClient client;
    private final StatusWriter statusWriter;
    private final Conditions conditions;
    private final EventRecorder events;
    private final Supplier<R> emptyResource;
    private final Function<List<Condition>, S> statusWith;

    ResourceStatus(
            String kind,
            KubernetesClient client,
            StatusWriter statusWriter,
            Conditions conditions,
            EventRecorder events,
            Supplier<R> emptyResource,
            Function<List<Condition>, S> statusWith) {
        this.kind = kind;
        this.client = client;
        this.statusWriter = statusWriter;
        this.conditions = conditions;
        this.events = events;
        this.emptyResource = emptyResource;
        this.statusWith = statusWith;
    }

    /** Writes {@code next} as a reconcile's result, if it changes anything. */
    UpdateControl<R> update(R resource, S next) {
        if (!changes(resource, next)) {
            return UpdateControl.noUpdate();
        }
        return statusWriter.update(client, resource, withStatus(resource, next), r -> {
            r.setStatus(next);
            return r;
        });
    }

    /** Writes {@code next} as a failed reconcile's result, if it changes anything. */
    ErrorStatusUpdateControl<R> updateOnError(R resource, S next) {
        if (Conditions.sameIgnoringTimestamps(resource.getStatus(), next)) {
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        return statusWriter.updateOnError(client, resource, withStatus(resource, next), r -> {
            r.setStatus(next);
            return r;
        });
    }

    Conditions conditions() {
        return conditions;
    }

    static final String PAUSED = "Paused by the annotation " + ApiConstants.PAUSED_ANNOTATION
            + ": the operator makes no Mailgun call for this resource until it is removed";
    static final String PAUSED_DELETION = "Deletion waits: the resource is paused by the"
            + " annotation " + ApiConstants.PAUSED_ANNOTATION + " and deleting it needs Mailgun calls."
            + " Remove the annotation to let the deletion finish";

    static boolean paused(HasMetadata resource) {
        return "true".equals(annotation(resource, ApiConstants.PAUSED_ANNOTATION));
    }

    static String annotation(HasMetadata resource, String key) {
        return Controllers.annotation(resource, key);
    }

    /** Whether the reconcile-requested-at annotation holds a value not handled yet. */
    static boolean reconcileRequested(CustomResource<?, ? extends ConditionedStatus<?>> resource) {
        String requested = annotation(resource, ApiConstants.RECONCILE_REQUESTED_ANNOTATION);
        ConditionedStatus<?> status = resource.getStatus();
        return requested != null && !requested.equals(status == null ? null : status.lastHandledReconcileAt());
    }

    /**
     * The status with the generation it was decided on and the reconcile request it handled: every
     * reconcile that decides anything records both, failures included.
     */
    S observed(R resource, S status) {
        String requested = annotation(resource, ApiConstants.RECONCILE_REQUESTED_ANNOTATION);
        S old = resource.getStatus();
        String handled = requested != null ? requested : old == null ? null : old.lastHandledReconcileAt();
        return status.withObserved(generation(resource), handled);
    }

    /**
     * Synced=False/ReconcilePaused and Reconciling=False; Ready and the rest stay as last observed
     * (a resource paused before its first reconcile gets Ready=Unknown). No Mailgun call.
     */
    void writePaused(R resource, String message) {
        S old = resource.getStatus();
        List<Condition> previous = old == null ? null : old.conditions();
        Conditions.Update update = conditions.update(previous, generation(resource));
        if (previous == null || Conditions.find(previous, ConditionTypes.READY).isEmpty()) {
            update.set(ConditionTypes.READY, Conditions.UNKNOWN, SyncedReasons.RECONCILE_PAUSED, message);
        }
        update.set(ConditionTypes.SYNCED, Conditions.FALSE, SyncedReasons.RECONCILE_PAUSED, message);
        List<Condition> conds = Progress.mark(update).conditions();
        S next = (old == null ? statusWith.apply(conds) : old.withConditions(conds))
                .withObserved(generation(resource), old == null ? null : old.lastHandledReconcileAt());
        writeIfChanged(resource, next);
    }

    /**
     * Ready=False and Reconciling=True before the first reconcile's Mailgun work, which can take a
     * while: kstatus reads a resource without conditions as Current. No Event; the outcome's comes.
     */
    void writeFirst(R resource) {
        List<Condition> conds = Progress.mark(conditions
                        .update(null, generation(resource))
                        .set(
                                ConditionTypes.READY,
                                Conditions.FALSE,
                                ReadyReasons.PROGRESSING,
                                "The operator is working on its first reconcile")
                        .set(
                                ConditionTypes.SYNCED,
                                Conditions.FALSE,
                                SyncedReasons.WAITING,
                                "The operator is working on its first reconcile"))
                .conditions();
        S first = statusWith.apply(conds).withObserved(generation(resource), null);
        R written = statusWriter.writeNow(client, resource, withStatus(resource, first), r -> {
            r.setStatus(first);
            return r;
        });
        // the status write moved resourceVersion: later optimistic updates must start from it
        resource.getMetadata().setResourceVersion(written.getMetadata().getResourceVersion());
    }

    /** Ready=True, decided on the current generation: what a change outside the operator breaks. */
    static boolean settledAtThisGeneration(CustomResource<?, ? extends ConditionedStatus<?>> resource) {
        ConditionedStatus<?> status = resource.getStatus();
        return status != null
                && status.conditions() != null
                && Objects.equals(
                        status.observedGeneration(), resource.getMetadata().getGeneration())
                && Conditions.isTrue(status.conditions(), ConditionTypes.READY);
    }

    void writeIfChanged(R resource, S next) {
        if (changes(resource, next)) {
            statusWriter.write(client, resource, r -> {
                r.setStatus(next);
                return r;
            });
        }
    }

    /** Whether the status changes beyond timestamps; records a Ready transition as an Event. */
    boolean changes(R resource, S next) {
        S old = resource.getStatus();
        if (Conditions.sameIgnoringTimestamps(old, next)) {
            return false;
        }
        events.readyTransition(resource, old == null ? null : old.conditions(), next.conditions());
        log.debug("{} {} status {} -> {}", kind, DesiredMapper.key(resource), old, next);
        return true;
    }

    /** The conditions an outcome gives, on top of the resource's current ones. */
    List<Condition> conditionsAfter(R resource, Outcome outcome) {
        S old = resource.getStatus();
        return outcome.apply(conditions, old == null ? null : old.conditions(), generation(resource));
    }

    static long generation(HasMetadata resource) {
        return Optional.ofNullable(resource.getMetadata().getGeneration()).orElse(0L);
    }

    R withStatus(R resource, S status) {
        R fresh = emptyResource.get();
        fresh.getMetadata().setName(resource.getMetadata().getName());
        fresh.getMetadata().setNamespace(resource.getMetadata().getNamespace());
        fresh.setStatus(status);
        return fresh;
    }
}
