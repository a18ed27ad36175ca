package dev.ippools.mailgun.status;

import static dev.ippools.mailgun.status.Conditions.FALSE;
import static dev.ippools.mailgun.status.Conditions.TRUE;
import static dev.ippools.mailgun.status.Conditions.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ConditionTypes;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ReadyReasons;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.RelinkingReasons;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.SyncedReasons;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBindingStatus;
import dev.ippools.mailgun.api.v1alpha1.IpPoolStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {

    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00.750Z");

    private final MutableClock clock = new MutableClock(T0);
    private final Conditions conditions = new Conditions(clock);

    @Test
    void newConditionGetsEveryFieldAndTheCurrentSecond() {
        List<Condition> next =
                conditions.set(null, ConditionTypes.READY, FALSE, ReadyReasons.CREATING, "Creating the pool", 4);

        assertThat(next).hasSize(1);
        Condition ready = next.get(0);
        assertThat(ready.getType()).isEqualTo("Ready");
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("Creating");
        assertThat(ready.getMessage()).isEqualTo("Creating the pool");
        assertThat(ready.getObservedGeneration()).isEqualTo(4L);
        assertThat(ready.getLastTransitionTime()).isEqualTo("2026-01-05T10:00:00Z");
    }

    @Test
    void sameStatusKeepsTheTimeEvenWhenReasonMessageOrGenerationChange() {
        List<Condition> first = conditions.set(List.of(), ConditionTypes.READY, FALSE, ReadyReasons.CREATING, "a", 1);
        clock.advance(Duration.ofMinutes(5));

        List<Condition> next = conditions.set(first, ConditionTypes.READY, FALSE, ReadyReasons.WAITING, "b", 2);

        assertThat(next.get(0).getLastTransitionTime()).isEqualTo("2026-01-05T10:00:00Z");
        assertThat(next.get(0).getReason()).isEqualTo("Waiting");
        assertThat(next.get(0).getMessage()).isEqualTo("b");
        assertThat(next.get(0).getObservedGeneration()).isEqualTo(2L);
    }

    @Test
    void statusChangeMovesTheTime() {
        List<Condition> first = conditions.set(List.of(), ConditionTypes.READY, FALSE, ReadyReasons.CREATING, "", 1);
        clock.advance(Duration.ofSeconds(42));

        List<Condition> next = conditions.set(first, ConditionTypes.READY, TRUE, ReadyReasons.AVAILABLE, "", 1);

        assertThat(next.get(0).getLastTransitionTime()).isEqualTo("2026-01-05T10:00:42Z");
        clock.advance(Duration.ofSeconds(1));
        List<Condition> unknown = conditions.set(next, ConditionTypes.READY, UNKNOWN, ReadyReasons.ERROR, "", 1);
        assertThat(unknown.get(0).getLastTransitionTime()).isEqualTo("2026-01-05T10:00:43Z");
    }

    @Test
    void missingPreviousTimeIsFilledIn() {
        Condition untimed = condition(ConditionTypes.SYNCED, TRUE, null);

        List<Condition> next =
                conditions.set(List.of(untimed), ConditionTypes.SYNCED, TRUE, SyncedReasons.RECONCILE_SUCCESS, "", 1);

        assertThat(next.get(0).getLastTransitionTime()).isEqualTo("2026-01-05T10:00:00Z");
    }

    @Test
    void updateSetsSeveralConditionsKeepingOrderAndAppendingNewTypes() {
        List<Condition> previous = List.of(
                condition(ConditionTypes.SYNCED, TRUE, "2026-01-01T00:00:00Z"),
                condition(ConditionTypes.READY, FALSE, "2026-01-01T00:00:00Z"));
        clock.advance(Duration.ofHours(1));

        List<Condition> next = conditions
                .update(previous, 7)
                .set(ConditionTypes.READY, TRUE, ReadyReasons.AVAILABLE, "ok")
                .set(ConditionTypes.SYNCED, TRUE, SyncedReasons.RECONCILE_SUCCESS, null)
                .set(ConditionTypes.RELINKING, FALSE, RelinkingReasons.SETTLED, "")
                .conditions();

        assertThat(next).extracting(Condition::getType).containsExactly("Synced", "Ready", "Relinking");
        assertThat(next)
                .extracting(Condition::getLastTransitionTime)
                .containsExactly("2026-01-01T00:00:00Z", "2026-01-05T11:00:00Z", "2026-01-05T11:00:00Z");
        assertThat(next).extracting(Condition::getObservedGeneration).containsOnly(7L);
        assertThat(next.get(0).getMessage()).isEmpty();
        assertThat(next).isUnmodifiable();
    }

    @Test
    void previousListIsNotModified() {
        List<Condition> previous = new ArrayList<>();
        previous.add(condition(ConditionTypes.READY, FALSE, "2026-01-01T00:00:00Z"));
        Condition original = previous.get(0);

        conditions
                .update(previous, 2)
                .set(ConditionTypes.READY, TRUE, ReadyReasons.AVAILABLE, "")
                .set(ConditionTypes.SYNCED, TRUE, SyncedReasons.RECONCILE_SUCCESS, "");

        assertThat(previous).containsExactly(original);
        assertThat(original.getStatus()).isEqualTo(FALSE);
    }

    @Test
    void removeDropsOnlyThatType() {
        List<Condition> previous = List.of(
                condition(ConditionTypes.READY, TRUE, "2026-01-01T00:00:00Z"),
                condition(ConditionTypes.RELINKING, TRUE, "2026-01-01T00:00:00Z"));

        List<Condition> next = conditions
                .update(previous, 1)
                .remove(ConditionTypes.RELINKING)
                .remove("NotThere")
                .conditions();

        assertThat(next).extracting(Condition::getType).containsExactly("Ready");
    }

    @Test
    void findAndIsTrue() {
        List<Condition> list = List.of(
                condition(ConditionTypes.READY, TRUE, "2026-01-01T00:00:00Z"),
                condition(ConditionTypes.SYNCED, FALSE, "2026-01-01T00:00:00Z"));

        assertThat(Conditions.isTrue(list, ConditionTypes.READY)).isTrue();
        assertThat(Conditions.isTrue(list, ConditionTypes.SYNCED)).isFalse();
        assertThat(Conditions.isTrue(list, ConditionTypes.RELINKING)).isFalse();
        assertThat(Conditions.isTrue(null, ConditionTypes.READY)).isFalse();
        assertThat(Conditions.find(list, ConditionTypes.SYNCED)).contains(list.get(1));
        assertThat(Conditions.find(list, ConditionTypes.RELINKING)).isEmpty();
    }

    @Test
    void longMessagesAreCutToTheKubernetesLimit() {
        String huge = "x".repeat(Conditions.MAX_MESSAGE_LENGTH + 10);

        List<Condition> next = conditions.set(null, ConditionTypes.READY, FALSE, ReadyReasons.ERROR, huge, 1);

        assertThat(next.get(0).getMessage()).hasSize(Conditions.MAX_MESSAGE_LENGTH);
    }

    @Test
    void rejectsMalformedInput() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> conditions.set(null, "Ready", "true", "Available", "", 1))
                .withMessageContaining("True, False or Unknown");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> conditions.set(null, "Ready", TRUE, "not a reason", "", 1))
                .withMessageContaining("CamelCase");
        assertThatIllegalArgumentException().isThrownBy(() -> conditions.set(null, "Ready", TRUE, null, "", 1));
        assertThatIllegalArgumentException().isThrownBy(() -> conditions.set(null, " ", TRUE, "Available", "", 1));
    }

    @Test
    void statusesDifferingOnlyInTransitionTimesAreTheSame() {
        List<Condition> before = conditions.set(null, ConditionTypes.READY, FALSE, ReadyReasons.CREATING, "m", 3);
        clock.advance(Duration.ofMinutes(1));
        List<Condition> after = conditions.set(null, ConditionTypes.READY, FALSE, ReadyReasons.CREATING, "m", 3);
        assertThat(after).isNotEqualTo(before);

        IpPoolStatus old = poolStatus("658041ae44842b99ee2eaa1b", before);
        IpPoolStatus next = poolStatus("658041ae44842b99ee2eaa1b", after);

        assertThat(Conditions.sameIgnoringTimestamps(old, next)).isTrue();
    }

    @Test
    void anyOtherDifferenceCounts() {
        List<Condition> ready = conditions.set(null, ConditionTypes.READY, FALSE, ReadyReasons.CREATING, "m", 3);
        IpPoolStatus base = poolStatus("658041ae44842b99ee2eaa1b", ready);

        assertThat(Conditions.sameIgnoringTimestamps(base, poolStatus("658041ae44842b99ee2eaa1c", ready)))
                .as("pool id")
                .isFalse();
        assertThat(Conditions.sameIgnoringTimestamps(
                        base,
                        poolStatus(
                                "658041ae44842b99ee2eaa1b",
                                conditions.set(ready, ConditionTypes.READY, FALSE, ReadyReasons.CREATING, "n", 3))))
                .as("message")
                .isFalse();
        assertThat(Conditions.sameIgnoringTimestamps(
                        base,
                        poolStatus(
                                "658041ae44842b99ee2eaa1b",
                                conditions.set(ready, ConditionTypes.READY, FALSE, ReadyReasons.CREATING, "m", 4))))
                .as("observedGeneration of the condition")
                .isFalse();
        assertThat(Conditions.sameIgnoringTimestamps(base, null)).isFalse();
        assertThat(Conditions.sameIgnoringTimestamps((IpPoolStatus) null, null)).isTrue();
    }

    @Test
    void worksForBindingStatusesWithoutConditions() {
        DomainPoolBindingStatus a = new DomainPoolBindingStatus(null, List.of("192.0.2.10"), 1L, null);
        DomainPoolBindingStatus b = new DomainPoolBindingStatus(null, List.of("192.0.2.10"), 1L, null);
        DomainPoolBindingStatus c = new DomainPoolBindingStatus(null, List.of("192.0.2.11"), 1L, null);

        assertThat(Conditions.sameIgnoringTimestamps(a, b)).isTrue();
        assertThat(Conditions.sameIgnoringTimestamps(a, c)).isFalse();
    }

    private static IpPoolStatus poolStatus(String poolId, List<Condition> conditions) {
        return new IpPoolStatus(poolId, 3L, List.of("192.0.2.10"), List.of(), false, conditions);
    }

    private static Condition condition(String type, String status, String time) {
        Condition condition = new Condition();
        condition.setType(type);
        condition.setStatus(status);
        condition.setReason("Something");
        condition.setMessage("");
        condition.setObservedGeneration(1L);
        condition.setLastTransitionTime(time);
        return condition;
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
