package dev.ippools.mailgun.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The data flow of the design as import rules: the planner stays pure, the Mailgun client and the
 * account state know nothing of Kubernetes, the emulator is an independent implementation.
 */
class PackageDependencyTest {

  private static final Path SOURCES = Path.of("src/main/java/dev/ippools/mailgun");
  private static final Pattern IMPORT = Pattern.compile("(?m)^import (?:static )?([\\w.]+);");

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
    Pattern banned = Pattern.compile(forbidden);
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SOURCES.resolve(pkg))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = IMPORT.matcher(Files.readString(f));
        while (m.find()) {
          if (banned.matcher(m.group(1)).matches()) {
            violations.add(SOURCES.relativize(f) + " imports " + m.group(1));
          }
        }
      }
    }
    assertThat(violations).isEmpty();
  }
}
