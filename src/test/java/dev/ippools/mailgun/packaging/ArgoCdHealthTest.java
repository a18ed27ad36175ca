package dev.ippools.mailgun.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs each Argo CD health script ({@code config/argocd/<group>/<Kind>/health.lua}) under Lua 5.1,
 * the language of Argo CD's gopher-lua, on every case of its {@code health_test.yaml}, as Argo CD
 * does: the object as the global {@code obj}, the returned table's status and message compared.
 * Needs {@code lua5.1} ({@code .ci/lua.sh} installs it).
 */
class ArgoCdHealthTest {

    private static final Path ROOT = Path.of("config/argocd/mailgun.ippools.dev");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        for (String kind : List.of("IpPool", "DomainPoolBinding")) {
            Path dir = ROOT.resolve(kind);
            for (JsonNode test :
                    YAML.readTree(dir.resolve("health_test.yaml").toFile()).get("tests")) {
                cases.add(Arguments.of(
                        kind,
                        test.get("inputPath").asText(),
                        test.get("healthStatus").get("status").asText(),
                        test.get("healthStatus").path("message").asText()));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} is {2}")
    @MethodSource("cases")
    void theHealthScriptGivesWhatItsTestSays(String kind, String input, String status, String message)
            throws Exception {
        Path dir = ROOT.resolve(kind);
        JsonNode object = YAML.readTree(dir.resolve(input).toFile());
        assertThat(object.path("kind").asText()).isEqualTo(kind);

        assertThat(run(dir.resolve("health.lua"), object)).containsExactly(status, message);
    }

    @ParameterizedTest(name = "{0} has tests for every testdata file")
    @MethodSource("kinds")
    void everyTestdataFileIsTested(String kind) throws IOException {
        Path dir = ROOT.resolve(kind);
        List<String> tested = new ArrayList<>();
        YAML.readTree(dir.resolve("health_test.yaml").toFile())
                .get("tests")
                .forEach(t -> tested.add(t.get("inputPath").asText()));
        try (Stream<Path> files = Files.list(dir.resolve("testdata"))) {
            assertThat(files.map(f -> "testdata/" + f.getFileName())).containsExactlyInAnyOrderElementsOf(tested);
        }
        assertThat(tested)
                .anyMatch(t -> t.contains("healthy"))
                .anyMatch(t -> t.contains("degraded"))
                .anyMatch(t -> t.contains("progressing"))
                .anyMatch(t -> t.contains("suspended"));
    }

    static Stream<String> kinds() {
        return Stream.of("IpPool", "DomainPoolBinding");
    }

    /** The script's status and message for {@code object}. */
    static List<String> run(Path script, JsonNode object) throws Exception {
        Path runner = Files.createTempFile("argocd-health-", ".lua");
        try {
            // Argo CD runs the script as a chunk with obj set; print both fields on their own lines
            Files.writeString(
                    runner,
                    "obj = " + lua(object) + "\n"
                            + "local hs = dofile("
                            + quote(script.toAbsolutePath().toString()) + ")\n"
                            + "io.write(hs.status, \"\\n\", hs.message or \"\", \"\\n\")\n");
            Process lua = new ProcessBuilder("lua5.1", runner.toString())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(lua.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(lua.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(lua.exitValue()).as("lua5.1 failed: %s", out).isZero();
            String[] lines = out.split("\n", -1);
            return List.of(lines[0], lines[1]);
        } finally {
            Files.deleteIfExists(runner);
        }
    }

    /** A JSON value as a Lua table constructor (nulls are absent keys, as in gopher-lua). */
    static String lua(JsonNode node) {
        if (node.isObject()) {
            StringBuilder b = new StringBuilder("{");
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNull()) {
                    b.append('[')
                            .append(quote(e.getKey()))
                            .append("]=")
                            .append(lua(e.getValue()))
                            .append(',');
                }
            }
            return b.append('}').toString();
        }
        if (node.isArray()) {
            StringBuilder b = new StringBuilder("{");
            node.forEach(v -> b.append(lua(v)).append(','));
            return b.append('}').toString();
        }
        if (node.isNumber() || node.isBoolean()) {
            return node.asText();
        }
        return quote(node.asText());
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
