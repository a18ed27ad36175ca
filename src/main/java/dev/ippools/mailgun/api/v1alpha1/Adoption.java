package dev.ippools.mailgun.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether adopting an existing pool by {@code spec.poolId} may change it in Mailgun. */
public enum Adoption {
    /** Adopt only a pool that already matches the spec; otherwise stop with AdoptionWouldChange. */
    @JsonProperty("IfUnchanged")
    IF_UNCHANGED,
    /** Make the adopted pool match the spec, whatever that changes. */
    @JsonProperty("Overwrite")
    OVERWRITE
}
