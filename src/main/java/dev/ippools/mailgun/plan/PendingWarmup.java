package dev.ippools.mailgun.plan;

/**
 * A listed IP the pool waits for because Mailgun keeps IPs out of pools until they are warm: one
 * warming up, or one the operator is to start warming ({@code spec.warmup: Start}).
 *
 * @param progress what Mailgun last reported of the warm-up; null when not read (yet)
 */
public record PendingWarmup(String ip, Phase phase, ObservedAccount.ObservedWarmup progress) {

    public enum Phase {
        /** Neither warm nor warming, and spec.warmup is Start: the operator starts its warm-up. */
        TO_START,
        /** The operator started its warm-up; Mailgun does not show it warming (yet). */
        STARTED,
        /** Mailgun is warming it up. */
        WARMING
    }

    public boolean toStart() {
        return phase == Phase.TO_START;
    }

    /** E.g. {@code IP 192.0.2.7 waits for warm-up (stage 3 of 20, 40% of the stage sent, ...)}. */
    public String describe() {
        return "IP " + ip + " waits for warm-up ("
                + switch (phase) {
                    case TO_START -> "to be started: spec.warmup is Start";
                    case STARTED ->
                        "started by the operator; Mailgun does not show it warming up yet, and if"
                                + " it was cancelled in Mailgun, start it again there";
                    case WARMING -> stageText();
                }
                + ")";
    }

    private String stageText() {
        if (progress == null || progress.stage() == null) {
            return "stage not read yet";
        }
        StringBuilder out = new StringBuilder("stage ").append(progress.stage());
        if (progress.totalStages() != null) {
            out.append(" of ").append(progress.totalStages());
        }
        if (progress.sentWithinStage() != null) {
            out.append(", ").append(progress.sentWithinStage()).append(" of the stage sent");
        }
        if (progress.stageStartedAt() != null) {
            out.append(", stage started ").append(progress.stageStartedAt());
        }
        if (progress.planStartedAt() != null) {
            out.append(", warm-up started ").append(progress.planStartedAt());
        }
        return out.toString();
    }
}
