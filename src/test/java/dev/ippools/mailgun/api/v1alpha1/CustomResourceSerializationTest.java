package dev.ippools.mailgun.api.v1alpha1;

import static dev.ippools.mailgun.api.v1alpha1.Fixtures.SERIALIZATION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CustomResourceSerializationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> documents() {
        return Fixtures.customResourceFiles().stream().flatMap(file -> {
            List<JsonNode> docs = Fixtures.documents(file);
            return IntStream.range(0, docs.size())
                    .mapToObj(i -> Arguments.of(file.getFileName() + "#" + i, docs.get(i)));
        });
    }

    @Test
    void everyKindAndTheSamplesAreCovered() {
        List<String> names = Fixtures.customResourceFiles().stream()
                .map(p -> p.getFileName().toString())
                .toList();
        assertThat(names)
                .contains(
                        "mailgun.ippools.dev_v1alpha1_ippool.yaml",
                        "mailgun.ippools.dev_v1alpha1_domainpoolbinding.yaml",
                        "ippool-full.yaml",
                        "domainpoolbinding-full.yaml");
        assertThat(documents()).hasSizeGreaterThanOrEqualTo(names.size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void roundTripKeepsEveryFieldAndAddsNone(String name, JsonNode document) throws Exception {
        HasMetadata resource = SERIALIZATION.convertValue(document, Fixtures.typeOf(document));

        JsonNode written = JSON.readTree(SERIALIZATION.asJson(resource));

        assertThat(written).isEqualTo(document);
    }

    @Test
    void fullIpPoolMapsToTheRecords() {
        IpPool pool = load("ippool-full.yaml", IpPool.class);

        assertThat(pool.getSpec())
                .isEqualTo(new IpPoolSpec(
                        "Marketing senders",
                        "Newsletters and campaigns",
                        List.of("192.0.2.14", "192.0.2.15", "2001:db8::15"),
                        List.of("646d00a1b32c35364a2ad34f"),
                        "658041ae44842b99ee2eaa1b",
                        new AccountReference("mailgun-eu"),
                        ManagementPolicy.OBSERVE,
                        DeletionPolicy.ORPHAN,
                        new PoolReplacement(new PoolReference("transactional"), null, null)));
        assertThat(pool.getStatus().poolId()).isEqualTo("658041ae44842b99ee2eaa1b");
        assertThat(pool.getStatus().observedGeneration()).isEqualTo(3L);
        assertThat(pool.getStatus().linkedDomains()).containsExactly("news.example.com");
        assertThat(pool.getStatus().inherited()).isFalse();
        assertThat(pool.getStatus().conditions())
                .first()
                .isEqualTo(new ConditionBuilder()
                        .withType("Ready")
                        .withStatus("False")
                        .withReason("Relinking")
                        .withMessage("Mailgun is moving news.example.com to the pool's IPs")
                        .withObservedGeneration(3L)
                        .withLastTransitionTime("2026-01-05T10:15:30Z")
                        .build());
        assertThat(pool.getStatus().conditions())
                .extracting(Condition::getType)
                .containsExactly("Ready", "Synced", "Relinking");
        assertThat(pool.mailgunPoolName()).isEqualTo("Marketing senders");
        assertThat(pool.getMetadata().getAnnotations())
                .containsEntry(ApiConstants.POOL_ID_ANNOTATION, "658041ae44842b99ee2eaa1b");
    }

    @Test
    void fullBindingMapsToTheRecords() {
        DomainPoolBinding binding = load("domainpoolbinding-full.yaml", DomainPoolBinding.class);

        assertThat(binding.getSpec())
                .isEqualTo(new DomainPoolBindingSpec(
                        "billing.example.com",
                        new PoolReference("transactional"),
                        null,
                        null,
                        new AccountReference("mailgun-eu"),
                        ManagementPolicy.MANAGE,
                        OnDelete.REMOVE_DOMAIN_POOL,
                        new PoolReplacement(null, "658041ae44842b99ee2eaa1b", null)));
        assertThat(binding.getStatus().linkedPoolId()).isEqualTo("658041ae44842b99ee2eaa1c");
        assertThat(binding.getStatus().ips()).containsExactly("192.0.2.10", "192.0.2.11");
        assertThat(binding.getStatus().observedGeneration()).isEqualTo(2L);
        assertThat(binding.getStatus().conditions()).hasSize(3);
    }

    @Test
    void absentPoliciesMeanTheSchemaDefaults() {
        IpPool pool = load("ippool-minimal.yaml", IpPool.class);
        DomainPoolBinding binding = load("domainpoolbinding-poolid.yaml", DomainPoolBinding.class);
        DomainPoolBinding explicit = load("domainpoolbinding-ips.yaml", DomainPoolBinding.class);

        assertThat(pool.getSpec().managementPolicy()).isNull();
        assertThat(pool.getSpec().effectiveManagementPolicy()).isEqualTo(ManagementPolicy.MANAGE);
        assertThat(pool.getSpec().effectiveDeletionPolicy()).isEqualTo(DeletionPolicy.DELETE);
        assertThat(pool.mailgunPoolName()).isEqualTo("alerts");
        assertThat(binding.getSpec().effectiveManagementPolicy()).isEqualTo(ManagementPolicy.MANAGE);
        assertThat(binding.getSpec().effectiveOnDelete()).isEqualTo(OnDelete.ORPHAN);
        assertThat(explicit.getSpec().effectiveOnDelete()).isEqualTo(OnDelete.UNLINK);
        assertThat(explicit.getSpec().effectiveManagementPolicy()).isEqualTo(ManagementPolicy.OBSERVE);
    }

    @Test
    void fieldsFromANewerCrdAreIgnored() {
        JsonNode document = Fixtures.documents(
                        Fixtures.projectDir().resolve("src/test/resources/crs/ippool-minimal.yaml"))
                .get(0);
        ((ObjectNode) document.get("spec")).put("fieldFromTheFuture", true);
        ((ObjectNode) document).putObject("status").put("somethingNew", 1);

        IpPool pool = SERIALIZATION.convertValue(document, IpPool.class);

        assertThat(pool.getSpec().ips()).containsExactly("192.0.2.16");
        assertThat(pool.getStatus()).isNotNull();
    }

    @Test
    void sharedReplacementIsRecognised() {
        IpPool pool = load("ippool-replacement-ip.yaml", IpPool.class);

        assertThat(pool.getSpec().replacement().sharedIp()).isTrue();
        assertThat(new PoolReplacement(null, null, "192.0.2.13").sharedIp()).isFalse();
    }

    @Test
    void samplesUseTheDocumentedNames() {
        Path sample = Fixtures.projectDir().resolve("config/samples/mailgun.ippools.dev_v1alpha1_ippool.yaml");

        IpPool pool = load(sample, IpPool.class);

        assertThat(pool.getApiVersion()).isEqualTo(ApiConstants.API_VERSION);
        assertThat(pool.getMetadata().getName()).isEqualTo("transactional");
        assertThat(pool.getSpec().ips()).containsExactly("198.51.100.10", "198.51.100.11");
    }

    @Test
    void recordsCannotBeChangedThroughTheirLists() {
        IpPool pool = load("ippool-full.yaml", IpPool.class);

        assertThat(pool.getSpec().ips()).isUnmodifiable();
        assertThat(pool.getSpec().delegatedTo()).isUnmodifiable();
        assertThat(pool.getStatus().conditions()).isUnmodifiable();
    }

    private static <T extends HasMetadata> T load(String fixture, Class<T> type) {
        return load(Fixtures.projectDir().resolve("src/test/resources/crs").resolve(fixture), type);
    }

    private static <T extends HasMetadata> T load(Path file, Class<T> type) {
        return SERIALIZATION.convertValue(Fixtures.documents(file).get(0), type);
    }
}
