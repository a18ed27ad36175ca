package dev.ippools.mailgun.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

  /**
   * Inline names that another change is to replace by an import (issue 8, the reconciler part);
   * file and name, so that no new one hides behind them.
   */
  private static final Map<String, String> KNOWN_INLINE_NAMES =
      Map.of("reconciler/IpPoolReconciler.java", "dev.ippools.mailgun.plan.ManagementPolicy");

  @ParameterizedTest(name = "{0} must not import {1}")
  @CsvSource({
    "plan, '^(?!java\\.|dev\\.ippools\\.mailgun\\.plan\\.).*'",
    "client, '^(io\\.fabric8\\.kubernetes|io\\.javaoperatorsdk|dev\\.ippools\\.mailgun\\.(?!client)).*'",
    "account, '^(io\\.fabric8\\.kubernetes|io\\.javaoperatorsdk|dev\\.ippools\\.mailgun\\.(reconciler|api|emulator|cli)\\.).*'",
    "execute, '^(io\\.fabric8\\.kubernetes|io\\.javaoperatorsdk|dev\\.ippools\\.mailgun\\.(reconciler|api|emulator|cli|account)\\.).*'",
    "emulator, '^dev\\.ippools\\.mailgun\\.(?!emulator).*'",
    "api, '^(io\\.javaoperatorsdk|okhttp3|dev\\.ippools\\.mailgun\\.(client|plan|account|reconciler|execute|emulator)\\.).*'",
    "status, '^(io\\.javaoperatorsdk|okhttp3|io\\.fabric8\\.kubernetes\\.client|dev\\.ippools\\.mailgun\\.(client|plan|account|reconciler|execute|emulator)\\.).*'"
  })
  void packageKeepsItsDependenciesDown(String pkg, String forbidden) throws IOException {
    assertThat(violations(SOURCES.resolve(pkg), Integer.MAX_VALUE, Pattern.compile(forbidden)))
        .isEmpty();
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
        if (!nameIsTaken(f, source, name) && !name.equals(KNOWN_INLINE_NAMES.get(file))) {
          inline.add(file + " writes " + name + " inline");
        }
      }
    }
    assertThat(inline).isEmpty();
  }

  @Test
  void inlineNamesAreFoundInCodeOnly() {
    String source =
        """
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

  private static List<Path> javaFiles(Path dir, int depth) throws IOException {
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
    boolean declaredHere =
        Pattern.compile("\\b(?:class|interface|enum|record) " + simple + "\\b")
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
  private static String codeOnly(String source) {
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
