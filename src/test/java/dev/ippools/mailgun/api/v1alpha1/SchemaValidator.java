package dev.ippools.mailgun.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The OpenAPI part of what the API server checks (types, required, patterns, lengths, enums, set
 * uniqueness), enough to keep fixtures and samples honest without a cluster. CEL rules are not
 * evaluated here.
 */
final class SchemaValidator {

    // Every object carries these; the CRD schema does not declare them.
    private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");

    private SchemaValidator() {}

    static List<String> validate(JSONSchemaProps rootSchema, JsonNode document) {
        List<String> problems = new ArrayList<>();
        check(rootSchema, document, "", problems, true);
        return problems;
    }

    private static void check(JSONSchemaProps schema, JsonNode node, String path, List<String> problems, boolean root) {
        String type = schema.getType();
        switch (type == null ? "" : type) {
            case "object" -> checkObject(schema, node, path, problems, root);
            case "array" -> checkArray(schema, node, path, problems);
            case "string" -> checkString(schema, node, path, problems);
            case "integer" -> {
                if (!node.isIntegralNumber()) {
                    problems.add(path + ": must be an integer");
                }
            }
            case "boolean" -> {
                if (!node.isBoolean()) {
                    problems.add(path + ": must be a boolean");
                }
            }
            default -> problems.add(path + ": schema without a known type: " + type);
        }
    }

    private static void checkObject(
            JSONSchemaProps schema, JsonNode node, String path, List<String> problems, boolean root) {
        if (!node.isObject()) {
            problems.add(path + ": must be an object");
            return;
        }
        if (schema.getRequired() != null) {
            for (String name : schema.getRequired()) {
                if (!node.has(name)) {
                    problems.add(path + "." + name + ": required");
                }
            }
        }
        Map<String, JSONSchemaProps> properties = schema.getProperties();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String fieldPath = path + "." + field.getKey();
            if (properties != null && properties.containsKey(field.getKey())) {
                check(properties.get(field.getKey()), field.getValue(), fieldPath, problems, false);
            } else if (!(root && ROOT_FIELDS.contains(field.getKey()))) {
                problems.add(fieldPath + ": unknown field");
            }
        }
    }

    private static void checkArray(JSONSchemaProps schema, JsonNode node, String path, List<String> problems) {
        if (!node.isArray()) {
            problems.add(path + ": must be a list");
            return;
        }
        if (schema.getMinItems() != null && node.size() < schema.getMinItems()) {
            problems.add(path + ": must have at least " + schema.getMinItems() + " items");
        }
        Set<JsonNode> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if ("set".equals(schema.getXKubernetesListType()) && !seen.add(item)) {
                problems.add(path + "[" + i + "]: duplicate value " + item);
            }
            check(schema.getItems().getSchema(), item, path + "[" + i + "]", problems, false);
        }
    }

    private static void checkString(JSONSchemaProps schema, JsonNode node, String path, List<String> problems) {
        if (!node.isTextual()) {
            problems.add(path + ": must be a string");
            return;
        }
        String value = node.asText();
        if (schema.getPattern() != null
                && !Pattern.compile(schema.getPattern()).matcher(value).find()) {
            problems.add(path + ": '" + value + "' does not match the pattern");
        }
        if (schema.getMinLength() != null && value.length() < schema.getMinLength()) {
            problems.add(path + ": shorter than " + schema.getMinLength());
        }
        if (schema.getMaxLength() != null && value.length() > schema.getMaxLength()) {
            problems.add(path + ": longer than " + schema.getMaxLength());
        }
        if (schema.getEnum() != null
                && !schema.getEnum().isEmpty()
                && schema.getEnum().stream()
                        .noneMatch(allowed -> allowed.asText().equals(value))) {
            problems.add(path + ": '" + value + "' is not one of " + schema.getEnum());
        }
    }
}
