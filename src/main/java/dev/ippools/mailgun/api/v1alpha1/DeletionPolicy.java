package dev.ippools.mailgun.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What happens to the Mailgun pool when its IpPool is deleted. */
public enum DeletionPolicy {
    /** Delete the pool in Mailgun (relinking its domains to the replacement). */
    @JsonProperty("Delete")
    DELETE,
    /** Leave the pool in Mailgun untouched. */
    @JsonProperty("Orphan")
    ORPHAN
}
