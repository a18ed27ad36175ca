package dev.ippools.mailgun.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ippools.mailgun.Main;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * README.md read as a CommonMark renderer reads it. A fence left open turns the rest of the page
 * into one code block, a renamed heading breaks its {@code #anchor} links, and a renamed option
 * leaves the README teaching a flag the jar rejects: none of that shows in a text editor.
 */
class ReadmeTest {

    private static final Path PROJECT = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));

    // A fence that opens a block (it has an info string) cannot be content of another block.
    private static final Pattern OPENING_FENCE = Pattern.compile(" {0,3}(`{3,}|~{3,})\\s*\\w.*");
    private static final Pattern FLAG = Pattern.compile("--[a-z][a-z0-9-]*");
    private static final String JAR = "mailgun-ip-pool-operator.jar";

    // Sections whose inline `--flag`s all belong to one command of the jar.
    private static final Map<String, String> SECTION_COMMANDS = Map.of(
            "Try it locally", "local",
            "Configuration", "run",
            "Previewing changes: the plan command", "plan",
            "Conditions and troubleshooting", "run",
            "Metrics", "run",
            "Failure modes", "run",
            "The Mailgun emulator", "emulator");

    private static Node readme;

    @BeforeAll
    static void parse() throws IOException {
        readme = Parser.builder().build().parse(Files.readString(PROJECT.resolve("README.md")));
    }

    @Test
    void everyFencedBlockIsClosedAndHoldsNoOtherBlock() {
        List<String> problems = new ArrayList<>();
        for (FencedCodeBlock block : all(FencedCodeBlock.class)) {
            String first = block.getLiteral().lines().findFirst().orElse("");
            if (block.getClosingFenceLength() == null) {
                problems.add("never closed: the ```" + block.getInfo() + " block starting " + first);
            }
            block.getLiteral()
                    .lines()
                    .filter(line -> OPENING_FENCE.matcher(line).matches())
                    .forEach(line -> problems.add("closed too late: the ```"
                            + block.getInfo()
                            + " block starting "
                            + first
                            + " swallows "
                            + line));
        }
        assertThat(all(FencedCodeBlock.class)).hasSizeGreaterThan(10);
        assertThat(problems).isEmpty();
    }

    @Test
    void everyAnchorLinkNamesAHeading() {
        Set<String> anchors = anchors();
        List<String> links = all(Link.class).stream()
                .map(Link::getDestination)
                .filter(d -> d.startsWith("#"))
                .toList();

        assertThat(links).isNotEmpty();
        assertThat(links)
                .as("links to no heading of %s", anchors)
                .allMatch(link -> anchors.contains(link.substring(1)));
    }

    @Test
    void everyRelativeLinkNamesAFile() {
        List<String> files = all(Link.class).stream()
                .map(Link::getDestination)
                .filter(d -> !d.startsWith("#") && !d.contains("://") && !d.startsWith("mailto:"))
                .map(d -> d.replaceFirst("#.*", ""))
                .toList();

        assertThat(files).allSatisfy(f -> assertThat(PROJECT.resolve(f)).exists());
    }

    @Test
    void everyFlagTheReadmeGivesACommandIsAnOptionOfThatCommand() {
        CommandLine jar = new CommandLine(new Main());
        Map<String, Set<String>> flags = flags();

        assertThat(flags).containsKeys("run", "local", "plan", "emulator");
        List<String> unknown = new ArrayList<>();
        flags.forEach((command, names) -> {
            CommandLine.Model.CommandSpec spec = command.isEmpty()
                    ? jar.getCommandSpec()
                    : jar.getSubcommands().get(command).getCommandSpec();
            names.stream()
                    .filter(name -> spec.findOption(name) == null)
                    .forEach(name -> unknown.add((command.isEmpty() ? "" : command + " ") + name));
        });
        assertThat(unknown).as("flags in README.md that the jar does not have").isEmpty();
    }

    @Test
    void theArgoCdPreSyncHookRunsAClusterPlanWithOptionsThePlanCommandHas() throws IOException {
        List<String> args = null;
        for (FencedCodeBlock block : all(FencedCodeBlock.class)) {
            if (!block.getInfo().equals("yaml") || !block.getLiteral().contains("kind: Job")) {
                continue;
            }
            for (JsonNode doc : new YAMLMapper()
                    .readerFor(JsonNode.class)
                    .<JsonNode>readValues(block.getLiteral())
                    .readAll()) {
                if (doc.path("kind").asText().equals("Job")) {
                    assertThat(doc.at("/metadata/annotations")
                                    .path("argocd.argoproj.io/hook")
                                    .asText())
                            .isEqualTo("PreSync");
                    args = new ArrayList<>();
                    for (JsonNode arg : doc.at("/spec/template/spec/containers/0/args")) {
                        args.add(arg.asText());
                    }
                }
            }
        }
        assertThat(args).as("an Argo CD hook Job in README.md").isNotNull();
        assertThat(args).startsWith("plan").contains("--cluster", "-f", "/manifests");
        CommandLine.Model.CommandSpec plan =
                new CommandLine(new Main()).getSubcommands().get("plan").getCommandSpec();
        assertThat(args.stream().filter(a -> a.startsWith("-")))
                .allSatisfy(a -> assertThat(plan.findOption(a)).as(a).isNotNull());
        // the GitHub Actions step runs the same kind of plan
        assertThat(all(FencedCodeBlock.class))
                .anySatisfy(b -> assertThat(b.getLiteral())
                        .contains("gh pr comment")
                        .contains("plan --cluster")
                        .contains("--output markdown"));
    }

    @Test
    void theTroubleshootingTableExplainsEveryConditionReason() throws Exception {
        String markdown = Files.readString(PROJECT.resolve("README.md"));
        int from = markdown.indexOf("\n## Conditions and troubleshooting\n");
        String section = markdown.substring(from, markdown.indexOf("\n## ", from + 1));
        List<String> reasons = new ArrayList<>();
        for (Class<?> type : List.of(
                ApiConstants.ReadyReasons.class,
                ApiConstants.SyncedReasons.class,
                ApiConstants.RelinkingReasons.class)) {
            for (Field field : type.getFields()) {
                reasons.add((String) field.get(null));
            }
        }

        assertThat(reasons).hasSizeGreaterThan(10);
        assertThat(reasons)
                .as("reasons the troubleshooting table leaves out")
                .allMatch(reason -> section.contains("`" + reason + "`"));
    }

    /** GitHub's heading ids: lower case, punctuation dropped, spaces to '-', repeats numbered. */
    private static Set<String> anchors() {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Heading heading : all(Heading.class)) {
            String slug = text(heading)
                    .toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "")
                    .replace(' ', '-');
            int count = seen.merge(slug, 1, Integer::sum);
            anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
        }
        return anchors;
    }

    /**
     * Flags by command ("" for the jar's own): those on a {@code java -jar ...} line of any code, and
     * those in an inline {@code `--flag`} of a section about one command.
     */
    private static Map<String, Set<String>> flags() {
        Map<String, Set<String>> flags = new HashMap<>();
        Set<String> commands = new CommandLine(new Main()).getSubcommands().keySet();
        String[] section = {""};
        readme.accept(new AbstractVisitor() {
            @Override
            public void visit(Heading heading) {
                if (heading.getLevel() == 2) {
                    section[0] = text(heading);
                }
            }

            @Override
            public void visit(FencedCodeBlock block) {
                // a shell line continued with '\' is one command
                block.getLiteral().replace("\\\n", " ").lines().forEach(this::commandLine);
            }

            @Override
            public void visit(Code code) {
                commandLine(code.getLiteral());
                String command = SECTION_COMMANDS.get(section[0]);
                if (command != null && code.getLiteral().startsWith("--")) {
                    add(command, code.getLiteral());
                }
            }

            private void commandLine(String line) {
                int at = line.indexOf(JAR);
                if (at < 0) {
                    return;
                }
                // up to a redirect, pipe, next command or comment
                String rest = line.substring(at + JAR.length())
                        .split("[>|;#]|&&", 2)[0]
                        .trim();
                String first = rest.isEmpty() ? "" : rest.split("\\s+", 2)[0];
                if (commands.contains(first)) {
                    add(first, rest.substring(first.length()));
                } else if (first.isEmpty() || first.startsWith("-")) {
                    // no command: the jar's own --help/--version, else run's options
                    add(Set.of("--help", "--version").contains(first) ? "" : "run", rest);
                }
            }

            private void add(String command, String text) {
                Matcher m = FLAG.matcher(text);
                while (m.find()) {
                    flags.computeIfAbsent(command, c -> new LinkedHashSet<>()).add(m.group());
                }
            }
        });
        return flags;
    }

    private static String text(Node node) {
        StringBuilder text = new StringBuilder();
        node.accept(new AbstractVisitor() {
            @Override
            public void visit(Text t) {
                text.append(t.getLiteral());
            }

            @Override
            public void visit(Code c) {
                text.append(c.getLiteral());
            }
        });
        return text.toString();
    }

    private static <T extends Node> List<T> all(Class<T> type) {
        List<T> found = new ArrayList<>();
        collect(readme, type, found);
        return found;
    }

    private static <T extends Node> void collect(Node node, Class<T> type, List<T> found) {
        if (type.isInstance(node)) {
            found.add(type.cast(node));
        }
        for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
            collect(child, type, found);
        }
    }
}
