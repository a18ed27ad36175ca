package dev.ippools.mailgun.status;

import dev.ippools.mailgun.api.v1alpha1.ConditionedStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds the next condition list from the previous one, so reconcilers never touch timestamps.
 *
 * <p>Transition rule (Kubernetes' convention for {@code lastTransitionTime}): the time moves only
 * when a condition appears or its status changes (True, False, Unknown). A new reason, message or
 * observedGeneration under the same status keeps the previous time. Conditions keep their position;
 * new types are appended. Lists are never modified in place.
 */
public final class Conditions {

    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    /** Kubernetes' limit for a condition message. */
    static final int MAX_MESSAGE_LENGTH = 32768;

    private static final Set<String> STATUSES = Set.of(TRUE, FALSE, UNKNOWN);
    // Kubernetes' rule for metav1.Condition reasons: CamelCase words.
    private static final Pattern REASON = Pattern.compile("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$");

    private final Clock clock;

    public Conditions(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Returns {@code previous} (null means none) with the condition of {@code type} set.
     *
     * @param status {@link #TRUE}, {@link #FALSE} or {@link #UNKNOWN}
     * @param reason a CamelCase word, e.g. {@code ReconcileSuccess}
     * @param message for a person; null means empty
     */
    public List<Condition> set(
            List<Condition> previous,
            String type,
            String status,
            String reason,
            String message,
            long observedGeneration) {
        return update(previous, observedGeneration)
                .set(type, status, reason, message)
                .conditions();
    }

    /** Starts an update of several conditions that all get {@code observedGeneration}. */
    public Update update(List<Condition> previous, long observedGeneration) {
        return new Update(previous, observedGeneration);
    }

    /** Several changes to one condition list; each call returns this update. */
    public final class Update {
        private final List<Condition> conditions;
        private final long observedGeneration;

        private Update(List<Condition> previous, long observedGeneration) {
            this.conditions = previous == null ? new ArrayList<>() : new ArrayList<>(previous);
            this.observedGeneration = observedGeneration;
        }

        /** Sets the condition of {@code type}; see {@link Conditions#set}. */
        public Update set(String type, String status, String reason, String message) {
            requireText(type, "type");
            if (!STATUSES.contains(status)) {
                throw new IllegalArgumentException("status must be True, False or Unknown: " + status);
            }
            if (reason == null || !REASON.matcher(reason).matches()) {
                throw new IllegalArgumentException("reason must be a CamelCase word: " + reason);
            }
            int index = indexOf(conditions, type);
            Condition old = index < 0 ? null : conditions.get(index);
            String transitionTime = old != null && status.equals(old.getStatus()) && old.getLastTransitionTime() != null
                    ? old.getLastTransitionTime()
                    : now();
            Condition next = new ConditionBuilder()
                    .withType(type)
                    .withStatus(status)
                    .withReason(reason)
                    .withMessage(truncate(message))
                    .withObservedGeneration(observedGeneration)
                    .withLastTransitionTime(transitionTime)
                    .build();
            if (index < 0) {
                conditions.add(next);
            } else {
                conditions.set(index, next);
            }
            return this;
        }

        /** Drops the condition of {@code type}, if present. */
        public Update remove(String type) {
            int index = indexOf(conditions, type);
            if (index >= 0) {
                conditions.remove(index);
            }
            return this;
        }

        /** The resulting conditions, as an unmodifiable list. */
        public List<Condition> conditions() {
            return List.copyOf(conditions);
        }
    }

    /** The condition of {@code type}, if present. */
    public static Optional<Condition> find(List<Condition> conditions, String type) {
        int index = indexOf(conditions, type);
        return index < 0 ? Optional.empty() : Optional.of(conditions.get(index));
    }

    /** Whether the condition of {@code type} is present with status True. */
    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
    }

    /**
     * Whether two statuses are equal apart from the conditions' {@code lastTransitionTime}, so a
     * reconciler can skip a status patch that would change nothing a reader cares about. Condition
     * order counts; {@link Update} keeps it stable.
     */
    public static <S extends ConditionedStatus<S>> boolean sameIgnoringTimestamps(S oldStatus, S newStatus) {
        if (oldStatus == null || newStatus == null) {
            return oldStatus == newStatus;
        }
        return withoutTimestamps(oldStatus).equals(withoutTimestamps(newStatus));
    }

    private static <S extends ConditionedStatus<S>> S withoutTimestamps(S status) {
        if (status.conditions() == null) {
            return status;
        }
        return status.withConditions(status.conditions().stream()
                .map(c -> new ConditionBuilder(c).withLastTransitionTime(null).build())
                .toList());
    }

    private static int indexOf(List<Condition> conditions, String type) {
        if (conditions == null) {
            return -1;
        }
        for (int i = 0; i < conditions.size(); i++) {
            if (Objects.equals(conditions.get(i).getType(), type)) {
                return i;
            }
        }
        return -1;
    }

    private String now() {
        return DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    }

    private static String truncate(String message) {
        if (message == null) {
            return "";
        }
        return message.length() <= MAX_MESSAGE_LENGTH ? message : message.substring(0, MAX_MESSAGE_LENGTH);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
