package dev.ippools.mailgun.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A listed IP left out of the pool until its Mailgun warm-up ends. Mailgun reports stages and
 * their dates, not an expected end, so none is given.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PendingWarmupStatus(
        @JsonPropertyDescription("The IP address.") String ip,

        @JsonPropertyDescription("Starting: the operator starts its warm-up (spec.warmup: Start); WarmingUp: Mailgun"
                + " is warming it up.")
        String phase,

        @JsonPropertyDescription("Current warm-up stage, as Mailgun last reported it.")
        Integer stage,

        @JsonPropertyDescription("Number of stages of the warm-up plan, where Mailgun reports it.")
        Integer totalStages,

        @JsonPropertyDescription("Share of the stage's volume sent, as Mailgun writes it (\"25%\").")
        String sentWithinStage,

        @JsonPropertyDescription("When the current stage started (RFC 3339).")
        String stageStartedAt,

        @JsonPropertyDescription("When the warm-up started (RFC 3339).")
        String startedAt) {

    public static final String STARTING = "Starting";
    public static final String WARMING_UP = "WarmingUp";
}
