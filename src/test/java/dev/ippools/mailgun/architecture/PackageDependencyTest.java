package dev.ippools.mailgun.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The data flow of the design as import rules: the planner stays pure, the Mailgun client and the
 * account state know nothing of Kubernetes, the emulator is an independent implementation. A name
 * written out in full in the code counts as an import, so it cannot dodge a rule.
 */
class PackageDependencyTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/ippools/mailgun");
    private static final Pattern IMPORT = Pattern.compile("(?m)^import (?:static )?([\\w.]+);");
    private static final Pattern PROJECT_NAME =
            Pattern.compile("(?<![\\w.])dev\\.ippools\\.mailgun\\.(?:[a-z]\\w*\\.)*([A-Z]\\w*)");
    private static final Pattern DIRECTIVE = Pattern.compile("(?m)^(?:import|package) [^;]*;");

    private static final String JOSDK = "io\\.javaoperatorsdk\\.";
    private static final String KUBERNETES = "io\\.fabric8\\.kubernetes\\.";
    private static final String OKHTTP = "okhttp3\\.";

    /**
     * Every package, with the project packages it may use and the libraries it must not (only
     * {@code Main}, at the top, uses {@code cli}). Down the data flow of the design only: the
     * commands assemble everything, the reconcilers orchestrate, the rest knows only what is below.
     */
    static Stream<Arguments> rules() {
        return Stream.of(
                // The JDK and immutable collections only (pcollections: persistent maps for views
                // changed a domain at a time); no Kubernetes, no HTTP, no I/O.
                rule("plan", "plan", "(?!java\\.|org\\.pcollections\\.|dev\\.ippools\\.mailgun\\.).*"),
                rule("client", "client", KUBERNETES + "|" + JOSDK),
                rule("emulator", "emulator", KUBERNETES + "|" + JOSDK),
                rule("execute", "execute|client|plan", KUBERNETES + "|" + JOSDK + "|" + OKHTTP),
                // The account owns its batching writer (execute.batch) and observes what it sent.
                rule("account", "account|client|execute|plan", KUBERNETES + "|" + JOSDK + "|" + OKHTTP),
                rule("api", "api", JOSDK + "|" + OKHTTP),
                rule("status", "status|api", JOSDK + "|" + OKHTTP + "|" + KUBERNETES + "client\\."),
                rule(
                        "mapping",
                        "mapping|api|plan|account|client",
                        JOSDK + "|" + OKHTTP + "|" + KUBERNETES + "client\\."),
                rule("preview", "preview|api|mapping|plan|account", JOSDK + "|" + OKHTTP),
                rule("reconciler", "reconciler|account|api|client|execute|mapping|plan|status", OKHTTP),
                rule("metrics", "metrics|api|client|status", OKHTTP),
                rule("health", "health", OKHTTP + "|" + KUBERNETES),
                rule("runtime", "runtime|account|client|mapping|reconciler", OKHTTP),
                rule("local", "local|runtime|account|api|client|emulator|mapping|reconciler|status", OKHTTP),
                rule(
                        "cli",
                        "cli|runtime|account|client|emulator|health|local|mapping|metrics|plan" + "|preview|reconciler",
                        OKHTTP));
    }

    private static Arguments rule(String pkg, String mayUse, String bannedLibraries) {
        String allowed = "(?:" + mayUse + ")";
        String banned = "^(?:(?:" + bannedLibraries + ")|dev\\.ippools\\.mailgun\\.(?!" + allowed + "(?:\\.|$))).*";
        return Arguments.of(pkg, banned);
    }

    @ParameterizedTest(name = "{0} must not use {1}")
    @MethodSource("rules")
    void packageKeepsItsDependenciesDown(String pkg, String forbidden) throws IOException {
        assertThat(violations(SOURCES.resolve(pkg), Integer.MAX_VALUE, Pattern.compile(forbidden)))
                .isEmpty();
    }

    /** A new package needs a rule before it can land. */
    @Test
    void everyPackageHasARule() throws IOException {
        List<String> ruled = rules().map(a -> (String) a.get()[0]).toList();
        try (Stream<Path> dirs = Files.list(SOURCES)) {
            assertThat(dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()))
                    .allMatch(ruled::contains, "has a rule in PackageDependencyTest.rules()");
        }
    }

    /** The rules catch what they are for (a rule that matches nothing would pass any code). */
    @Test
    void rulesRejectWhatTheyAreFor() {
        Map<String, Pattern> rule = new HashMap<>();
        rules().forEach(a -> rule.put((String) a.get()[0], Pattern.compile((String) a.get()[1])));
        assertThat(rule.get("plan")
                        .matcher("io.fabric8.kubernetes.api.model.Pod")
                        .matches())
                .isTrue();
        assertThat(rule.get("plan").matcher("java.util.List").matches()).isFalse();
        assertThat(rule.get("execute")
                        .matcher("dev.ippools.mailgun.account.AccountState")
                        .matches())
                .isTrue();
        assertThat(rule.get("execute")
                        .matcher("dev.ippools.mailgun.client.MailgunClient")
                        .matches())
                .isFalse();
        assertThat(rule.get("preview")
                        .matcher("dev.ippools.mailgun.reconciler.Controllers")
                        .matches())
                .isTrue();
        assertThat(rule.get("local")
                        .matcher("dev.ippools.mailgun.runtime.OperatorRuntime")
                        .matches())
                .isFalse();
        assertThat(rule.get("mapping")
                        .matcher("dev.ippools.mailgun.runtime.OperatorRuntime")
                        .matches())
                .isTrue();
        assertThat(rule.get("mapping")
                        .matcher("io.javaoperatorsdk.operator.Operator")
                        .matches())
                .isTrue();
    }

    /** No two packages (sub-packages counted on their own) use each other, however indirectly. */
    @Test
    void packagesFormNoCycle() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        for (Path f : javaFiles(SOURCES, Integer.MAX_VALUE)) {
            String from = packageOf(SOURCES.relativize(f.getParent()).toString().replace('/', '.'));
            String source = Files.readString(f);
            List<String> names = new ArrayList<>(inlineProjectNames(source));
            Matcher m = IMPORT.matcher(source);
            while (m.find()) {
                names.add(m.group(1));
            }
            for (String name : names) {
                Matcher p = Pattern.compile("^dev\\.ippools\\.mailgun\\.((?:[a-z]\\w*\\.)*)[A-Z].*")
                        .matcher(name);
                if (p.matches()) {
                    String to = packageOf(p.group(1).replaceAll("\\.$", ""));
                    if (!to.equals(from)) {
                        uses.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
                    }
                }
            }
        }
        List<String> cycles = new ArrayList<>();
        for (String start : uses.keySet()) {
            Deque<String> todo = new ArrayDeque<>(uses.get(start));
            Set<String> seen = new HashSet<>();
            while (!todo.isEmpty()) {
                String next = todo.pop();
                if (next.equals(start)) {
                    cycles.add(start + " reaches itself through " + uses.get(start));
                    break;
                }
                if (seen.add(next)) {
                    todo.addAll(uses.getOrDefault(next, Set.of()));
                }
            }
        }
        assertThat(uses).isNotEmpty();
        assertThat(cycles).isEmpty();
    }

    private static String packageOf(String relative) {
        return relative.isEmpty() ? "root" : relative;
    }

    /** The interface and its options do not know the okhttp implementation; the factory does. */
    @Test
    void clientPackageDoesNotKnowItsImplementation() throws IOException {
        Pattern http = Pattern.compile("^dev\\.ippools\\.mailgun\\.client\\.http\\..*");
        assertThat(violations(SOURCES.resolve("client"), 1, http)).isEmpty();
    }

    /**
     * Project classes are imported, not written out in the code; only a name already taken in the
     * file (two {@code ManagementPolicy} types, say) may be written in full.
     */
    @Test
    void projectNamesAreImportedNotWrittenInline() throws IOException {
        List<String> inline = new ArrayList<>();
        for (Path f : javaFiles(SOURCES, Integer.MAX_VALUE)) {
            String source = Files.readString(f);
            String file = SOURCES.relativize(f).toString().replace('\\', '/');
            for (String name : inlineProjectNames(source)) {
                if (!nameIsTaken(f, source, name)) {
                    inline.add(file + " writes " + name + " inline");
                }
            }
        }
        assertThat(inline).isEmpty();
    }

    @Test
    void inlineNamesAreFoundInCodeOnly() {
        String source = """
        package dev.ippools.mailgun.client;

        import dev.ippools.mailgun.client.http.Wire;

        /** See {@link dev.ippools.mailgun.plan.Step}. */
        class Sample {
          // dev.ippools.mailgun.emulator.MailgunApi in a comment
          String logger = "dev.ippools.mailgun.client.http.wire";
          char quote = '"';
          Object client = new dev.ippools.mailgun.client.http.OkHttpMailgunClient(null);
          Object policy = dev.ippools.mailgun.api.v1alpha1.ManagementPolicy.OBSERVE;
        }
        """;

        assertThat(inlineProjectNames(source))
                .containsExactly(
                        "dev.ippools.mailgun.client.http.OkHttpMailgunClient",
                        "dev.ippools.mailgun.api.v1alpha1.ManagementPolicy");
    }

    private static List<String> violations(Path dir, int depth, Pattern banned) throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path f : javaFiles(dir, depth)) {
            String source = Files.readString(f);
            List<String> names = new ArrayList<>(inlineProjectNames(source));
            Matcher m = IMPORT.matcher(source);
            while (m.find()) {
                names.add(m.group(1));
            }
            for (String name : names) {
                if (banned.matcher(name).matches()) {
                    violations.add(SOURCES.relativize(f) + " uses " + name);
                }
            }
        }
        return violations;
    }

    static List<Path> javaFiles(Path dir, int depth) throws IOException {
        try (Stream<Path> files = Files.walk(dir, depth)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    /** Project type names written out in the code, outside imports, comments and literals. */
    private static List<String> inlineProjectNames(String source) {
        String code = DIRECTIVE.matcher(codeOnly(source)).replaceAll("");
        List<String> names = new ArrayList<>();
        Matcher m = PROJECT_NAME.matcher(code);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    /** True when an import, a declaration or the file's package already uses the simple name. */
    private static boolean nameIsTaken(Path file, String source, String name) {
        String simple = name.substring(name.lastIndexOf('.') + 1);
        Matcher m = IMPORT.matcher(source);
        while (m.find()) {
            if (m.group(1).endsWith("." + simple) && !m.group(1).equals(name)) {
                return true;
            }
        }
        boolean declaredHere = Pattern.compile("\\b(?:class|interface|enum|record) " + simple + "\\b")
                .matcher(codeOnly(source))
                .find();
        Path samePackage = file.resolveSibling(simple + ".java");
        return declaredHere || (Files.exists(samePackage) && !name.equals(typeName(samePackage)));
    }

    private static String typeName(Path file) {
        String path = SOURCES.relativize(file).toString().replace('\\', '/');
        return "dev.ippools.mailgun." + path.replace('/', '.').replaceAll("\\.java$", "");
    }

    /** The source with comments and string, text-block and char literals blanked out. */
    static String codeOnly(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            int end = literalOrCommentEnd(source, i);
            if (end == i) {
                out.append(source.charAt(i++));
            } else {
                // Keep the line breaks so that what is left still reads line by line.
                source.substring(i, end).chars().forEach(c -> out.append(c == '\n' ? '\n' : ' '));
                i = end;
            }
        }
        return out.toString();
    }

    /** Where the comment or literal starting at {@code i} ends; {@code i} when none starts there. */
    private static int literalOrCommentEnd(String s, int i) {
        if (s.startsWith("//", i)) {
            int end = s.indexOf('\n', i);
            return end < 0 ? s.length() : end;
        }
        if (s.startsWith("/*", i)) {
            return s.indexOf("*/", i + 2) + 2;
        }
        if (s.startsWith("\"\"\"", i)) {
            return s.indexOf("\"\"\"", i + 3) + 3;
        }
        char c = s.charAt(i);
        if (c != '"' && c != '\'') {
            return i;
        }
        int j = i + 1;
        while (s.charAt(j) != c) {
            j += s.charAt(j) == '\\' ? 2 : 1;
        }
        return j + 1;
    }
}
