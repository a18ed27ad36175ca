package dev.ippools.mailgun.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * Desired state of one Mailgun dedicated IP pool. Lists are sets: the API server rejects duplicates
 * ({@code x-kubernetes-list-type: set}) and their order carries no meaning.
 */
// Unknown fields are ignored so an older operator can read resources written for a newer CRD.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(value = ListTypeSet.class, input = "ips,delegatedTo")
public record IpPoolSpec(
        @JsonPropertyDescription("Pool name in Mailgun. Defaults to metadata.name.") @Size(min = 1)
        String name,

        @JsonPropertyDescription("Pool description in Mailgun (Mailgun requires one). Defaults to a generated text."
                + " The operator adds an ownership marker to it in Mailgun.")
        @Size(min = 1)
        String description,

        @JsonPropertyDescription("Dedicated IP addresses the pool must hold (IPv4, or IPv6 in lowercase). Each IP can"
                + " be in one pool only.")
        List<@Pattern(ApiConstants.Patterns.IP) @Size(max = 45) String> ips,

        @JsonPropertyDescription("Ids of the subaccounts (24 hex digits) the pool is delegated to.")
        List<@Pattern(ApiConstants.Patterns.MAILGUN_ID) String> delegatedTo,

        @JsonPropertyDescription("Id of an existing Mailgun pool (24 hex digits) to adopt instead of creating one.")
        @Pattern(ApiConstants.Patterns.MAILGUN_ID)
        String poolId,

        @JsonPropertyDescription(
                "Secret with the Mailgun account's credentials. Absent: the operator's default" + " account.")
        AccountReference accountRef,

        @JsonPropertyDescription("Manage makes Mailgun match this spec; Observe only reports what Mailgun has, in"
                + " status, and never writes.")
        @Default("Manage")
        ManagementPolicy managementPolicy,

        @JsonPropertyDescription(
                "Delete removes the pool from Mailgun when this resource is deleted; Orphan leaves" + " it.")
        @Default("Delete")
        DeletionPolicy deletionPolicy,

        @JsonPropertyDescription("What Mailgun relinks the pool's domains to when the pool is deleted. Needed when"
                + " the pool has IPs and linked domains.")
        PoolReplacement replacement,

        @JsonPropertyDescription("Start makes the operator start a Mailgun warm-up, once, for each listed dedicated IP"
                + " that is neither warm nor warming; Wait (the default) only waits for warm-ups"
                + " started in Mailgun. Either way a warming IP joins the pool once it is warm.")
        @Default("Wait")
        WarmupPolicy warmup,

        @JsonPropertyDescription("With spec.poolId: IfUnchanged adopts the pool only if the first reconcile would not"
                + " change it (otherwise AdoptionWouldChange lists the differences); Overwrite"
                + " makes the pool match the spec.")
        @Default("IfUnchanged")
        Adoption adoption) {

    /** A spec that leaves warm-ups to people and adoption at its default. */
    public IpPoolSpec(
            String name,
            String description,
            List<String> ips,
            List<String> delegatedTo,
            String poolId,
            AccountReference accountRef,
            ManagementPolicy managementPolicy,
            DeletionPolicy deletionPolicy,
            PoolReplacement replacement) {
        this(
                name,
                description,
                ips,
                delegatedTo,
                poolId,
                accountRef,
                managementPolicy,
                deletionPolicy,
                replacement,
                null,
                null);
    }

    public IpPoolSpec {
        ips = ips == null ? null : List.copyOf(ips);
        delegatedTo = delegatedTo == null ? null : List.copyOf(delegatedTo);
    }

    /** The management policy, with the schema default applied when absent. */
    public ManagementPolicy effectiveManagementPolicy() {
        return managementPolicy == null ? ManagementPolicy.MANAGE : managementPolicy;
    }

    /** The warm-up policy, with the schema default applied when absent. */
    public WarmupPolicy effectiveWarmup() {
        return warmup == null ? WarmupPolicy.WAIT : warmup;
    }

    /** The adoption policy, with the schema default applied when absent. */
    public Adoption effectiveAdoption() {
        return adoption == null ? Adoption.IF_UNCHANGED : adoption;
    }

    /** The deletion policy, with the schema default applied when absent. */
    public DeletionPolicy effectiveDeletionPolicy() {
        return deletionPolicy == null ? DeletionPolicy.DELETE : deletionPolicy;
    }
}
