package dev.ippools.mailgun.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Kubernetes objects read from YAML: the shipped config/, the chart and its rendering. */
record Manifests(List<HasMetadata> objects) {

    static final YAMLMapper YAML = new YAMLMapper();
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    Manifests {
        objects = List.copyOf(objects);
    }

    /** The Maven project folder (surefire sets {@code basedir}). */
    static Path projectDir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    }

    static Manifests parse(String yaml) {
        return new Manifests(documents(yaml).stream().map(Manifests::toObject).toList());
    }

    static Manifests read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The non-empty documents of a (possibly multi-document) YAML text. */
    static List<JsonNode> documents(String yaml) {
        try (var parser = YAML.getFactory().createParser(yaml)) {
            return YAML.readValues(parser, JsonNode.class).readAll().stream()
                    .filter(node -> node != null && !node.isMissingNode() && !node.isNull())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A typed fabric8 object for known kinds, a generic one otherwise (ServiceMonitor). */
    private static HasMetadata toObject(JsonNode document) {
        for (String field : List.of("apiVersion", "kind")) {
            if (!document.path(field).isTextual()) {
                throw new IllegalArgumentException("not a Kubernetes object, no " + field + ": " + document);
            }
        }
        if (document.path("metadata").path("name").asText("").isEmpty()) {
            throw new IllegalArgumentException("not a Kubernetes object, no metadata.name: " + document);
        }
        return SERIALIZATION.unmarshal(document.toString(), HasMetadata.class);
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The one object of a type; fails when there are none or several. */
    <T extends HasMetadata> T only(Class<T> type) {
        List<T> found = all(type);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size());
        }
        return found.get(0);
    }

    List<HasMetadata> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.getKind())).toList();
    }
}
