package dev.ippools.mailgun.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether the operator starts Mailgun warm-ups of a pool's new IPs. */
public enum WarmupPolicy {
    /** Wait for warm-ups started in Mailgun; start none. */
    @JsonProperty("Wait")
    WAIT,
    /** Start a warm-up, once, for each listed dedicated IP that is neither warm nor warming. */
    @JsonProperty("Start")
    START
}
