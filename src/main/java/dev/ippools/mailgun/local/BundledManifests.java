package dev.ippools.mailgun.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The manifests inside the jar: the CRDs the build generates from the API classes ({@code
 * META-INF/fabric8/}) and the samples from {@code config/samples/}, in the order of their
 * kustomization.
 */
public final class BundledManifests {

    static final String CRD_DIR = "META-INF/fabric8/";
    static final String SAMPLES_DIR = "dev/ippools/mailgun/local/samples/";

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Map<String, Class<? extends HasMetadata>> KINDS =
            Map.of("IpPool", IpPool.class, "DomainPoolBinding", DomainPoolBinding.class);

    private BundledManifests() {}

    /** The IpPool and DomainPoolBinding CRDs. */
    public static List<CustomResourceDefinition> crds() {
        List<CustomResourceDefinition> crds = new ArrayList<>();
        for (Class<? extends HasMetadata> type : KINDS.values()) {
            String name = CRD_DIR + HasMetadata.getFullResourceName(type) + "-v1.yml";
            crds.add(SERIALIZATION.unmarshal(read(name), CustomResourceDefinition.class));
        }
        return crds;
    }

    /** The sample IpPools and DomainPoolBindings, without a namespace. */
    public static List<HasMetadata> samples() {
        JsonNode kustomization;
        try {
            kustomization = new YAMLMapper().readTree(read(SAMPLES_DIR + "kustomization.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled samples' kustomization", e);
        }
        List<HasMetadata> samples = new ArrayList<>();
        for (JsonNode file : kustomization.path("resources")) {
            samples.addAll(parse(read(SAMPLES_DIR + file.asText())));
        }
        return samples;
    }

    /** The IpPools and DomainPoolBindings in a (multi-document) YAML text, typed. */
    public static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> resources = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            if (document.lines().allMatch(l -> l.isBlank() || l.trim().startsWith("#"))) {
                continue;
            }
            GenericKubernetesResource generic = SERIALIZATION.unmarshal(document, GenericKubernetesResource.class);
            Class<? extends HasMetadata> type = KINDS.get(generic.getKind());
            if (type == null) {
                throw new IllegalArgumentException("not an IpPool or DomainPoolBinding: " + generic.getKind() + " "
                        + generic.getMetadata().getName());
            }
            resources.add(SERIALIZATION.convertValue(generic, type));
        }
        return resources;
    }

    private static String read(String resource) {
        try (InputStream in = BundledManifests.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
