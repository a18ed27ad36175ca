package dev.ippools.mailgun.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** What the operator last observed in Mailgun for a DomainPoolBinding. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DomainPoolBindingStatus(
        @JsonPropertyDescription("Id of the Mailgun pool linked to the domain, if any.")
        String linkedPoolId,

        @JsonPropertyDescription("IP addresses the domain sends from in Mailgun.")
        List<String> ips,

        @JsonPropertyDescription("The metadata.generation this status was computed from.")
        Long observedGeneration,

        @JsonPropertyDescription("Ready, Synced, Reconciling, Stalled and Relinking conditions.")
        List<Condition> conditions,

        @JsonPropertyDescription("The last value of the reconcile-requested-at annotation the operator acted on.")
        String lastHandledReconcileAt)
        implements ConditionedStatus<DomainPoolBindingStatus> {

    public DomainPoolBindingStatus(
            String linkedPoolId, List<String> ips, Long observedGeneration, List<Condition> conditions) {
        this(linkedPoolId, ips, observedGeneration, conditions, null);
    }

    public DomainPoolBindingStatus {
        ips = ips == null ? null : List.copyOf(ips);
        conditions = conditions == null ? null : List.copyOf(conditions);
    }

    @Override
    public DomainPoolBindingStatus withConditions(List<Condition> conditions) {
        return new DomainPoolBindingStatus(linkedPoolId, ips, observedGeneration, conditions, lastHandledReconcileAt);
    }

    @Override
    public DomainPoolBindingStatus withObserved(Long generation, String reconcileRequest) {
        return new DomainPoolBindingStatus(linkedPoolId, ips, generation, conditions, reconcileRequest);
    }
}
