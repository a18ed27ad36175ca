package dev.ippools.mailgun.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.client.MailgunClient;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * One write path: outside the client, the emulator and the execution layer ({@code execute} and
 * its sub-packages, where {@code PlanExecutor} and the batching writer live), no class calls a
 * write method of {@link MailgunClient}, so every write is a plan step the executor checked.
 */
class WritePathTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/ippools/mailgun");
    private static final Set<String> MAY_WRITE = Set.of("client", "emulator", "execute");
    private static final Set<String> NOT_CALLS = Set.of("onBehalfOf", "deferrable", "rateLimiter", "close");

    /** Every method of the client that is not a read: reads are list*, get* and legacyList*. */
    static Set<String> writeMethods() {
        Set<String> writes = new TreeSet<>();
        for (Method m : MailgunClient.class.getMethods()) {
            String name = m.getName();
            if (!name.startsWith("list")
                    && !name.startsWith("get")
                    && !name.startsWith("legacyList")
                    && !NOT_CALLS.contains(name)) {
                writes.add(name);
            }
        }
        return writes;
    }

    @Test
    void writeMethodsAreTheClientsWrites() {
        assertThat(writeMethods())
                .contains(
                        "createPool", "updatePool", "deletePool", "legacyLinkDomainPool", "delegatePool", "addPoolIps")
                .doesNotContain("listPools", "getPool", "legacyListDomainIps", "listAllPoolDomains");
    }

    @Test
    void onlyTheExecutionLayerCallsAClientWrite() throws IOException {
        List<String> calls = new ArrayList<>();
        for (Path f : PackageDependencyTest.javaFiles(SOURCES, Integer.MAX_VALUE)) {
            String top = SOURCES.relativize(f).getName(0).toString();
            if (MAY_WRITE.contains(top)) {
                continue;
            }
            String code = PackageDependencyTest.codeOnly(Files.readString(f));
            calls.addAll(writeCalls(code).stream()
                    .map(c -> SOURCES.relativize(f) + " calls " + c)
                    .toList());
        }
        assertThat(calls).isEmpty();
    }

    /** The check finds a write however the client was reached, and not in comments. */
    @Test
    void findsAWriteCallInCode() {
        String code = PackageDependencyTest.codeOnly("""
        class Sample {
          // client.deletePool(id, null) in a comment
          void run() {
            account.client()
                .updatePool(id, change);
            client.listPools();
          }
        }
        """);

        assertThat(writeCalls(code)).containsExactly("updatePool");
    }

    private static List<String> writeCalls(String code) {
        Pattern call = Pattern.compile("\\.\\s*(" + String.join("|", writeMethods()) + ")\\s*\\(");
        List<String> found = new ArrayList<>();
        Matcher m = call.matcher(code);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    @Test
    void theAllowedPackagesExist() {
        assertThat(Arrays.stream(MAY_WRITE.toArray(String[]::new)).map(SOURCES::resolve))
                .allMatch(Files::isDirectory);
    }
}
