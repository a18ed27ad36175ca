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
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The conditions one reconcile ends with, and when to look again. Built from a plan, a Mailgun
 * error or an account problem; the same vocabulary for both kinds (architecture §3).
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

  static Outcome of(Plan plan, ReconcileSettings settings) {
    String message = Plans.message(plan);
    return switch (plan.state()) {
      case AVAILABLE -> new Outcome(true, ReadyReasons.AVAILABLE, orDefault(message,
              "Mailgun matches the spec"), true, SyncedReasons.RECONCILE_SUCCESS, "", false,
          "Linked domains use the pool's IPs", Optional.empty());
      case OBSERVED -> new Outcome(true, ReadyReasons.OBSERVED, orDefault(message,
              "Observed; the operator never writes under managementPolicy Observe"), true,
          SyncedReasons.RECONCILE_SUCCESS, "", plan.relinking(), relinkingText(plan),
          plan.relinking() ? Optional.of(settings.relinkPoll()) : Optional.empty());
      case RELINKING -> new Outcome(false, ReadyReasons.RELINKING, orDefault(message,
              "Mailgun is still moving linked domains to the new IPs"), true,
          SyncedReasons.RECONCILE_SUCCESS, "", true, relinkingText(plan),
          Optional.of(settings.relinkPoll()));
      case CREATING -> new Outcome(false, ReadyReasons.CREATING, message, false,
          SyncedReasons.WAITING, message, null, null, Optional.of(settings.relinkPoll()));
      case UPDATING -> new Outcome(false, ReadyReasons.WAITING, message, false,
          SyncedReasons.WAITING, "Mailgun calls still planned: " + Plans.lines(plan), null, null,
          Optional.of(settings.relinkPoll()));
      case WAITING -> new Outcome(false, ReadyReasons.WAITING, message, false,
          SyncedReasons.WAITING, message, null, null, Optional.of(settings.waitRecheck()));
      case CONFLICT -> new Outcome(false, ReadyReasons.CONFLICT, message, false,
          SyncedReasons.TERMINAL, message, null, null, Optional.of(settings.waitRecheck()));
      // terminal (stalled) like Conflict: waits for the spec, or for Mailgun to come to match it
      case ADOPTION_WOULD_CHANGE -> new Outcome(false, ReadyReasons.ADOPTION_WOULD_CHANGE, message,
          false, SyncedReasons.TERMINAL, message, null, null, Optional.of(settings.waitRecheck()));
      case OWNED_ELSEWHERE -> new Outcome(false, ReadyReasons.OWNED_ELSEWHERE, message, false,
          SyncedReasons.TERMINAL, message, null, null, Optional.of(settings.waitRecheck()));
      case INVALID -> new Outcome(false, ReadyReasons.INVALID, message, false,
          SyncedReasons.TERMINAL, message, null, null, Optional.empty());
      case DELETING -> new Outcome(false, ReadyReasons.DELETING, message, true,
          SyncedReasons.RECONCILE_SUCCESS, "", null, null, Optional.of(settings.relinkPoll()));
      case DELETION_BLOCKED -> new Outcome(false, ReadyReasons.DELETION_BLOCKED, message, false,
          SyncedReasons.WAITING, message, null, null, Optional.of(settings.waitRecheck()));
      case DELETED -> new Outcome(false, ReadyReasons.DELETING, "Deleted", true,
          SyncedReasons.RECONCILE_SUCCESS, "", null, null, Optional.empty());
    };
  }

  /** A Mailgun answer that retrying cannot fix (a 4xx other than 408/429). */
  static Outcome rejected(MailgunStep step, MailgunException e) {
    if (e instanceof OwnershipRefusedException) {
      // the guard saw a pool change hands after planning; the next plan says more
      return new Outcome(false, ReadyReasons.CONFLICT, e.getMessage(), false,
          SyncedReasons.TERMINAL, e.getMessage(), null, null, Optional.empty());
    }
    String what = step == null ? "Mailgun" : "Mailgun rejected " + step.describe();
    String message = what + ": " + ErrorMessages.shortened(e.getMessage());
    return new Outcome(false, ReadyReasons.ERROR, message, false, SyncedReasons.TERMINAL,
        message + ". Fix the spec or the account; the operator tries again when either changes.",
        null, null, Optional.empty());
  }

  /** The same outcome with {@code note} added to Ready's message. */
  Outcome withReadyNote(String note) {
    String message = readyMessage == null || readyMessage.isBlank() ? note
        : readyMessage + "; " + note;
    return new Outcome(ready, readyReason, message, synced, syncedReason, syncedMessage,
        relinking, relinkingMessage, requeue);
  }

  /** A create whose outcome is unknown: no second create, no letting go, until it is known. */
  static Outcome createPending(boolean deleting, String message, Duration recheck) {
    return new Outcome(false, deleting ? ReadyReasons.DELETING : ReadyReasons.CREATING, message,
        false, SyncedReasons.CREATE_INCOMPLETE, message, null, null, Optional.of(recheck));
  }

  /**
   * The account cannot be read: Synced says why; Ready keeps its last known value, and its
   * message says when Mailgun last confirmed it (or, never confirmed, Ready is False/Error).
   */
  static Outcome accountUnreadable(PollHealth health, Condition lastReady, Duration recheck) {
    String reason = health.cause() == PollHealth.Cause.UNAUTHORIZED
        ? SyncedReasons.UNAUTHORIZED : SyncedReasons.ACCOUNT_UNREACHABLE;
    String synced = "Mailgun cannot be read: " + health.detail()
        + (health.cause() == PollHealth.Cause.UNAUTHORIZED
            ? ". Fix the API key in the Secret; the operator reads again on its own."
            : ". The operator keeps reading and recovers by itself once Mailgun answers.");
    if (lastReady == null || health.lastConfirmed() == null) {
      return new Outcome(false, ReadyReasons.ERROR, synced, false, reason, synced, null, null,
          Optional.of(recheck));
    }
    String kept = LAST_CONFIRMED.matcher(Optional.ofNullable(lastReady.getMessage()).orElse(""))
        .replaceAll("");
    String message = (kept.isBlank() ? "" : kept + " ")
        + "(Mailgun last confirmed this at " + health.lastConfirmed() + ")";
    return new Outcome(Conditions.TRUE.equals(lastReady.getStatus()), lastReady.getReason(),
        message, false, reason, synced, null, null, Optional.of(recheck));
  }

  private static final Pattern LAST_CONFIRMED =
      Pattern.compile("\\s*\\(Mailgun last confirmed this at [^)]*\\)$");

  /**
   * No usable credentials: missing Secret or key (Error), a Secret value the operator refuses
   * (Invalid), a namespace the default account is not for (AccountNotAllowed).
   */
  static Outcome accountProblem(String reason, String message, ReconcileSettings settings) {
    // Secrets are not watched: look again for a fixed Secret; the policy only changes on restart
    Optional<Duration> requeue = ReadyReasons.ACCOUNT_NOT_ALLOWED.equals(reason)
        ? Optional.empty() : Optional.of(settings.waitRecheck());
    return new Outcome(false, reason == null ? ReadyReasons.ERROR : reason, message, false,
        SyncedReasons.TERMINAL, message, null, null, requeue);
  }

  List<Condition> apply(Conditions conditions, List<Condition> previous, long generation) {
    Conditions.Update update = conditions.update(previous, generation)
        .set(ConditionTypes.READY, bool(ready), readyReason, readyMessage)
        .set(ConditionTypes.SYNCED, bool(synced), syncedReason, syncedMessage);
    if (relinking != null) {
      update.set(ConditionTypes.RELINKING, bool(relinking),
          relinking ? RelinkingReasons.PROPAGATING : RelinkingReasons.SETTLED,
          relinking ? orDefault(relinkingMessage, "Mailgun is relinking domains") : relinkingMessage);
    }
    return update.conditions();
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
