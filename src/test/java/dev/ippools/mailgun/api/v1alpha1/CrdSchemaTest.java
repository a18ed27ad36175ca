package dev.ippools.mailgun.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the committed CRDs promise: names, columns, status subresource, validation. */
class CrdSchemaTest {

    private static final String READY_COLUMN = ".status.conditions[?(@.type==\"Ready\")].status";
    private static final String SYNCED_COLUMN = ".status.conditions[?(@.type==\"Synced\")].status";

    private final CustomResourceDefinition pools = Fixtures.committedCrd(IpPool.class);
    private final CustomResourceDefinition bindings = Fixtures.committedCrd(DomainPoolBinding.class);

    @Test
    void namesScopeAndCategories() {
        assertThat(pools.getMetadata().getName()).isEqualTo("ippools.mailgun.ippools.dev");
        assertThat(pools.getSpec().getGroup()).isEqualTo(ApiConstants.GROUP);
        assertThat(pools.getSpec().getScope()).isEqualTo("Namespaced");
        assertThat(pools.getSpec().getNames().getKind()).isEqualTo("IpPool");
        assertThat(pools.getSpec().getNames().getShortNames()).containsExactly("mgpool", "mgpools");
        assertThat(pools.getSpec().getNames().getCategories()).containsExactly("mailgun");

        assertThat(bindings.getMetadata().getName()).isEqualTo("domainpoolbindings.mailgun.ippools.dev");
        assertThat(bindings.getSpec().getScope()).isEqualTo("Namespaced");
        assertThat(bindings.getSpec().getNames().getShortNames()).containsExactly("mgbinding", "mgbindings");
        assertThat(bindings.getSpec().getNames().getCategories()).containsExactly("mailgun");
    }

    @Test
    void oneServedStoredVersionWithStatusSubresource() {
        for (CustomResourceDefinition crd : List.of(pools, bindings)) {
            assertThat(crd.getSpec().getVersions()).hasSize(1);
            CustomResourceDefinitionVersion version = version(crd);
            assertThat(version.getName()).isEqualTo(ApiConstants.VERSION);
            assertThat(version.getServed()).isTrue();
            assertThat(version.getStorage()).isTrue();
            assertThat(version.getSubresources().getStatus()).isNotNull();
        }
    }

    @Test
    void printerColumnsInDeclaredOrder() {
        assertThat(columns(pools, 0))
                .containsExactly(
                        "Pool-ID=.status.poolId",
                        "IPs=.spec.ips",
                        "Ready=" + READY_COLUMN,
                        "Synced=" + SYNCED_COLUMN,
                        "Age=.metadata.creationTimestamp");
        assertThat(columns(bindings, 0))
                .containsExactly(
                        "Domain=.spec.domain",
                        "Pool=.spec.poolRef.name",
                        "Pool-ID=.status.linkedPoolId",
                        "Ready=" + READY_COLUMN,
                        "Synced=" + SYNCED_COLUMN,
                        "Age=.metadata.creationTimestamp");
        assertThat(columns(bindings, 1)).contains("IPs=.status.ips");
        assertThat(version(pools).getAdditionalPrinterColumns())
                .filteredOn(c -> c.getName().equals("Age"))
                .extracting(CustomResourceColumnDefinition::getType)
                .containsExactly("date");
    }

    @Test
    void ipPoolSpecValidation() {
        JSONSchemaProps spec = schema(pools, "spec");

        assertThat(item(spec, "ips").getPattern()).isEqualTo(ApiConstants.Patterns.IP);
        assertThat(property(spec, "ips").getXKubernetesListType()).isEqualTo("set");
        assertThat(item(spec, "delegatedTo").getPattern()).isEqualTo(ApiConstants.Patterns.MAILGUN_ID);
        assertThat(property(spec, "delegatedTo").getXKubernetesListType()).isEqualTo("set");
        assertThat(property(spec, "poolId").getPattern()).isEqualTo(ApiConstants.Patterns.MAILGUN_ID);
        assertThat(property(spec, "managementPolicy").getDefault()).isEqualTo(new TextNode("Manage"));
        assertThat(property(spec, "managementPolicy").getEnum())
                .extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("Manage", "Observe");
        assertThat(property(spec, "deletionPolicy").getDefault()).isEqualTo(new TextNode("Delete"));
        assertThat(property(property(spec, "accountRef"), "secretName").getPattern())
                .isEqualTo(ApiConstants.Patterns.OBJECT_NAME);
        assertThat(property(spec, "accountRef").getRequired()).containsExactly("secretName");
        assertReplacementRules(property(spec, "replacement"));
        assertThat(rules(version(pools).getSchema().getOpenAPIV3Schema())).anySatisfy(rule -> {
            assertThat(rule.getRule()).contains("self.metadata.name");
            assertThat(rule.getMessage()).contains("must name another IpPool");
        });
    }

