package dev.ippools.mailgun.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The chart's optional ConfigMap of Argo CD health checks: the tested scripts, as argocd-cm keys. */
class ArgoCdChartTest {

    private static final String KEY = "resource.customizations.health.mailgun.ippools.dev_";

    @Test
    void offByDefault() {
        assertThat(ChartRenderer.render(Map.of()).all(ConfigMap.class))
                .noneMatch(c -> c.getData() != null && c.getData().containsKey(KEY + "IpPool"));
    }

    @Test
    void rendersBothScriptsAsArgoCdEntries() throws Exception {
        ConfigMap cm = ChartRenderer.render(Map.of("argocdHealthChecks", Map.of("enabled", true)))
                .only(ConfigMap.class);
        assertThat(cm.getMetadata().getName()).isEqualTo("mailgun-mailgun-ip-pool-operator-argocd-health");
        assertThat(cm.getMetadata().getNamespace()).isEqualTo(ChartRenderer.NAMESPACE);
        assertThat(cm.getData()).containsOnlyKeys(KEY + "IpPool", KEY + "DomainPoolBinding");
        for (String kind : List.of("IpPool", "DomainPoolBinding")) {
            assertThat(cm.getData().get(KEY + kind))
                    .isEqualTo(Files.readString(Path.of("config/argocd/mailgun.ippools.dev", kind, "health.lua"))
                            .strip());
        }
        ConfigMap named = ChartRenderer.render(Map.of(
                        "argocdHealthChecks", Map.of("enabled", true, "name", "argocd-cm", "namespace", "argocd")))
                .only(ConfigMap.class);
        assertThat(named.getMetadata().getName()).isEqualTo("argocd-cm");
        assertThat(named.getMetadata().getNamespace()).isEqualTo("argocd");
    }

    /** The chart can only read files inside itself: its copies must be the tested scripts. */
    @ParameterizedTest
    @ValueSource(strings = {"IpPool", "DomainPoolBinding"})
    void theChartsCopiesAreTheTestedScripts(String kind) throws Exception {
        assertThat(Files.readString(
                        ChartRenderer.chartDir().resolve("argocd").resolve(kind).resolve("health.lua")))
                .isEqualTo(Files.readString(Path.of("config/argocd/mailgun.ippools.dev", kind, "health.lua")));
    }

    @Test
    void theReadmeShowsTheArgoCdEntries() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (String kind : List.of("IpPool", "DomainPoolBinding")) {
            assertThat(readme).contains(KEY + kind + ": |");
        }
    }

    @Test
    void valuesSchemaRejectsABadName() {
        assertThatThrownBy(() -> ChartRenderer.render(Map.of("argocdHealthChecks", Map.of("name", "Not_Valid"))))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining("name");
    }
}
