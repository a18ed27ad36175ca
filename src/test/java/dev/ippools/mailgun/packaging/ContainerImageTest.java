package dev.ippools.mailgun.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The three image definitions (.ci/image.sh, which CI builds and ContainerImageE2E runs, and the
 * alternatives src/main/docker/Dockerfile and the jib-maven-plugin) describe the same image, it is
 * the one the chart's Deployment expects, and the chart pulls it from where a release pushes it.
 */
class ContainerImageTest {

    private static final String JAR = "/app/mailgun-ip-pool-operator.jar";
    private static final List<String> ENTRYPOINT = List.of("java", "-jar", JAR);

    private static Map<String, String> dockerfile;
    private static Map<String, List<String>> imageSh;
    private static Element jib;
    private static Document pom;

    @BeforeAll
    static void read() throws Exception {
        dockerfile = finalStage(Manifests.projectDir().resolve("src/main/docker/Dockerfile"));
        pom = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(Manifests.projectDir().resolve("pom.xml").toFile());
        jib = jibConfiguration(pom);
        imageSh = umociConfig(Manifests.projectDir().resolve(".ci/image.sh"));
    }

    @Test
    void imageShBuildsTheImageTheDockerfileDescribes() {
        assertThat(imageSh.get("entrypoint")).isEqualTo(ENTRYPOINT);
        assertThat(imageSh.get("cmd")).isEqualTo(json(dockerfile.get("CMD")));
        assertThat(imageSh.get("user")).containsExactly(dockerfile.get("USER"));
        assertThat(imageSh.get("exposedports")).containsExactly(dockerfile.get("EXPOSE") + "/tcp");
    }

    @Test
    void ciBuildsTheImageBeforeTheTestsThatRunIt() throws IOException {
        String run = Files.readString(Manifests.projectDir().resolve(".ci/run"));
        assertThat(run).contains("bash .ci/image.sh");
        assertThat(run.indexOf("bash .ci/image.sh")).isLessThan(run.indexOf("mvn -B -ntp verify"));
    }

    @Test
    void theChartPullsTheImageFromWhereAReleasePushesIt() {
        // https://github.com/<owner>/<name> publishes ghcr.io/<owner>/<name>.
        String source = text(pom.getDocumentElement(), "url");
        assertThat(source).startsWith("https://github.com/");
        assertThat(HelmChartTest.valuesYaml().path("image").path("repository").asText())
                .isEqualTo("ghcr.io/" + source.substring("https://github.com/".length()));
    }

    @Test
    void dockerfileRunsTheJarAsNonRootWithRunByDefault() {
        assertThat(json(dockerfile.get("ENTRYPOINT"))).isEqualTo(ENTRYPOINT);
        assertThat(json(dockerfile.get("CMD"))).containsExactly("run");
        assertThat(dockerfile.get("USER")).isEqualTo("65532:65532");
        assertThat(dockerfile.get("EXPOSE")).isEqualTo("8080");
        assertThat(dockerfile.get("COPY")).endsWith(" " + JAR).contains("target/" + finalName());
    }

    // Maven skips a missing resource folder without a word, so a Dockerfile that leaves one out
    // builds a jar without it (the samples `local` applies) while jib's has it.
    @Test
    void dockerfileBuildSeesEveryResourceFolderTheJarBundles() throws IOException {
        Path docker = Manifests.projectDir().resolve("src/main/docker");
        List<String> copied = new ArrayList<>();
        for (String line : joinContinuations(Files.readAllLines(docker.resolve("Dockerfile")))) {
            List<String> words = List.of(line.split("\\s+"));
            if (words.get(0).equals("COPY") && words.stream().noneMatch(w -> w.startsWith("--from"))) {
                words.subList(1, words.size() - 1).stream()
                        .filter(w -> !w.startsWith("--"))
                        .forEach(copied::add);
            }
        }
        List<String> ignore = Files.readAllLines(docker.resolve("Dockerfile.dockerignore")).stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
        NodeList resources = pom.getElementsByTagName("resource");

        assertThat(resources.getLength()).isGreaterThan(1);
        for (int i = 0; i < resources.getLength(); i++) {
            String folder = text((Element) resources.item(i), "directory");
            assertThat(copied).as("COPY of %s", folder).anyMatch(source -> within(folder, source));
            assertThat(sentToTheBuild(folder, ignore))
                    .as("%s past .dockerignore", folder)
                    .isTrue();
        }
    }

