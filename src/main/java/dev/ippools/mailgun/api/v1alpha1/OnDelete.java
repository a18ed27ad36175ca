package dev.ippools.mailgun.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What happens to the domain's IP assignment in Mailgun when its DomainPoolBinding is deleted. */
public enum OnDelete {
    /** Unlink the pool from the domain; a linked pool needs {@code replacement}. */
    @JsonProperty("Unlink")
    UNLINK,
    /** Leave the domain's IPs as they are. */
    @JsonProperty("Orphan")
    ORPHAN,
    /** Remove the domain's whole IP assignment (Mailgun's destructive {@code all}). */
    @JsonProperty("RemoveDomainPool")
    REMOVE_DOMAIN_POOL
}
