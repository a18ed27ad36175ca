package dev.ippools.mailgun.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * Points at the Secret that holds a Mailgun account's credentials. Keys: {@code apiKey} (required),
 * {@code region} ({@code us} or {@code eu}), {@code baseUrl}, {@code subaccountId}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AccountReference(
        @JsonPropertyDescription("Name of a Secret in the same namespace with the key apiKey and the optional keys"
                + " region (us or eu), baseUrl and subaccountId (sent as X-Mailgun-On-Behalf-Of).")
        @Required
        @Size(min = 1, max = 253)
        @Pattern(ApiConstants.Patterns.OBJECT_NAME)
        String secretName) {

    public static final String API_KEY = "apiKey";
    public static final String REGION = "region";
    public static final String BASE_URL = "baseUrl";
    public static final String SUBACCOUNT_ID = "subaccountId";
}
