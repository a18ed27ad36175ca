package dev.ippools.mailgun.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Which pool or IPs one Mailgun sending domain uses. */
@Group(ApiConstants.GROUP)
@Version(ApiConstants.VERSION)
@ShortNames({"mgbinding", "mgbindings"})
@Categories(ApiConstants.CATEGORY)
@JsonInclude(JsonInclude.Include.NON_NULL)
@AdditionalPrinterColumn(name = "Domain", jsonPath = ".spec.domain")
@AdditionalPrinterColumn(name = "Pool", jsonPath = ".spec.poolRef.name")
@AdditionalPrinterColumn(name = "Pool-ID", jsonPath = ".status.linkedPoolId")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Synced", jsonPath = ".status.conditions[?(@.type==\"Synced\")].status")
@AdditionalPrinterColumn(name = "IPs", jsonPath = ".status.ips", priority = 1)
@AdditionalPrinterColumn(
        name = "Relinking",
        jsonPath = ".status.conditions[?(@.type==\"Relinking\")].status",
        priority = 1)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class DomainPoolBinding extends CustomResource<DomainPoolBindingSpec, DomainPoolBindingStatus>
        implements Namespaced {

    // Overridden only to shape the generated schema: spec is required, both are described.
    @Override
    @Required
    @JsonPropertyDescription("The domain and the pool or IPs it must send from.")
    public DomainPoolBindingSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("What the operator last observed in Mailgun, and its conditions.")
    public DomainPoolBindingStatus getStatus() {
        return super.getStatus();
    }
}
