package dev.ippools.mailgun.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether the operator may write to Mailgun for a resource. */
public enum ManagementPolicy {
    /** Make Mailgun match the spec. */
    @JsonProperty("Manage")
    MANAGE,
    /** Read-only import: report what Mailgun has in status, never write. */
    @JsonProperty("Observe")
    OBSERVE
}
