package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.account.PollHealth;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ConditionTypes;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ReadyReasons;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.RelinkingReasons;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.SyncedReasons;
import dev.ippools.mailgun.client.MailgunException;
import dev.ippools.mailgun.execute.OwnershipRefusedException;
import dev.ippools.mailgun.plan.MailgunStep;
import dev.ippools.mailgun.plan.Plan;
import dev.ippools.mailgun.plan.Plans;
import dev.ippools.mailgun.status.Conditions;
import dev.ippools.mailgun.status.Progress;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The conditions one reconcile ends with, and when to look again. Built from a plan, a Mailgun
 * error or an account problem; the same vocabulary for both kinds (architecture §3). Built with
 * {@link #synced} or {@link #notSynced} and the {@code relinking}/{@code requeueAfter} steps.
 *
 * @param relinking null leaves the Relinking condition as it was
 * @param requeue empty: wait for the next event
 */
record Outcome(
        boolean ready,
        String readyReason,
        String readyMessage,
        boolean synced,
        String syncedReason,
        String syncedMessage,
        Boolean relinking,
        String relinkingMessage,
        Optional<Duration> requeue) {

    /** Synced=True: Mailgun holds what the plan wants, whatever Ready says. */
    static Outcome synced(boolean ready, String readyReason, String readyMessage) {
        return new Outcome(
                ready,
                readyReason,
                readyMessage,
                true,
                SyncedReasons.RECONCILE_SUCCESS,
                "",
                null,
                null,
                Optional.empty());
    }

    /** Ready=False and Synced=False, each with its reason and message. */
    static Outcome notSynced(String readyReason, String readyMessage, String syncedReason, String syncedMessage) {
        return new Outcome(
                false, readyReason, readyMessage, false, syncedReason, syncedMessage, null, null, Optional.empty());
    }

    /** The same outcome, setting the Relinking condition. */
    Outcome relinking(boolean on, String message) {
        return new Outcome(ready, readyReason, readyMessage, synced, syncedReason, syncedMessage, on, message, requeue);
    }

    /** The same outcome, looking again after {@code delay}. */
    Outcome requeueAfter(Duration delay) {
        return new Outcome(
                ready,
                readyReason,
                readyMessage,
                synced,
                syncedReason,
                syncedMessage,
                relinking,
                relinkingMessage,
                Optional.of(delay));
    }

    static Outcome of(Plan plan, ReconcileSettings settings) {
        String message = Plans.message(plan);
        Duration relinkPoll = settings.relinkPoll();
        Duration waitRecheck = settings.waitRecheck();
        return switch (plan.state()) {
            case AVAILABLE ->
                synced(true, ReadyReasons.AVAILABLE, orDefault(message, "Mailgun matches the spec"))
                        .relinking(false, "Linked domains use the pool's IPs");
            case OBSERVED -> {
                Outcome observed = synced(
                                true,
                                ReadyReasons.OBSERVED,
                                orDefault(
                                        message, "Observed; the operator never writes under managementPolicy Observe"))
                        .relinking(plan.relinking(), relinkingText(plan));
                yield plan.relinking() ? observed.requeueAfter(relinkPoll) : observed;
            }
            case RELINKING ->
                synced(
                                false,
                                ReadyReasons.RELINKING,
                                orDefault(message, "Mailgun is still moving linked domains to the new IPs"))
                        .relinking(true, relinkingText(plan))
                        .requeueAfter(relinkPoll);
            case CREATING ->
                notSynced(ReadyReasons.CREATING, message, SyncedReasons.WAITING, message)
                        .requeueAfter(relinkPoll);
            case UPDATING ->
                notSynced(
                                ReadyReasons.WAITING,
                                message,
                                SyncedReasons.WAITING,
                                "Mailgun calls still planned: " + Plans.lines(plan))
                        .requeueAfter(relinkPoll);
            case WAITING ->
                notSynced(ReadyReasons.WAITING, message, SyncedReasons.WAITING, message)
                        .requeueAfter(waitRecheck);
            // waiting, not wrong: Synced stays True, and the account poll wakes the pool when an IP is warm
            case WAITING_FOR_WARMUP ->
                synced(false, ReadyReasons.WAITING_FOR_WARMUP, message).requeueAfter(settings.warmupProgressInterval());
            case CONFLICT ->
                notSynced(ReadyReasons.CONFLICT, message, SyncedReasons.TERMINAL, message)
                        .requeueAfter(waitRecheck);
            // terminal (stalled) like Conflict: waits for the spec, or for Mailgun to come to match it
            case ADOPTION_WOULD_CHANGE ->
                notSynced(ReadyReasons.ADOPTION_WOULD_CHANGE, message, SyncedReasons.TERMINAL, message)
                        .requeueAfter(waitRecheck);
            case OWNED_ELSEWHERE ->
                notSynced(ReadyReasons.OWNED_ELSEWHERE, message, SyncedReasons.TERMINAL, message)
                        .requeueAfter(waitRecheck);
            case INVALID -> notSynced(ReadyReasons.INVALID, message, SyncedReasons.TERMINAL, message);
            case DELETING -> synced(false, ReadyReasons.DELETING, message).requeueAfter(relinkPoll);
            case DELETION_BLOCKED ->
                notSynced(ReadyReasons.DELETION_BLOCKED, message, SyncedReasons.WAITING, message)
                        .requeueAfter(waitRecheck);
            case DELETED -> synced(false, ReadyReasons.DELETING, "Deleted");
        };
    }

    /** A Mailgun answer that retrying cannot fix (a 4xx other than 408/429). */
    static Outcome rejected(MailgunStep step, MailgunException e) {
        if (e instanceof OwnershipRefusedException) {
            // the guard saw a pool change hands after planning; the next plan says more
            return notSynced(ReadyReasons.CONFLICT, e.getMessage(), SyncedReasons.TERMINAL, e.getMessage());
        }
        String what = step == null ? "Mailgun" : "Mailgun rejected " + step.describe();
        String message = what + ": " + ErrorMessages.shortened(e.getMessage());
        return notSynced(
                ReadyReasons.ERROR,
                message,
                SyncedReasons.TERMINAL,
                message + ". Fix the spec or the account; the operator tries again when either changes.");
    }

    /** The same outcome with {@code note} added to Ready's message. */
    Outcome withReadyNote(String note) {
        String message = readyMessage == null || readyMessage.isBlank() ? note : readyMessage + "; " + note;
        return new Outcome(
                ready, readyReason, message, synced, syncedReason, syncedMessage, relinking, relinkingMessage, requeue);
    }

    /** A create whose outcome is unknown: no second create, no letting go, until it is known. */
    static Outcome createPending(boolean deleting, String message, Duration recheck) {
        return notSynced(
                        deleting ? ReadyReasons.DELETING : ReadyReasons.CREATING,
                        message,
                        SyncedReasons.CREATE_INCOMPLETE,
                        message)
                .requeueAfter(recheck);
    }

    /**
     * The account cannot be read: Synced says why; Ready keeps its last known value, and its
     * message says when Mailgun last confirmed it (or, never confirmed, Ready is False/Error).
     */
    static Outcome accountUnreadable(PollHealth health, Condition lastReady, Duration recheck) {
        String reason = health.cause() == PollHealth.Cause.UNAUTHORIZED
                ? SyncedReasons.UNAUTHORIZED
                : SyncedReasons.ACCOUNT_UNREACHABLE;
        String synced = "Mailgun cannot be read: " + health.detail()
                + (health.cause() == PollHealth.Cause.UNAUTHORIZED
                        ? ". Fix the API key in the Secret; the operator reads again on its own."
                        : ". The operator keeps reading and recovers by itself once Mailgun answers.");
        if (lastReady == null || health.lastConfirmed() == null) {
            return notSynced(ReadyReasons.ERROR, synced, reason, synced).requeueAfter(recheck);
        }
        String kept = LAST_CONFIRMED
                .matcher(Optional.ofNullable(lastReady.getMessage()).orElse(""))
                .replaceAll("");
        String message =
                (kept.isBlank() ? "" : kept + " ") + "(Mailgun last confirmed this at " + health.lastConfirmed() + ")";
        // Ready as last confirmed; only its message changes
        return new Outcome(
                Conditions.TRUE.equals(lastReady.getStatus()),
                lastReady.getReason(),
                message,
                false,
                reason,
                synced,
                null,
                null,
                Optional.of(recheck));
    }

    private static final Pattern LAST_CONFIRMED = Pattern.compile("\\s*\\(Mailgun last confirmed this at [^)]*\\)$");

    /**
     * No usable credentials: missing Secret or key (Error), a Secret value the operator refuses
     * (Invalid), a namespace the default account is not for (AccountNotAllowed).
     */
    static Outcome accountProblem(String reason, String message, ReconcileSettings settings) {
        // Secrets are not watched: look again for a fixed Secret; the policy only changes on restart
        Outcome problem =
                notSynced(reason == null ? ReadyReasons.ERROR : reason, message, SyncedReasons.TERMINAL, message);
        return ReadyReasons.ACCOUNT_NOT_ALLOWED.equals(reason) ? problem : problem.requeueAfter(settings.waitRecheck());
    }

    List<Condition> apply(Conditions conditions, List<Condition> previous, long generation) {
        Conditions.Update update = conditions
                .update(previous, generation)
                .set(ConditionTypes.READY, bool(ready), readyReason, readyMessage)
                .set(ConditionTypes.SYNCED, bool(synced), syncedReason, syncedMessage);
        if (relinking != null) {
            update.set(
                    ConditionTypes.RELINKING,
                    bool(relinking),
                    relinking ? RelinkingReasons.PROPAGATING : RelinkingReasons.SETTLED,
                    relinking ? orDefault(relinkingMessage, "Mailgun is relinking domains") : relinkingMessage);
        }
        return Progress.mark(update).conditions();
    }

    private static String relinkingText(Plan plan) {
        return plan.notes().isEmpty() ? "Mailgun is relinking domains" : String.join("; ", plan.notes());
    }

    private static String bool(boolean b) {
        return b ? Conditions.TRUE : Conditions.FALSE;
    }

    private static String orDefault(String message, String fallback) {
        return message == null || message.isBlank() ? fallback : message;
    }
}
