package dev.ippools.mailgun.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An IP's warm-up plan: {@code stages} stages of {@code stageDuration} each from {@code
 * startedAt}, read on the emulator's clock. Mailgun does not publish its plans; the volumes here
 * only follow the shape of its answers (each stage's limit doubles).
 */
record Warmup(String ip, Instant startedAt, int stages, Duration stageDuration) {

    private static final int FIRST_STAGE_LIMIT = 100;

    boolean finished(Instant now) {
        return !now.isBefore(endsAt());
    }

    Instant endsAt() {
        return startedAt.plus(stageDuration.multipliedBy(stages));
    }

    /** 1-based stage at {@code now}, at most {@code stages}. */
    int stage(Instant now) {
        long elapsed = Math.max(0, Duration.between(startedAt, now).toMillis());
        long stage = elapsed / Math.max(1, stageDuration.toMillis()) + 1;
        return (int) Math.min(stage, stages);
    }

    Instant stageStartedAt(int stage) {
        return startedAt.plus(stageDuration.multipliedBy(stage - 1L));
    }

    /** How far into the current stage, as Mailgun writes it: {@code "42%"}. */
    String sentWithinStage(Instant now) {
        int stage = stage(now);
        long into = Duration.between(stageStartedAt(stage), now).toMillis();
        long percent = Math.min(100, Math.max(0, into * 100 / Math.max(1, stageDuration.toMillis())));
        return percent + "%";
    }

    static int limit(int stage) {
        return FIRST_STAGE_LIMIT << Math.min(stage - 1, 20);
    }

    /** An item of {@code GET /v3/ip_warmups} (the names of the list schema). */
    Map<String, Object> summary(Instant now) {
        int stage = stage(now);
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("ip", ip);
        item.put("sent_within_stage", sentWithinStage(now));
        item.put("throttle", throttle(now));
        item.put("stage_number", stage);
        item.put("stage_start_volume", startVolume(stage));
        item.put("stage_start_time", Json.rfc3339(stageStartedAt(stage)));
        item.put("stage_volume_limit", limit(stage));
        return item;
    }

    /**
     * {@code details} of {@code GET /v3/ip_warmups/{addr}}. Mailgun's OpenAPI example and its Go SDK
     * name the stage fields differently (reference §4.5); both are written, as readers take either.
     */
    Map<String, Object> details(Instant now) {
        int stage = stage(now);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("sent_within_stage", sentWithinStage(now));
        d.put("throttle", throttle(now));
        d.put("stage", stage);
        d.put("stage_number", stage);
        d.put("start_volume", startVolume(stage));
        d.put("stage_start_volume", startVolume(stage));
        d.put("stage_limit", limit(stage));
        d.put("stage_volume_limit", limit(stage));
        d.put("hourly_limit", Math.max(1, limit(stage) / 24));
        d.put("stage_started_at", Json.rfc3339(stageStartedAt(stage)));
        d.put("stage_start_time", Json.rfc3339(stageStartedAt(stage)));
        d.put("hour_started_at", Json.rfc3339(now.truncatedTo(java.time.temporal.ChronoUnit.HOURS)));
        d.put("plan_started_at", Json.rfc3339(startedAt));
        d.put("plan_last_updated_at", Json.rfc3339(stageStartedAt(stage)));
        d.put("total_stages", stages);
        List<Object> history = new ArrayList<>();
        for (int done = 1; done < stage; done++) {
            history.add(Json.obj(
                    "first_updated_at", Json.rfc3339(stageStartedAt(done)),
                    "completed_at", Json.rfc3339(stageStartedAt(done + 1)),
                    "limit", limit(done)));
        }
        d.put("stage_history", history);
        return d;
    }

    private static int startVolume(int stage) {
        return stage == 1 ? 0 : limit(stage - 1);
    }

    /** Share of the hour's limit still free, in percent; falls as the stage goes on. */
    private int throttle(Instant now) {
        return 100 - Integer.parseInt(sentWithinStage(now).replace("%", ""));
    }
}
