package dev.ippools.mailgun.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * What Mailgun relinks domains to when a pool is deleted or a domain is unlinked from one: exactly
 * one of another IpPool, a Mailgun pool id, or an IP address (or {@code shared}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "(has(self.poolRef) ? 1 : 0) + (has(self.poolId) ? 1 : 0) + (has(self.ip) ? 1 : 0) == 1",
        message = "replacement must set exactly one of poolRef, poolId or ip")
public record PoolReplacement(
        @JsonPropertyDescription("An IpPool in the same namespace that takes over the domains.")
        PoolReference poolRef,

        @JsonPropertyDescription("Id of a Mailgun pool (24 hex digits) that takes over the domains, e.g. one not"
                + " managed by this operator.")
        @Pattern(ApiConstants.Patterns.MAILGUN_ID)
        String poolId,

        @JsonPropertyDescription("A dedicated IP address the domains get instead, or the word shared to fall back to"
                + " Mailgun's shared IPs.")
        @Pattern(ApiConstants.Patterns.IP_OR_SHARED)
        String ip) {

    /** Whether the replacement falls back to Mailgun's shared IPs. */
    public boolean sharedIp() {
        return ApiConstants.SHARED_IP.equals(ip);
    }
}
