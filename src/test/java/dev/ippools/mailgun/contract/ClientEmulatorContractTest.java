package dev.ippools.mailgun.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.client.MailgunClient;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The contract suite of this package runs the okhttp {@link MailgunClient} against the embedded
 * emulator, one class per area: {@link PoolsContractTest}, {@link PoolDomainsPagingContractTest},
 * {@link DomainIpsContractTest}, {@link AccountIpsContractTest}, {@link DelegationContractTest},
 * {@link PropagationContractTest}, {@link RejectionsContractTest}, {@link TroubleContractTest} and
 * {@link OfficialSdkCompatibilityTest}. This test keeps it complete: a method added to the
 * interface fails here until some contract test calls it.
 */
class ClientEmulatorContractTest {

    private static final Path SUITE = Path.of("src/test/java/dev/ippools/mailgun/contract");

    @Test
    void everyClientMethodIsCalledByTheContractSuite() throws IOException {
        String suite = suiteSources();
        List<String> uncovered = new ArrayList<>();
        for (String method : clientMethods()) {
            boolean called = suite.contains("." + method + "(") || suite.contains("::" + method);
            if (!called) {
                uncovered.add(method);
            }
        }

        assertThat(uncovered).as("MailgunClient methods no contract test calls").isEmpty();
    }

    @Test
    void theInterfaceStillHasTheMethodsThisSuiteWasWrittenFor() {
        // Guards the scan above against passing on an empty or renamed interface.
        assertThat(clientMethods())
                .contains(
                        "listPools",
                        "createPool",
                        "deletePool",
                        "listAllPoolDomains",
                        "addPoolIps",
                        "setSubaccountPool",
                        "legacyUnlinkDomainPool",
                        "listIpDomains",
                        "onBehalfOf")
                .hasSizeGreaterThanOrEqualTo(25);
    }

    private static List<String> clientMethods() {
        return Arrays.stream(MailgunClient.class.getDeclaredMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .map(Method::getName)
                .filter(name -> !name.equals("close"))
                .distinct()
                .sorted()
                .toList();
    }

    private static String suiteSources() throws IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.list(SUITE)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                if (!file.getFileName().toString().equals("ClientEmulatorContractTest.java")) {
                    text.append(Files.readString(file));
                }
            }
        }
        return text.toString();
    }
}
