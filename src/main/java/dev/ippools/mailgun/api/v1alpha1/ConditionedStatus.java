package dev.ippools.mailgun.api.v1alpha1;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** A status with conditions, so status code can compare and rebuild it generically. */
public interface ConditionedStatus<S extends ConditionedStatus<S>> {

    List<Condition> conditions();

    /** A copy of this status with the given conditions and every other field unchanged. */
    S withConditions(List<Condition> conditions);

    /** The metadata.generation this status was computed from. */
    Long observedGeneration();

    /** The last reconcile-requested-at value handled (Flux's convention), or null. */
    String lastHandledReconcileAt();

    /** A copy with these two fields set and every other field unchanged. */
    S withObserved(Long generation, String reconcileRequest);
}
