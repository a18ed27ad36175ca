package dev.ippools.mailgun.preview;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBindingSpec;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.api.v1alpha1.PoolReplacement;
import dev.ippools.mailgun.plan.Plan.Problem;
import dev.ippools.mailgun.plan.ResourceKey;
import dev.ippools.mailgun.preview.ManifestSet.Skipped;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads IpPool and DomainPoolBinding manifests from files and folders (folders recursively, their
 * {@code *.yaml} and {@code *.yml} files in path order; hidden folders are left out). Documents of
 * other kinds, and YAML that is no Kubernetes object at all, are skipped and listed.
 *
 * <p>Manifests have no uid and no creation time. Each resource gets the placeholder uid {@code
 * plan:<namespace>/<name>} (no whitespace and no {@code ]}, as the ownership marker requires) and a
 * creation time that grows with its position in the files, so the planner decides competing claims
 * in manifest order.
 */
public final class ManifestReader {

    private static final YAMLMapper YAML = new YAMLMapper();
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final String UID_PREFIX = "plan:";

    private final String defaultNamespace;

    /**
     * @param defaultNamespace the namespace of manifests that name none, like kubectl's -n
     */
    public ManifestReader(String defaultNamespace) {
        this.defaultNamespace = defaultNamespace;
    }

    /** The placeholder uid a manifest gets in place of the one the API server would assign. */
    public static String placeholderUid(ResourceKey key) {
        return UID_PREFIX + key.namespace() + "/" + key.name();
    }

    /**
     * @throws ManifestException a path does not exist, or a file is not valid YAML
     */
    public ManifestSet read(List<Path> paths) {
        Reading reading = new Reading();
        for (Path file : files(paths)) {
            List<JsonNode> documents = documents(file);
            for (int i = 0; i < documents.size(); i++) {
                reading.document(documents.get(i), file + "#" + (i + 1));
            }
        }
        return new ManifestSet(reading.manifests, reading.skipped);
    }

