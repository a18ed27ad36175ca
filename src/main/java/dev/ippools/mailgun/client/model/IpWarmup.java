package dev.ippools.mailgun.client.model;

import java.time.Instant;
import java.util.List;

/**
 * A running IP warm-up ({@code GET /v3/ip_warmups} item or {@code GET /v3/ip_warmups/{addr}}
 * details). Every field but {@code ip} may be null: the list carries fewer fields than the
 * details, and Mailgun's sources name the stage fields two ways (reference §4.5).
 *
 * @param sentWithinStage how much of the stage's volume was sent, as Mailgun writes it ({@code
 *     "25%"})
 * @param stageHistory completed stages (details only)
 */
public record IpWarmup(
        String ip,
        Integer stage,
        Integer totalStages,
        String sentWithinStage,
        Integer throttle,
        Integer stageStartVolume,
        Integer stageLimit,
        Integer hourlyLimit,
        Instant stageStartedAt,
        Instant planStartedAt,
        Instant planLastUpdatedAt,
        List<Stage> stageHistory) {

    public IpWarmup {
        stageHistory = stageHistory == null ? List.of() : List.copyOf(stageHistory);
    }

    /** A completed stage. */
    public record Stage(Instant firstUpdatedAt, Instant completedAt, Integer limit) {}

    /** The same warm-up with {@code ip} set (the details answer does not repeat it). */
    public IpWarmup withIp(String address) {
        return new IpWarmup(
                address,
                stage,
                totalStages,
                sentWithinStage,
                throttle,
                stageStartVolume,
                stageLimit,
                hourlyLimit,
                stageStartedAt,
                planStartedAt,
                planLastUpdatedAt,
                stageHistory);
    }
}