    @Test
    void jibBuildsTheSameImageWithoutBeingBoundToAPhase() {
        Element container = child(jib, "container");

        assertThat(Arrays.asList(text(container, "entrypoint").split(","))).isEqualTo(ENTRYPOINT);
        assertThat(text(container, "args"))
                .isEqualTo(json(dockerfile.get("CMD")).get(0));
        assertThat(text(container, "user")).isEqualTo(dockerfile.get("USER"));
        assertThat(text(container, "ports")).isEqualTo(dockerfile.get("EXPOSE"));
        Element extra = child(child(child(jib, "extraDirectories"), "paths"), "path");
        assertThat(text(extra, "into")
                        + "/"
                        + text(extra, "includes")
                                .replace(
                                        "${project.build.finalName}",
                                        text(pom.getDocumentElement(), "build", "finalName")))
                .isEqualTo(JAR);
        assertThat(text(child(jib, "from"), "image")).contains("17");
        // No <executions>: a normal build never runs jib (it would need a registry).
        assertThat(((Element) jib.getParentNode())
                        .getElementsByTagName("executions")
                        .getLength())
                .isZero();
    }

    @Test
    void theChartRunsWhatTheImageProvides() {
        Deployment deployment = ChartRenderer.render(Map.of()).only(Deployment.class);
        Container container =
                deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        JsonNode securityContext = HelmChartTest.valuesYaml().path("securityContext");

        // The chart leaves the entrypoint to the image and passes the command as args.
        assertThat(container.getCommand()).isEmpty();
        assertThat(container.getArgs()).isEqualTo(json(dockerfile.get("CMD")));
        assertThat(securityContext.path("runAsUser").asText()
                        + ":"
                        + securityContext.path("runAsGroup").asText())
                .isEqualTo(dockerfile.get("USER"));
        assertThat(container.getPorts().get(0).getContainerPort().toString()).isEqualTo(dockerfile.get("EXPOSE"));
        // The image's root filesystem is read-only in the pod: /tmp comes from an emptyDir.
        assertThat(securityContext.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        String tmp = container.getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals("/tmp"))
                .findFirst()
                .orElseThrow()
                .getName();
        assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo(tmp);
            assertThat(v.getEmptyDir()).isNotNull();
        });
    }

    /** The values of each {@code --config.<key> <value>} option in the script, in order. */
    private static Map<String, List<String>> umociConfig(Path script) throws IOException {
        Map<String, List<String>> options = new HashMap<>();
        Matcher option = Pattern.compile("--config\\.([a-z]+) (\\S+)").matcher(Files.readString(script));
        while (option.find()) {
            options.computeIfAbsent(option.group(1), k -> new ArrayList<>()).add(option.group(2));
        }
        return options;
    }

    /** The instructions of the Dockerfile's last stage, by keyword (the last one wins). */
    private static Map<String, String> finalStage(Path file) throws IOException {
        List<String> lines = joinContinuations(Files.readAllLines(file));
        int from = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("FROM ")) {
                from = i;
            }
        }
        Map<String, String> instructions = new HashMap<>();
        for (String line : lines.subList(from, lines.size())) {
            int space = line.indexOf(' ');
            if (space > 0 && !line.startsWith("#")) {
                instructions.put(
                        line.substring(0, space), line.substring(space + 1).trim());
            }
        }
        return instructions;
    }

    private static List<String> joinContinuations(List<String> lines) {
        List<String> joined = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
            } else {
                joined.add(current.append(trimmed).toString());
                current.setLength(0);
            }
        }
        return joined;
    }

    private static boolean within(String path, String folder) {
        String f = folder.replaceAll("/+$", "");
        return f.equals(".") || f.equals("*") || path.equals(f) || path.startsWith(f + "/");
    }

    /** .dockerignore as BuildKit reads it, for plain folder patterns: the last match decides. */
    private static boolean sentToTheBuild(String path, List<String> patterns) {
        boolean sent = true;
        for (String pattern : patterns) {
            boolean include = pattern.startsWith("!");
            if (within(path, include ? pattern.substring(1) : pattern)) {
                sent = include;
            }
        }
        return sent;
    }

    private static List<String> json(String exec) {
        JsonNode array = Manifests.documents(exec).get(0);
        List<String> items = new ArrayList<>();
        array.forEach(node -> items.add(node.asText()));
        return items;
    }

    private static String finalName() {
        return text(pom.getDocumentElement(), "build", "finalName") + ".jar";
    }

    private static Element jibConfiguration(Document pom) {
        NodeList plugins = pom.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            if ("jib-maven-plugin".equals(text(plugin, "artifactId"))) {
                return child(plugin, "configuration");
            }
        }
        throw new AssertionError("no jib-maven-plugin in pom.xml");
    }

    private static String text(Element parent, String... path) {
        Element element = parent;
        for (String name : path) {
            element = child(element, name);
        }
        return element.getTextContent().trim();
    }

    private static Element child(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        throw new AssertionError("no <" + name + "> in <" + parent.getTagName() + ">");
    }
}
