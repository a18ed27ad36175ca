package dev.ippools.mailgun.packaging;

import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Renders the Helm chart in-process (helm-java), the way {@code helm template} would. */
final class ChartRenderer {

    static final String RELEASE = "mailgun";
    static final String NAMESPACE = "mailgun-system";
    // helm-java defaults to 1.20, older than the chart's kubeVersion (CEL rules need 1.25+).
    static final String KUBE_VERSION = "v1.32.0";

    private ChartRenderer() {}

    static Path chartDir() {
        return Manifests.projectDir().resolve("helm/mailgun-ip-pool-operator");
    }

    /** Renders with the chart's values.yaml plus the given overrides (a values file). */
    static Manifests render(Map<String, Object> values) {
        return Manifests.parse(template(values));
    }

    static String template(Map<String, Object> values) {
        try {
            Path valuesFile = Files.createTempFile("values", ".yaml");
            try {
                Manifests.YAML.writeValue(valuesFile.toFile(), values);
                return new Helm(chartDir())
                        .template()
                        .withName(RELEASE)
                        .withNamespace(NAMESPACE)
                        .withKubeVersion(KUBE_VERSION)
                        .withValuesFile(valuesFile)
                        .skipCrds()
                        .call();
            } finally {
                Files.deleteIfExists(valuesFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