    @Test
    void bindingSpecValidation() {
        JSONSchemaProps root = version(bindings).getSchema().getOpenAPIV3Schema();
        JSONSchemaProps spec = schema(bindings, "spec");

        assertThat(root.getRequired()).containsExactly("spec");
        assertThat(spec.getRequired()).containsExactly("domain");
        assertThat(property(spec, "domain").getPattern()).isEqualTo(ApiConstants.Patterns.DOMAIN);
        assertThat(property(spec, "domain").getMaxLength()).isEqualTo(253L);
        assertThat(property(spec, "poolId").getPattern()).isEqualTo(ApiConstants.Patterns.MAILGUN_ID);
        assertThat(item(spec, "ips").getPattern()).isEqualTo(ApiConstants.Patterns.IP);
        assertThat(property(spec, "ips").getMinItems()).isEqualTo(1L);
        assertThat(property(spec, "ips").getXKubernetesListType()).isEqualTo("set");
        assertThat(property(property(spec, "poolRef"), "name").getPattern())
                .isEqualTo(ApiConstants.Patterns.OBJECT_NAME);
        assertThat(property(spec, "onDelete").getDefault()).isEqualTo(new TextNode("Unlink"));
        assertThat(property(spec, "onDelete").getEnum())
                .extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("Unlink", "Orphan", "RemoveDomainPool");
        assertThat(rules(spec))
                .hasSize(2)
                .anySatisfy(rule -> {
                    assertThat(rule.getRule())
                            .contains("has(self.poolRef)", "has(self.poolId)", "has(self.ips)", "== 1");
                    assertThat(rule.getMessage()).startsWith("set exactly one of spec.poolRef");
                })
                .anySatisfy(rule -> {
                    assertThat(rule.getRule()).isEqualTo("self.domain == oldSelf.domain");
                    assertThat(rule.getFieldPath()).isEqualTo(".domain");
                    assertThat(rule.getMessage()).startsWith("domain is immutable");
                });
        assertReplacementRules(property(spec, "replacement"));
    }

    @Test
    void everyFieldIsDescribed() {
        List<String> undescribed = new ArrayList<>();
        for (CustomResourceDefinition crd : List.of(pools, bindings)) {
            walk(
                    version(crd).getSchema().getOpenAPIV3Schema(),
                    crd.getSpec().getNames().getKind(),
                    undescribed);
        }
        assertThat(undescribed).isEmpty();
    }

