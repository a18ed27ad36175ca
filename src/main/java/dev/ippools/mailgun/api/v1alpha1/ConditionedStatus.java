package dev.ippools.mailgun.api.v1alpha1;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** A status with conditions, so status code can compare and rebuild it generically. */
public interface ConditionedStatus<S extends ConditionedStatus<S>> {

  List<Condition> conditions();

  /** A copy of this status with the given conditions and every other field unchanged. */
  S withConditions(List<Condition> conditions);
}
