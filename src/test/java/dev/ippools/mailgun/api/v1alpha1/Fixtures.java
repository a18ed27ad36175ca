package dev.ippools.mailgun.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ippools.mailgun.api.crd.CrdPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Paths and readers for the YAML fixtures, the samples and the committed CRDs. */
final class Fixtures {

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    static final YAMLMapper YAML = new YAMLMapper();

    private Fixtures() {}

    /** The Maven project folder (surefire sets {@code basedir}). */
    static Path projectDir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    }

    static Path crdsDir() {
        return projectDir().resolve("crds");
    }

    /** Every YAML file with custom resources: test fixtures and the shipped samples. */
    static List<Path> customResourceFiles() {
        return Stream.concat(
                        yamlFiles(projectDir().resolve("src/test/resources/crs")),
                        yamlFiles(projectDir().resolve("config/samples"))
                                .filter(p -> p.getFileName().toString().startsWith(ApiConstants.GROUP + "_")))
                .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
                .sorted()
                .toList();
    }

    /** The documents of a (possibly multi-document) YAML file. */
    static List<JsonNode> documents(Path file) {
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
            return YAML.readValues(parser, JsonNode.class).readAll().stream()
                    .filter(node -> !node.isMissingNode() && !node.isNull())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Java class for a document's kind. */
    static Class<? extends HasMetadata> typeOf(JsonNode document) {
        String kind = document.path("kind").asText();
        return CrdPostProcessor.RESOURCES.stream()
                .filter(type -> HasMetadata.getKind(type).equals(kind))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown kind " + kind));
    }

    /** The committed CRD for a resource class. */
    static CustomResourceDefinition committedCrd(Class<? extends HasMetadata> type) {
        try {
            return SERIALIZATION.unmarshal(
                    Files.readString(crdsDir().resolve(CrdPostProcessor.fileName(type))),
                    CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<Path> yamlFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
