package dev.ippools.mailgun.status;

import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ConditionTypes;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.SyncedReasons;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where a resource stands in kstatus' terms (what Flux and Argo CD read), derived from its Ready
 * and Synced conditions in this one place, so a new reason is classified by the same rule: any
 * reason not named stalled here is work in progress (Reconciling), never Stalled.
 */
public enum Progress {
    /** Ready, or paused: Reconciling=False, no Stalled. */
    SETTLED,
    /** Working toward the current generation (creating, relinking, waiting, deleting, retrying). */
    RECONCILING,
    /** Cannot progress until someone changes the spec, a Secret or the operator's settings. */
    STALLED,
    /** The paused annotation is set: nothing is in progress and the last observation is kept. */
    PAUSED;

    /** Synced reasons that need a person: today's Terminal, and a key Mailgun refuses. */
    static final Set<String> STALLED_SYNCED_REASONS = Set.of(SyncedReasons.TERMINAL, SyncedReasons.UNAUTHORIZED);

    /** Whether a Synced=False reason means the resource is stalled. */
    public static boolean stalls(String syncedReason) {
        return STALLED_SYNCED_REASONS.contains(syncedReason);
    }

    /** The classification of a Ready and a Synced condition (either may be null). */
    public static Progress of(Condition ready, Condition synced) {
        String syncedReason = synced == null ? null : synced.getReason();
        if (SyncedReasons.RECONCILE_PAUSED.equals(syncedReason)) {
            return PAUSED;
        }
        if (synced != null
                && Conditions.FALSE.equals(synced.getStatus())
                && STALLED_SYNCED_REASONS.contains(syncedReason)) {
            return STALLED;
        }
        boolean isReady = ready != null && Conditions.TRUE.equals(ready.getStatus());
        boolean isSynced = synced != null && Conditions.TRUE.equals(synced.getStatus());
        return isReady && isSynced ? SETTLED : RECONCILING;
    }

    /**
     * Sets Reconciling and Stalled on {@code update} from its Ready and Synced conditions. Stalled
     * takes Ready's reason (the specific one, e.g. {@code Invalid}) and Synced's message; Reconciling
     * names what is under way. A paused resource keeps its last Stalled as observed.
     */
    public static Conditions.Update mark(Conditions.Update update) {
        List<Condition> current = update.conditions();
        Condition ready = Conditions.find(current, ConditionTypes.READY).orElse(null);
        Condition synced = Conditions.find(current, ConditionTypes.SYNCED).orElse(null);
        Progress progress = of(ready, synced);
        String readyReason =
                Optional.ofNullable(ready).map(Condition::getReason).orElse(null);
        boolean readyFalse = ready != null && !Conditions.TRUE.equals(ready.getStatus());
        switch (progress) {
            case PAUSED ->
                update.set(
                        ConditionTypes.RECONCILING,
                        Conditions.FALSE,
                        SyncedReasons.RECONCILE_PAUSED,
                        synced.getMessage());
            case STALLED -> {
                String reason = readyFalse ? readyReason : synced.getReason();
                update.set(ConditionTypes.STALLED, Conditions.TRUE, reason, synced.getMessage())
                        .set(ConditionTypes.RECONCILING, Conditions.FALSE, reason, "");
            }
            case RECONCILING -> {
                // Synced names a retry or an unclear create; Ready the specific wait (Creating, ...)
                boolean syncedSays = synced != null
                        && Conditions.FALSE.equals(synced.getStatus())
                        && !SyncedReasons.WAITING.equals(synced.getReason());
                Condition why = syncedSays || !readyFalse ? synced : ready;
                update.remove(ConditionTypes.STALLED)
                        .set(
                                ConditionTypes.RECONCILING,
                                Conditions.TRUE,
                                why == null ? SyncedReasons.WAITING : why.getReason(),
                                why == null ? "" : why.getMessage());
            }
            case SETTLED ->
                update.remove(ConditionTypes.STALLED)
                        .set(ConditionTypes.RECONCILING, Conditions.FALSE, readyReason, "");
        }
        return update;
    }
}