    static Stream<Arguments> customResources() {
        return Fixtures.customResourceFiles().stream()
                .flatMap(file -> Fixtures.documents(file).stream().map(doc -> Arguments.of(file, doc)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("customResources")
    void fixturesAndSamplesMatchTheSchema(Path file, JsonNode document) {
        assertThat(SchemaValidator.validate(rootSchema(Fixtures.typeOf(document)), document))
                .isEmpty();
    }

    static Stream<Arguments> invalidEdits() {
        return Stream.of(
                invalid("ippool-minimal.yaml", "spec.ips[0]", s -> ips(s, "192.0.2.256")),
                invalid("ippool-minimal.yaml", "spec.ips[0]", s -> ips(s, "192.0.2")),
                invalid("ippool-minimal.yaml", "spec.ips[0]", s -> ips(s, "2001:DB8::1")),
                invalid("ippool-minimal.yaml", "spec.ips[1]: duplicate", s -> ips(s, "2001:db8::1", "2001:db8::1")),
                invalid("ippool-minimal.yaml", "spec.ips[0]", s -> ips(s, "shared")),
                invalid(
                        "ippool-full.yaml",
                        "spec.delegatedTo[0]",
                        s -> s.putArray("delegatedTo").add("x")),
                invalid("ippool-full.yaml", "spec.poolId", s -> s.put("poolId", "658041AE44842B99EE2EAA1B")),
                invalid("ippool-full.yaml", "spec.managementPolicy", s -> s.put("managementPolicy", "manage")),
                invalid("ippool-full.yaml", "spec.deletionPolicy", s -> s.put("deletionPolicy", "Keep")),
                invalid("ippool-full.yaml", "spec.accountRef.secretName: required", s -> s.putObject("accountRef")),
                invalid(
                        "ippool-full.yaml",
                        "spec.replacement.ip",
                        s -> s.putObject("replacement").put("ip", "any")),
                invalid("ippool-full.yaml", "spec.name", s -> s.put("name", "")),
                invalid("ippool-full.yaml", "spec.ipz: unknown", s -> s.putArray("ipz")),
                invalid("domainpoolbinding-ips.yaml", "spec.domain", s -> s.put("domain", "Mail.Example.com")),
                invalid("domainpoolbinding-ips.yaml", "spec.domain", s -> s.put("domain", "localhost")),
                invalid("domainpoolbinding-ips.yaml", "spec.domain: required", s -> s.remove("domain")),
                invalid("domainpoolbinding-ips.yaml", "spec.ips: must have at least 1", s -> s.putArray("ips")),
                invalid("domainpoolbinding-full.yaml", "spec.onDelete", s -> s.put("onDelete", "Delete")),
                invalid(
                        "domainpoolbinding-full.yaml",
                        "spec.poolRef.name",
                        s -> s.putObject("poolRef").put("name", "Transactional")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("invalidEdits")
    void schemaRejects(String fixture, String expectedProblem, Consumer<ObjectNode> editSpec) {
        JsonNode document = Fixtures.documents(Fixtures.projectDir().resolve("src/test/resources/crs/" + fixture))
                .get(0);
        editSpec.accept((ObjectNode) document.get("spec"));

        List<String> problems = SchemaValidator.validate(rootSchema(Fixtures.typeOf(document)), document);

        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("." + expectedProblem));
    }

    private static Arguments invalid(String fixture, String problem, Consumer<ObjectNode> edit) {
        return Arguments.of(fixture, problem, edit);
    }

    private static void ips(ObjectNode spec, String... ips) {
        var array = spec.putArray("ips");
        for (String ip : ips) {
            array.add(ip);
        }
    }

    private static void assertReplacementRules(JSONSchemaProps replacement) {
        assertThat(property(replacement, "ip").getPattern()).isEqualTo(ApiConstants.Patterns.IP_OR_SHARED);
        assertThat(property(replacement, "poolId").getPattern()).isEqualTo(ApiConstants.Patterns.MAILGUN_ID);
        assertThat(rules(replacement)).singleElement().satisfies(rule -> {
            assertThat(rule.getRule()).contains("has(self.poolRef)", "has(self.poolId)", "has(self.ip)", "== 1");
            assertThat(rule.getMessage()).isEqualTo("replacement must set exactly one of poolRef, poolId or ip");
        });
    }

    private static void walk(JSONSchemaProps schema, String path, List<String> undescribed) {
        if (schema.getProperties() == null) {
            return;
        }
        for (Map.Entry<String, JSONSchemaProps> entry : schema.getProperties().entrySet()) {
            String child = path + "." + entry.getKey();
            boolean conditionField = path.endsWith(".conditions[]");
            if (!conditionField
                    && (entry.getValue().getDescription() == null
                            || entry.getValue().getDescription().isBlank())) {
                undescribed.add(child);
            }
            walk(entry.getValue(), child, undescribed);
            if (entry.getValue().getItems() != null) {
                walk(entry.getValue().getItems().getSchema(), child + "[]", undescribed);
            }
        }
    }

    private static JSONSchemaProps rootSchema(Class<? extends HasMetadata> type) {
        return version(Fixtures.committedCrd(type)).getSchema().getOpenAPIV3Schema();
    }

    private static CustomResourceDefinitionVersion version(CustomResourceDefinition crd) {
        return crd.getSpec().getVersions().get(0);
    }

    private static JSONSchemaProps schema(CustomResourceDefinition crd, String topLevelField) {
        return property(version(crd).getSchema().getOpenAPIV3Schema(), topLevelField);
    }

    private static JSONSchemaProps property(JSONSchemaProps schema, String name) {
        assertThat(schema.getProperties()).containsKey(name);
        return schema.getProperties().get(name);
    }

    private static JSONSchemaProps item(JSONSchemaProps schema, String arrayName) {
        return property(schema, arrayName).getItems().getSchema();
    }

    private static List<ValidationRule> rules(JSONSchemaProps schema) {
        return schema.getXKubernetesValidations() == null ? List.of() : schema.getXKubernetesValidations();
    }

    private static List<String> columns(CustomResourceDefinition crd, int priority) {
        return version(crd).getAdditionalPrinterColumns().stream()
                .filter(c -> c.getPriority() == priority)
                .map(c -> c.getName() + "=" + c.getJsonPath())
                .toList();
    }
}
