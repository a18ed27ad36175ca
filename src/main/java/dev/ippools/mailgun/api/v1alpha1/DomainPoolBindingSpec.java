package dev.ippools.mailgun.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Which IPs one sending domain uses: an IpPool, a Mailgun pool id, or an explicit IP set. */
// Unknown fields are ignored so an older operator can read resources written for a newer CRD.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "(has(self.poolRef) ? 1 : 0) + (has(self.poolId) ? 1 : 0) + (has(self.ips) ? 1 : 0) == 1",
        message = "set exactly one of spec.poolRef (an IpPool), spec.poolId (a Mailgun pool id) or spec.ips"
                + " (explicit IPs)")
// On the class, not the component: fabric8 would emit a record component's rule twice.
@ValidationRule(
        value = "self.domain == oldSelf.domain",
        fieldPath = ".domain",
        message = "domain is immutable; delete this binding and create a new one instead")
@SchemaCustomizer(value = ListTypeSet.class, input = "ips")
public record DomainPoolBindingSpec(
        @JsonPropertyDescription("The Mailgun sending domain, in lowercase, e.g. mail.example.com. Cannot be changed;"
                + " create another binding instead.")
        @Required
        @Size(max = 253)
        @Pattern(ApiConstants.Patterns.DOMAIN)
        String domain,

        @JsonPropertyDescription("An IpPool in the same namespace to link the domain to.")
        PoolReference poolRef,

        @JsonPropertyDescription("Id of a Mailgun pool (24 hex digits) not managed here to link the domain to, e.g."
                + " one inherited from a parent account.")
        @Pattern(ApiConstants.Patterns.MAILGUN_ID)
        String poolId,

        @JsonPropertyDescription(
                "Explicit dedicated IP addresses for the domain, without a pool (IPv4, or IPv6 in" + " lowercase).")
        @Size(min = 1)
        List<@Pattern(ApiConstants.Patterns.IP) @Size(max = 45) String> ips,

        @JsonPropertyDescription(
                "Secret with the Mailgun account's credentials. Absent: the operator's default" + " account.")
        AccountReference accountRef,

        @JsonPropertyDescription("Manage makes Mailgun match this spec; Observe only reports what Mailgun has, in"
                + " status, and never writes.")
        @Default("Manage")
        ManagementPolicy managementPolicy,

        @JsonPropertyDescription("On deletion: Unlink unlinks the pool (a linked pool needs replacement), Orphan"
                + " leaves the domain as it is, RemoveDomainPool removes all of the domain's IPs"
                + " (destructive).")
        @Default("Unlink")
        OnDelete onDelete,

        @JsonPropertyDescription("What the domain gets when it is unlinked from a pool: another IpPool, a Mailgun"
                + " pool id, or an IP address (or shared).")
        PoolReplacement replacement,

        @JsonPropertyDescription("IfUnchanged: until the binding has settled once, a domain linked to another pool is"
                + " not moved (AdoptionWouldChange); Overwrite moves it.")
        @Default("IfUnchanged")
        Adoption adoption) {

    /** A spec that leaves adoption at its default. */
    public DomainPoolBindingSpec(
            String domain,
            PoolReference poolRef,
            String poolId,
            List<String> ips,
            AccountReference accountRef,
            ManagementPolicy managementPolicy,
            OnDelete onDelete,
            PoolReplacement replacement) {
        this(domain, poolRef, poolId, ips, accountRef, managementPolicy, onDelete, replacement, null);
    }

    public DomainPoolBindingSpec {
        ips = ips == null ? null : List.copyOf(ips);
    }

    /** The management policy, with the schema default applied when absent. */
    public ManagementPolicy effectiveManagementPolicy() {
        return managementPolicy == null ? ManagementPolicy.MANAGE : managementPolicy;
    }

    /** The adoption policy, with the schema default applied when absent. */
    public Adoption effectiveAdoption() {
        return adoption == null ? Adoption.IF_UNCHANGED : adoption;
    }

    /** The deletion behaviour, with the schema default applied when absent. */
    public OnDelete effectiveOnDelete() {
        return onDelete == null ? OnDelete.UNLINK : onDelete;
    }
}
