package dev.ippools.mailgun.api.crd;

import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Build step after fabric8's CRD generator (phase process-classes): puts the printer columns in the
 * order the {@link AdditionalPrinterColumn} annotations are declared (the generator sorts them by
 * JSON path, which would make AGE the first column) and, when asked, copies the result to the
 * committed {@code crds/} folder and the Helm chart's {@code crds/}. Idempotent.
 */
public final class CrdPostProcessor {

    /** The custom resource classes whose CRDs the build generates. */
    public static final List<Class<? extends HasMetadata>> RESOURCES = List.of(IpPool.class, DomainPoolBinding.class);

    /** The Maven command that refreshes the committed copies in {@code crds/} and the chart. */
    public static final String REFRESH_COMMAND = "mvn -Pupdate-crds process-classes";

    private static final String HEADER =
            "# Generated from the classes in dev.ippools.mailgun.api.v1alpha1; do not edit.\n"
                    + "# Refresh: "
                    + REFRESH_COMMAND
                    + "\n";

    private final KubernetesSerialization serialization = new KubernetesSerialization();

    /**
     * Arguments: the generator's output folder ({@code target/classes/META-INF/fabric8}) and,
     * optionally (blank means no), folders to copy the processed files to.
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: CrdPostProcessor <generated dir> [<copy to dir>...]");
        }
        CrdPostProcessor processor = new CrdPostProcessor();
        Path generated = Path.of(args[0]);
        for (Class<? extends HasMetadata> type : RESOURCES) {
            processor.process(generated.resolve(fileName(type)), type);
        }
        for (int i = 1; i < args.length; i++) {
            // Maven passes an empty property as null.
            if (args[i] == null || args[i].isBlank()) {
                continue;
            }
            Path copyTo = Files.createDirectories(Path.of(args[i]));
            for (Class<? extends HasMetadata> type : RESOURCES) {
                Files.copy(
                        generated.resolve(fileName(type)),
                        copyTo.resolve(fileName(type)),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The generator's file name for a resource class, e.g. {@code ippools.<group>-v1.yml}. */
    public static String fileName(Class<? extends HasMetadata> type) {
        return HasMetadata.getFullResourceName(type) + "-v1.yml";
    }

    void process(Path file, Class<? extends HasMetadata> type) {
        try {
            CustomResourceDefinition crd =
                    serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
            List<String> declared = Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class))
                    .map(AdditionalPrinterColumn::jsonPath)
                    .toList();
            for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
                version.getAdditionalPrinterColumns()
                        .sort(Comparator.comparingInt(
                                (CustomResourceColumnDefinition column) -> position(declared, column.getJsonPath())));
            }
            Files.writeString(file, HEADER + serialization.asYaml(crd));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int position(List<String> declared, String jsonPath) {
        int index = declared.indexOf(jsonPath);
        return index < 0 ? declared.size() : index;
    }
}
