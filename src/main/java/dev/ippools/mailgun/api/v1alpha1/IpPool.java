package dev.ippools.mailgun.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One Mailgun dedicated IP pool (DIPP). */
@Group(ApiConstants.GROUP)
@Version(ApiConstants.VERSION)
@ShortNames({"mgpool", "mgpools"})
@Categories(ApiConstants.CATEGORY)
@JsonInclude(JsonInclude.Include.NON_NULL)
@AdditionalPrinterColumn(name = "Pool-ID", jsonPath = ".status.poolId")
@AdditionalPrinterColumn(name = "IPs", jsonPath = ".spec.ips")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Synced", jsonPath = ".status.conditions[?(@.type==\"Synced\")].status")
@AdditionalPrinterColumn(
        name = "Relinking",
        jsonPath = ".status.conditions[?(@.type==\"Relinking\")].status",
        priority = 1)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
@ValidationRule(
        value = "!has(self.spec) || !has(self.spec.replacement) || !has(self.spec.replacement.poolRef)"
                + " || self.spec.replacement.poolRef.name != self.metadata.name",
        message = "spec.replacement.poolRef must name another IpPool, not this one")
public class IpPool extends CustomResource<IpPoolSpec, IpPoolStatus> implements Namespaced {

    // Overridden only to describe spec and status in the generated schema (kubectl explain).
    @Override
    @JsonPropertyDescription("The Mailgun pool this resource declares.")
    public IpPoolSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("What the operator last observed in Mailgun, and its conditions.")
    public IpPoolStatus getStatus() {
        return super.getStatus();
    }

    /** The pool name to use in Mailgun: {@code spec.name}, else {@code metadata.name}. */
    public String mailgunPoolName() {
        IpPoolSpec spec = getSpec();
        if (spec != null && spec.name() != null) {
            return spec.name();
        }
        return getMetadata().getName();
    }
}
