package dev.ippools.mailgun.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** What the operator last observed in Mailgun for an IpPool. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IpPoolStatus(
        @JsonPropertyDescription("Id of the Mailgun pool (24 hex digits).")
        String poolId,

        @JsonPropertyDescription("The metadata.generation this status was computed from.")
        Long observedGeneration,

        @JsonPropertyDescription("IP addresses the pool holds in Mailgun.")
        List<String> ips,

        @JsonPropertyDescription("Names of the domains linked to the pool in Mailgun.")
        List<String> linkedDomains,

        @JsonPropertyDescription("True when the pool is inherited from a parent account; it is then read-only.")
        Boolean inherited,

        @JsonPropertyDescription("Ready, Synced, Reconciling, Stalled and Relinking conditions.")
        List<Condition> conditions,

        @JsonPropertyDescription("The last value of the reconcile-requested-at annotation the operator acted on.")
        String lastHandledReconcileAt,

        @JsonPropertyDescription("Listed IPs left out of the pool until their Mailgun warm-up ends, with the progress"
                + " Mailgun last reported.")
        List<PendingWarmupStatus> pendingWarmups)
        implements ConditionedStatus<IpPoolStatus> {

    /** A status with no reconcile request handled and no IP waiting for warm-up. */
    public IpPoolStatus(
            String poolId,
            Long observedGeneration,
            List<String> ips,
            List<String> linkedDomains,
            Boolean inherited,
            List<Condition> conditions) {
        this(poolId, observedGeneration, ips, linkedDomains, inherited, conditions, null, null);
    }

    public IpPoolStatus {
        pendingWarmups = pendingWarmups == null ? null : List.copyOf(pendingWarmups);
        ips = ips == null ? null : List.copyOf(ips);
        linkedDomains = linkedDomains == null ? null : List.copyOf(linkedDomains);
        conditions = conditions == null ? null : List.copyOf(conditions);
    }

    @Override
    public IpPoolStatus withConditions(List<Condition> conditions) {
        return new IpPoolStatus(
                poolId,
                observedGeneration,
                ips,
                linkedDomains,
                inherited,
                conditions,
                lastHandledReconcileAt,
                pendingWarmups);
    }

    @Override
    public IpPoolStatus withObserved(Long generation, String reconcileRequest) {
        return new IpPoolStatus(
                poolId, generation, ips, linkedDomains, inherited, conditions, reconcileRequest, pendingWarmups);
    }
}
