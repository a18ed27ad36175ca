package dev.ippools.mailgun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The objects the Argo CD health scripts are tested on ({@code config/argocd/<group>/<Kind>/
 * testdata/}) are statuses this tier produced. Each run compares what the operator produces now
 * with the committed file (conditions, generations, deletion, pause; ids and times aside);
 * {@code -Dargocd.testdata.update=true} rewrites the files from the live objects instead.
 */
final class ArgoCdTestdata {

    private static final Path ROOT = Path.of("config/argocd/mailgun.ippools.dev");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final String HEX_ID = "[0-9a-f]{24}";
    private static final String TEST_NAMESPACE = "gitops(-[a-z]+)?-[0-9a-f]{8}";

    private ArgoCdTestdata() {}

    static void check(String kind, String name, GenericKubernetesResource live) {
        Path file = ROOT.resolve(kind).resolve("testdata").resolve(name + ".yaml");
        JsonNode object = sanitized(live);
        try {
            if (Boolean.getBoolean("argocd.testdata.update")) {
                Files.writeString(
                        file,
                        "# Produced by GitOpsStatusE2E on a real API server; do not edit.\n"
                                + YAML.writeValueAsString(object));
                return;
            }
            JsonNode committed = YAML.readTree(file.toFile());
            assertThat(projection(object).toPrettyString())
                    .as(
                            "%s: the operator's status no longer matches the committed testdata; rerun"
                                    + " GitOpsStatusE2E with -Dargocd.testdata.update=true and review",
                            file)
                    .isEqualTo(projection(committed).toPrettyString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The object as committed: no server bookkeeping. */
    private static JsonNode sanitized(GenericKubernetesResource live) {
        ObjectNode o = (ObjectNode) Serialization.jsonMapper().valueToTree(live);
        ObjectNode meta = (ObjectNode) o.get("metadata");
        meta.remove(List.of("managedFields", "uid", "resourceVersion", "creationTimestamp"));
        return o;
    }

    /** What the health scripts read, with ids and times that differ between runs left out. */
    private static JsonNode projection(JsonNode object) {
        ObjectNode p = YAML.createObjectNode();
        JsonNode meta = object.path("metadata");
        p.put("kind", object.path("kind").asText());
        p.put("generation", meta.path("generation").asLong());
        p.put("deleting", meta.has("deletionTimestamp"));
        p.put(
                "paused",
                meta.path("annotations").path("mailgun.ippools.dev/paused").asText(""));
        p.put(
                "observedGeneration",
                object.path("status").path("observedGeneration").asLong());
        ArrayNode conditions = p.putArray("conditions");
        // by type: the health scripts look conditions up by type, their order means nothing
        List<JsonNode> byType = new ArrayList<>();
        object.path("status").path("conditions").forEach(byType::add);
        byType.sort(Comparator.comparing(c -> c.path("type").asText()));
        for (JsonNode c : byType) {
            conditions
                    .addObject()
                    .put("type", c.path("type").asText())
                    .put("status", c.path("status").asText())
                    .put("reason", c.path("reason").asText())
                    .put(
                            "message",
                            c.path("message")
                                    .asText()
                                    .replaceAll(HEX_ID, "<id>")
                                    .replaceAll(TEST_NAMESPACE, "<namespace>"));
        }
        return p;
    }
}
