package dev.ippools.mailgun.cli;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The Kubernetes client's JSON mapping, without {@code metadata.managedFields}: server-side apply's
 * record of which manager wrote which field is the largest part of every object the API server
 * sends (each watch event, each write's answer), and nothing here reads it. Skipped while
 * parsing, it costs neither objects nor garbage; at 6,000 resources parsing it was a good part of
 * the operator's CPU. Writes never send it either, which leaves the server's record as it is.
 */
final class KubeJson {

    private KubeJson() {}

    static KubernetesSerialization withoutManagedFields() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.addMixIn(ObjectMeta.class, WithoutManagedFields.class);
        return new KubernetesSerialization(mapper, true);
    }

    // Replaces ObjectMeta's own class annotation, hence ignoreUnknown again.
    @JsonIgnoreProperties(value = "managedFields", ignoreUnknown = true)
    private abstract static class WithoutManagedFields {}
}
