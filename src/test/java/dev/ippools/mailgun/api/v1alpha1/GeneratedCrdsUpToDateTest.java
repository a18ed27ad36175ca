package dev.ippools.mailgun.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ippools.mailgun.api.crd.CrdPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Drift guard: the committed crds/ must be what the build generates from the Java classes. */
class GeneratedCrdsUpToDateTest {

    private static final String HOW_TO_REFRESH =
            "The CRDs in crds/ are out of date with the classes in dev.ippools.mailgun.api.v1alpha1."
                    + " Refresh them with `"
                    + CrdPostProcessor.REFRESH_COMMAND
                    + "` and commit crds/.";

    static final List<Class<? extends HasMetadata>> RESOURCES = CrdPostProcessor.RESOURCES;

    @ParameterizedTest
    @FieldSource("RESOURCES")
    void committedCrdEqualsTheGeneratedOne(Class<? extends HasMetadata> type) throws IOException {
        String fileName = CrdPostProcessor.fileName(type);
        Path committed = Fixtures.crdsDir().resolve(fileName);

        assertThat(committed).as(HOW_TO_REFRESH).exists();
        assertThat(Files.readString(committed)).as(HOW_TO_REFRESH).isEqualTo(generated("META-INF/fabric8/" + fileName));
    }

    @Test
    void crdsFolderHoldsExactlyTheGeneratedCrdsAndTheKustomization() throws IOException {
        List<String> expected = new ArrayList<>();
        RESOURCES.forEach(type -> expected.add(CrdPostProcessor.fileName(type)));

        List<String> present;
        try (Stream<Path> files = Files.list(Fixtures.crdsDir())) {
            present = files.map(p -> p.getFileName().toString()).toList();
        }
        JsonNode kustomization =
                Fixtures.documents(Fixtures.crdsDir().resolve("Kustomization")).get(0);
        List<String> listed = new ArrayList<>();
        kustomization.path("resources").forEach(node -> listed.add(node.asText()));

        assertThat(present)
                .as(HOW_TO_REFRESH)
                .containsExactlyInAnyOrderElementsOf(Stream.concat(expected.stream(), Stream.of("Kustomization"))
                        .toList());
        assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static String generated(String resource) throws IOException {
        try (InputStream in = GeneratedCrdsUpToDateTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in)
                    .as("%s is missing: run the build through process-classes (e.g. mvn test)", resource)
                    .isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
