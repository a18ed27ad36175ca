package dev.ippools.mailgun.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ippools.mailgun.api.v1alpha1.DeletionPolicy;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.api.v1alpha1.ManagementPolicy;
import dev.ippools.mailgun.api.v1alpha1.OnDelete;
import dev.ippools.mailgun.local.BundledManifests;
import dev.ippools.mailgun.local.CustomResourceDefinitions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The committed CRDs on a real API server: they install, the samples pass, and what the schema
 * and its CEL rules forbid is refused at the door with the CRD's own message (422), before any
 * controller sees it.
 */
@WithApiServer(crds = false)
class CrdValidationE2E {

    static ApiServer api;
    static List<CustomResourceDefinition> crds;
    String ns;

    @BeforeAll
    static void installCrds() {
        crds = api.installCrds();
    }

    @BeforeEach
    void namespace() {
        ns = api.newNamespace("crd");
    }

    private static HasMetadata manifest(String yaml) {
        List<HasMetadata> parsed = BundledManifests.parse(yaml);
        assertThat(parsed).hasSize(1);
        return parsed.get(0);
    }

    private HasMetadata create(HasMetadata resource) {
        return api.admin.resource(resource).inNamespace(ns).create();
    }

    private void assertRejected(HasMetadata resource, String... messageParts) {
        assertThatThrownBy(() -> create(resource)).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(422);
            assertThat(e.getStatus().getMessage()).contains(messageParts);
        });
        assertThat(api.admin
                        .resources(resource.getClass())
                        .inNamespace(ns)
                        .withName(resource.getMetadata().getName())
                        .get())
                .isNull();
    }

    @Test
    void bothCrdsAreEstablishedAndServeTheStatusSubresource() {
        assertThat(crds)
                .extracting(c -> c.getMetadata().getName())
                .containsExactly("domainpoolbindings.mailgun.ippools.dev", "ippools.mailgun.ippools.dev");
        for (CustomResourceDefinition crd : crds) {
            CustomResourceDefinition served = api.admin
                    .apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName(crd.getMetadata().getName())
                    .get();
            assertThat(CustomResourceDefinitions.established(served)).isTrue();
            assertThat(served.getSpec().getVersions())
                    .singleElement()
                    .satisfies(v -> assertThat(v.getSubresources().getStatus()).isNotNull());
        }
    }

    @Test
    void theSamplesAreAcceptedAndGetTheSchemaDefaults() throws IOException {
        List<HasMetadata> samples = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("config/samples"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("mailgun.ippools.dev_"))
                    .sorted()
                    .toList()) {
                samples.addAll(BundledManifests.parse(Files.readString(f)));
            }
        }
        assertThat(samples).extracting(HasMetadata::getKind).contains("IpPool", "DomainPoolBinding");

        samples.forEach(this::create);

        IpPool pool = api.admin
                .resources(IpPool.class)
                .inNamespace(ns)
                .withName("transactional")
                .get();
        assertThat(pool.getSpec().ips()).containsExactly("198.51.100.10", "198.51.100.11");
        assertThat(pool.getSpec().managementPolicy()).isEqualTo(ManagementPolicy.MANAGE);
        assertThat(pool.getSpec().deletionPolicy()).isEqualTo(DeletionPolicy.DELETE);
        DomainPoolBinding binding = api.admin
                .resources(DomainPoolBinding.class)
                .inNamespace(ns)
                .withName("mail-example-com")
                .get();
        assertThat(binding.getSpec().onDelete()).isEqualTo(OnDelete.UNLINK);
    }

    @Test
    void anAddressThatIsNotAnIpIsRejected() {
        assertRejected(manifest("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: bad-ip}
        spec:
          ips: [198.51.100.10, 198.51.100.300]
        """), "spec.ips[1]", "should match");
    }

    @Test
    void aPoolIdThatIsNot24HexDigitsIsRejected() {
        assertRejected(manifest("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: bad-id}
        spec:
          poolId: 64B0C0FFEE
        """), "spec.poolId", "should match '^[0-9a-f]{24}$'");
    }

    @Test
    void aBindingWithTwoTargetsIsRejected() {
        assertRejected(
                manifest("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: DomainPoolBinding
        metadata: {name: two-targets}
        spec:
          domain: mail.example.com
          poolRef: {name: transactional}
          ips: [198.51.100.12]
        """),
                "set exactly one of spec.poolRef (an IpPool), spec.poolId (a Mailgun pool id)"
                        + " or spec.ips (explicit IPs)");
    }

    @Test
    void aBindingWithoutATargetIsRejected() {
        assertRejected(
                manifest("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: DomainPoolBinding
        metadata: {name: no-target}
        spec:
          domain: mail.example.com
        """),
                "set exactly one of spec.poolRef (an IpPool), spec.poolId (a Mailgun pool id)"
                        + " or spec.ips (explicit IPs)");
    }

    @Test
    void aReplacementInTwoFormsIsRejected() {
        assertRejected(manifest("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: two-replacements}
        spec:
          ips: [198.51.100.10]
          replacement:
            ip: shared
            poolId: 64b0c0ffee00000000000001
        """), "spec.replacement", "replacement must set exactly one of poolRef, poolId or ip");
    }

    @Test
    void aPoolCannotBeItsOwnReplacement() {
        assertRejected(manifest("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: itself}
        spec:
          ips: [198.51.100.10]
          replacement:
            poolRef: {name: itself}
        """), "spec.replacement.poolRef must name another IpPool, not this one");
    }

    @Test
    void theDomainOfABindingCannotChange() {
        create(manifest("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: DomainPoolBinding
        metadata: {name: immutable}
        spec:
          domain: mail.example.com
          ips: [198.51.100.12]
        """));

        assertThatThrownBy(() -> api.admin
                        .resources(DomainPoolBinding.class)
                        .inNamespace(ns)
                        .withName("immutable")
                        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"domain\":\"news.example.com\"}}"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getMessage())
                            .contains(
                                    "spec.domain",
                                    "domain is immutable; delete this binding and create a new one instead");
                });
        assertThat(api.admin
                        .resources(DomainPoolBinding.class)
                        .inNamespace(ns)
                        .withName("immutable")
                        .get()
                        .getSpec()
                        .domain())
                .isEqualTo("mail.example.com");
    }
}
