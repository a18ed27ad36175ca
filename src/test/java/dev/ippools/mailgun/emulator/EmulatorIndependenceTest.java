package dev.ippools.mailgun.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The emulator is an independent implementation of Mailgun: it imports no other project code. */
class EmulatorIndependenceTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/ippools/mailgun/emulator");

    @Test
    void importsNothingFromTheRestOfTheProject() throws IOException {
        List<String> offending;
        try (Stream<Path> files = Files.list(SOURCES)) {
            offending = files.filter(p -> p.toString().endsWith(".java"))
                    .flatMap(EmulatorIndependenceTest::lines)
                    .filter(line -> line.startsWith("import ") && line.contains("dev.ippools.mailgun."))
                    .filter(line -> !line.contains("dev.ippools.mailgun.emulator."))
                    .toList();
        }
        assertThat(offending).isEmpty();
        try (Stream<Path> files = Files.list(SOURCES)) {
            assertThat(files.count()).isGreaterThan(10);
        }
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream().map(String::trim);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
