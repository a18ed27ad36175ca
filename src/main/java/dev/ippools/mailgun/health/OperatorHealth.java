package dev.ippools.mailgun.health;

import dev.ippools.mailgun.health.HealthCheck.Status;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import java.util.Map;
import java.util.TreeMap;

/** Probe verdicts from JOSDK's runtime info. */
public final class OperatorHealth {

    private OperatorHealth() {}

    /**
     * Ready once the operator has started (caches synced) and while every event source is healthy.
     * A standby replica without the leader Lease is ready too: it serves probes and metrics.
     *
     * @param operator null while the operator is still starting
     */
    public static Status readiness(Operator operator) {
        if (operator == null) {
            return Status.failing("starting");
        }
        RuntimeInfo info = operator.getRuntimeInfo();
        if (!info.isStarted()) {
            return Status.failing("operator not started");
        }
        if (!info.allEventSourcesAreHealthy()) {
            Map<String, Object> unhealthy = new TreeMap<>();
            info.unhealthyEventSources().forEach((controller, sources) -> unhealthy.put(controller, sources.keySet()));
            return Status.failing("unhealthy event sources: " + unhealthy);
        }
        return Status.ok();
    }

    /**
     * Alive unless the runtime failed for good: a fatal failure was reported, or the operator stopped
     * although nobody asked it to.
     *
     * @param operator null while the operator is still starting
     * @param failure the reported fatal failure, or null
     * @param stopping whether a shutdown is under way (then a stopped operator is expected)
     */
    public static Status liveness(Operator operator, String failure, boolean stopping) {
        if (failure != null) {
            return Status.failing(failure);
        }
        if (operator != null && !stopping && !operator.getRuntimeInfo().isStarted()) {
            return Status.failing("operator stopped");
        }
        return Status.ok();
    }
}
