package dev.ippools.mailgun.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the jar carries for the local mode: the generated CRDs and config/samples. */
class BundledManifestsTest {

    @Test
    void theCrdsAreTheGeneratedOnesForBothKinds() throws IOException {
        List<CustomResourceDefinition> crds = BundledManifests.crds();

        assertThat(crds)
                .extracting(c -> c.getMetadata().getName())
                .containsExactlyInAnyOrder("ippools.mailgun.ippools.dev", "domainpoolbindings.mailgun.ippools.dev");
        // The same schema as the committed copies the e2e tier and the chart install.
        for (CustomResourceDefinition crd : crds) {
            String committed =
                    Files.readString(Path.of("crds", crd.getMetadata().getName() + "-v1.yml"));
            assertThat(new KubernetesSerialization()
                            .unmarshal(committed, CustomResourceDefinition.class)
                            .getSpec())
                    .isEqualTo(crd.getSpec());
        }
    }

    @Test
    void theSamplesAreConfigSamplesInKustomizationOrderAndTyped() {
        List<HasMetadata> samples = BundledManifests.samples();

        assertThat(samples)
                .extracting(r -> r.getMetadata().getName())
                .containsExactly("transactional", "mail-example-com", "news-example-com");
        assertThat(samples.get(0)).isInstanceOf(IpPool.class);
        assertThat(samples.subList(1, 3)).allMatch(DomainPoolBinding.class::isInstance);
        assertThat(samples).allMatch(r -> r.getMetadata().getNamespace() == null);
    }

    @Test
    void parseSkipsCommentOnlyDocumentsAndRefusesOtherKinds() {
        assertThat(BundledManifests.parse("""
        # a comment only
        ---
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: a}
        spec: {ips: [198.51.100.10]}
        ---
        """)).singleElement().isInstanceOf(IpPool.class);
        assertThatThrownBy(() -> BundledManifests.parse("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        """))
                .hasMessageContaining("not an IpPool or DomainPoolBinding: ConfigMap settings");
    }
}
