package dev.ippools.mailgun.api.v1alpha1;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * CRD generation only: marks the named array properties (comma-separated input) as {@code
 * x-kubernetes-list-type: set}, so the API server rejects duplicates and server-side apply merges
 * them as sets. fabric8 7.5.2 has no annotation for it, and its merge-patch customizer replaces the
 * whole properties map.
 */
public final class ListTypeSet implements SchemaCustomizer.Customizer {

    @Override
    public JSONSchemaProps apply(JSONSchemaProps props, String input, KubernetesSerialization serialization) {
        for (String name : input.split(",")) {
            JSONSchemaProps property = props.getProperties().get(name.strip());
            if (property == null || !"array".equals(property.getType())) {
                throw new IllegalArgumentException("no array property named '" + name + "'");
            }
            property.setXKubernetesListType("set");
        }
        return props;
    }
}
