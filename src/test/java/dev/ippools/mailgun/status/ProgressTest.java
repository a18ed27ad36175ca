package dev.ippools.mailgun.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ConditionTypes;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one place reasons become kstatus' Reconciling and Stalled, as a table. */
class ProgressTest {

    private final Conditions conditions =
            new Conditions(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    @ParameterizedTest(name = "Ready {0}/{1}, Synced {2}/{3} -> {4}")
    @CsvSource({
        // settled
        "True,  Available,        True,  ReconcileSuccess,   SETTLED",
        "True,  Observed,         True,  ReconcileSuccess,   SETTLED",
        // Terminal today, and a key Mailgun refuses: a person must act
        "False, Invalid,          False, Terminal,           STALLED",
        "False, Conflict,         False, Terminal,           STALLED",
        "False, Error,            False, Terminal,           STALLED",
        "False, AccountNotAllowed,False, Terminal,           STALLED",
        "True,  Available,        False, Unauthorized,       STALLED",
        "False, Error,            False, Unauthorized,       STALLED",
        // work in progress
        "False, Creating,         False, Waiting,            RECONCILING",
        "False, Creating,         False, CreateIncomplete,   RECONCILING",
        "False, Relinking,        True,  ReconcileSuccess,   RECONCILING",
        "False, Waiting,          False, Waiting,            RECONCILING",
        "False, Deleting,         True,  ReconcileSuccess,   RECONCILING",
        "False, DeletionBlocked,  False, Waiting,            RECONCILING",
        "True,  Available,        False, AccountUnreachable, RECONCILING",
        "False, Error,            False, ReconcileError,     RECONCILING",
        "True,  Available,        False, ReconcileError,     RECONCILING",
        // an IP warming up waits; it is never stalled, nor is any reason added later
        "False, WaitingForWarmup, False, Waiting,            RECONCILING",
        "False, SomeFutureReason, False, Waiting,            RECONCILING",
        // paused keeps what it had
        "True,  Available,        False, ReconcilePaused,    PAUSED",
        "False, Invalid,          False, ReconcilePaused,    PAUSED",
    })
    void classifiesEveryReason(
            String readyStatus, String readyReason, String syncedStatus, String syncedReason, Progress expected) {
        assertThat(Progress.of(
                        condition("Ready", readyStatus, readyReason, "r"),
                        condition("Synced", syncedStatus, syncedReason, "s")))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}/{1} + {2}/{3}: Reconciling {4} {5}, Stalled {6} {7}")
    @CsvSource({
        "False, Invalid,   False, Terminal,         False, Invalid,          True,  Invalid",
        "True,  Available, False, Unauthorized,     False, Unauthorized,     True,  Unauthorized",
        "False, Creating,  False, Waiting,          True,  Creating,         ,",
        "False, Creating,  False, CreateIncomplete, True,  CreateIncomplete, ,",
        "False, WaitingForWarmup, False, Waiting,   True,  WaitingForWarmup, ,",
        "True,  Available, True,  ReconcileSuccess, False, Available,        ,",
        "True,  Available, False, ReconcilePaused,  False, ReconcilePaused,  ,",
    })
    void marksReconcilingAndStalled(
            String readyStatus,
            String readyReason,
            String syncedStatus,
            String syncedReason,
            String reconciling,
            String reconcilingReason,
            String stalled,
            String stalledReason) {
        List<Condition> marked = Progress.mark(conditions
                        .update(null, 3)
                        .set(ConditionTypes.READY, readyStatus, readyReason, "ready says")
                        .set(ConditionTypes.SYNCED, syncedStatus, syncedReason, "synced says"))
                .conditions();

        Condition r = Conditions.find(marked, ConditionTypes.RECONCILING).orElseThrow();
        assertThat(r.getStatus()).isEqualTo(reconciling);
        assertThat(r.getReason()).isEqualTo(reconcilingReason);
        assertThat(r.getObservedGeneration()).isEqualTo(3L);
        Optional<Condition> s = Conditions.find(marked, ConditionTypes.STALLED);
        if (stalled == null) {
            assertThat(s).isEmpty();
        } else {
            assertThat(s.orElseThrow().getStatus()).isEqualTo(stalled);
            assertThat(s.orElseThrow().getReason()).isEqualTo(stalledReason);
            assertThat(s.orElseThrow().getMessage()).isEqualTo("synced says");
        }
    }

    @ParameterizedTest(name = "a resource no longer stalled loses Stalled")
    @CsvSource({"Waiting", "ReconcileSuccess"})
    void stalledIsRemovedOnceItCanProgress(String syncedReason) {
        List<Condition> stalledBefore = Progress.mark(conditions
                        .update(null, 1)
                        .set(ConditionTypes.READY, "False", "Invalid", "bad")
                        .set(ConditionTypes.SYNCED, "False", "Terminal", "bad"))
                .conditions();
        List<Condition> after = Progress.mark(conditions
                        .update(stalledBefore, 2)
                        .set(
                                ConditionTypes.READY,
                                "ReconcileSuccess".equals(syncedReason) ? "True" : "False",
                                "ReconcileSuccess".equals(syncedReason) ? "Available" : "Creating",
                                "m")
                        .set(
                                ConditionTypes.SYNCED,
                                "ReconcileSuccess".equals(syncedReason) ? "True" : "False",
                                syncedReason,
                                "m"))
                .conditions();
        assertThat(Conditions.find(after, ConditionTypes.STALLED)).isEmpty();
    }

    private static Condition condition(String type, String status, String reason, String message) {
        return new ConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message)
                .build();
    }
}