    private static List<Path> files(List<Path> paths) {
        Map<Path, Path> files = new LinkedHashMap<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                yamlFilesUnder(path)
                        .forEach(f -> files.putIfAbsent(f.toAbsolutePath().normalize(), f));
            } else if (Files.isRegularFile(path)) {
                files.putIfAbsent(path.toAbsolutePath().normalize(), path);
            } else {
                throw new ManifestException("no such file or folder: " + path);
            }
        }
        return List.copyOf(files.values());
    }

    private static List<Path> yamlFilesUnder(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(f -> isYaml(f) && !hidden(dir.relativize(f)))
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
        } catch (IOException e) {
            throw new ManifestException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean isYaml(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    static List<JsonNode> documents(Path file) {
        try (JsonParser parser = YAML.getFactory().createParser(file.toFile())) {
            return YAML.readValues(parser, JsonNode.class).readAll();
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ManifestException(
                    file
                            + ": not valid YAML"
                            + (at == null ? "" : " (line " + at.getLineNr() + ")")
                            + ": "
                            + problem(e),
                    e);
        } catch (IOException e) {
            throw new ManifestException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The parser's complaint on one line: SnakeYAML's own message quotes the file over several. */
    private static String problem(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblem() != null) {
            return yaml.getProblem().strip()
                    + (yaml.getContext() == null ? "" : " (" + yaml.getContext().strip() + ")");
        }
        return e.getOriginalMessage()
                .lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .findFirst()
                .orElse("unreadable");
    }

    /** State of one read: documents in order, and what was seen of each kind. */
    private final class Reading {
        final List<Manifest> manifests = new ArrayList<>();
        final List<Skipped> skipped = new ArrayList<>();
        final Map<String, String> firstSource = new HashMap<>();
        int order;

        void document(JsonNode node, String source) {
            if (node == null || node.isMissingNode() || node.isNull()) {
                return; // an empty document, e.g. after a trailing ---
            }
            String apiVersion =
                    node.path("apiVersion").isTextual() ? node.get("apiVersion").asText() : null;
            String kind = node.path("kind").isTextual() ? node.get("kind").asText() : null;
            if (!node.isObject() || apiVersion == null || kind == null) {
                skipped.add(new Skipped(source, "not a Kubernetes object (no apiVersion and kind)", false));
                return;
            }
            if (kind.endsWith("List") && node.path("items").isArray()) {
                JsonNode items = node.get("items");
                for (int i = 0; i < items.size(); i++) {
                    document(items.get(i), source + ".items[" + i + "]");
                }
                return;
            }
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            boolean ours = kind.equals(Manifest.IP_POOL) || kind.equals(Manifest.DOMAIN_POOL_BINDING);
            if (!group.equals(ApiConstants.GROUP) || !ours) {
                skipped.add(new Skipped(source, kind + " (" + apiVersion + ") is not planned", true));
                return;
            }
            manifests.add(manifest(node, source, apiVersion, kind));
        }

        private Manifest manifest(JsonNode node, String source, String apiVersion, String kind) {
            JsonNode metadata = node.path("metadata");
            String name = text(metadata.path("name"));
            String namespace = text(metadata.path("namespace"));
            ResourceKey key = new ResourceKey(
                    namespace == null ? defaultNamespace : namespace,
                    name == null ? "(no name, " + source + ")" : name);
            List<Problem> problems = new ArrayList<>();
            if (name == null) {
                problems.add(new Problem("metadata.name", "is required"));
            }
            String seenIn = name == null ? null : firstSource.putIfAbsent(kind + " " + key, source);
            if (seenIn != null) {
                problems.add(new Problem(null, kind + " " + key + " is defined twice; the first one is in " + seenIn));
            }
            if (!apiVersion.equals(ApiConstants.API_VERSION)) {
                problems.add(new Problem(
                        "apiVersion", apiVersion + " is not served by this operator; use " + ApiConstants.API_VERSION));
                return new Manifest(kind, key, source, null, problems);
            }
            HasMetadata resource;
            try {
                Class<? extends HasMetadata> type =
                        kind.equals(Manifest.IP_POOL) ? IpPool.class : DomainPoolBinding.class;
                resource = SERIALIZATION.convertValue(node, type);
            } catch (RuntimeException e) {
                problems.add(new Problem(null, "cannot be read: " + readable(e)));
                return new Manifest(kind, key, source, null, problems);
            }
            resource.getMetadata().setNamespace(key.namespace());
            resource.getMetadata().setUid(placeholderUid(key));
            resource.getMetadata()
                    .setCreationTimestamp(Instant.EPOCH.plusSeconds(order++).toString());
            // applying a manifest never deletes: plan what the live resource would get
            resource.getMetadata().setDeletionTimestamp(null);
            problems.addAll(schemaRules(resource));
            return new Manifest(kind, key, source, resource, problems);
        }
    }

    /** The CRDs' CEL rules the planner cannot see, because the mapping keeps one target only. */
    private static List<Problem> schemaRules(HasMetadata resource) {
        List<Problem> problems = new ArrayList<>();
        if (resource instanceof IpPool pool && pool.getSpec() != null) {
            checkReplacement(pool.getSpec().replacement(), problems);
        }
        if (resource instanceof DomainPoolBinding binding) {
            DomainPoolBindingSpec spec = binding.getSpec();
            if (spec == null) {
                problems.add(new Problem("spec", "is required"));
                return problems;
            }
            if (count(spec.poolRef(), spec.poolId(), spec.ips()) != 1) {
                problems.add(new Problem(
                        "spec",
                        "set exactly one of spec.poolRef (an IpPool), spec.poolId (a Mailgun pool id) or"
                                + " spec.ips (explicit IPs)"));
            }
            checkReplacement(spec.replacement(), problems);
        }
        return problems;
    }

    private static void checkReplacement(PoolReplacement replacement, List<Problem> problems) {
        if (replacement != null && count(replacement.poolRef(), replacement.poolId(), replacement.ip()) != 1) {
            problems.add(new Problem("spec.replacement", "set exactly one of poolRef, poolId or ip"));
        }
    }

    private static int count(Object... values) {
        int n = 0;
        for (Object v : values) {
            n += v == null ? 0 : 1;
        }
        return n;
    }

    private static String text(JsonNode node) {
        return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }

    /** Jackson's message without its source excerpt, prefixed with the field path. */
    private static String readable(RuntimeException e) {
        Throwable t = e;
        while (t != null && !(t instanceof JsonMappingException)) {
            t = t.getCause();
        }
        if (!(t instanceof JsonMappingException mapping)) {
            return e.getMessage();
        }
        String path = mapping.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
        String message = mapping.getOriginalMessage();
        int newline = message.indexOf('\n');
        message = newline < 0 ? message : message.substring(0, newline);
        return path.isEmpty() ? message : path + ": " + message;
    }
}
