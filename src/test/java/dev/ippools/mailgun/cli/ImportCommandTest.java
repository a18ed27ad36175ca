package dev.ippools.mailgun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.account.MailgunClients;
import dev.ippools.mailgun.emulator.AccountFixture;
import dev.ippools.mailgun.emulator.EmulatorConfig;
import dev.ippools.mailgun.emulator.JournalEntry;
import dev.ippools.mailgun.emulator.MailgunEmulator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs {@code import}, then {@code plan} on its output, against an emulated hand-made account. */
class ImportCommandTest {

    static final Path FIXTURE = Path.of("src/test/resources/fixtures/import-account.yaml");
    private static final String KEY = "k";

    private MailgunEmulator emulator;

    @TempDir
    Path dir;

    @BeforeEach
    void startEmulator() {
        emulator = MailgunEmulator.start(EmulatorConfig.defaults()
                .withPort(0)
                .withFixture(AccountFixture.load(FIXTURE))
                .withApiKey(KEY));
    }

    @AfterEach
    void stopEmulator() {
        emulator.close();
    }

    record Run(int exit, String out, String err) {}

    static Run run(Callable<Integer> command, String... args) {
        CommandLine commandLine = new CommandLine(command);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Run importAccount(String... more) {
        List<String> args = new ArrayList<>(List.of("--emulator-url", emulator.url(), "--api-key", KEY));
        args.addAll(List.of(more));
        return importWith(args.toArray(String[]::new));
    }

    private static Run importWith(String... args) {
        return run(new ImportCommand(Map.<String, String>of()::get, MailgunClients.withDefaults()), args);
    }

    private List<JournalEntry> writes() {
        return emulator.journal().entries().stream()
                .filter(e -> !e.method().equals("GET"))
                .toList();
    }

    private Run plan(Path manifests, String... account) {
        List<String> args = new ArrayList<>(List.of("-f", manifests.toString()));
        args.addAll(List.of(account));
        return run(
                new PlanCommand(Map.<String, String>of()::get, MailgunClients.withDefaults()),
                args.toArray(String[]::new));
    }

    @Test
    void importsTheAccountAndPlanChangesNothingButTheOwnershipMarkers() throws Exception {
        Run imported = importAccount("--output-dir", dir.toString(), "-n", "mail");

        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.out()).isEmpty();
        assertThat(imported.err())
                .contains(
                        "import: IpPool transactional-eu is named after \"Transactional EU\" (not a valid"
                                + " Kubernetes name)",
                        "import: IpPool marketing-000003 is named after \"marketing\" (name taken)",
                        "import: IpPool pool-64b0c0ffee00000000000004 is named after \"!!!\"",
                        "import: wrote 11 files");
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted())
                    .containsExactly(
                            "domainpoolbinding-alerts.example.com.yaml",
                            "domainpoolbinding-billing.example.com.yaml",
                            "domainpoolbinding-bulk.example.com.yaml",
                            "domainpoolbinding-mail.example.com.yaml",
                            "domainpoolbinding-news.example.com.yaml",
                            "domainpoolbinding-receipts.example.com.yaml",
                            "ippool-bulk.yaml",
                            "ippool-marketing-000003.yaml",
                            "ippool-marketing.yaml",
                            "ippool-pool-64b0c0ffee00000000000004.yaml",
                            "ippool-transactional-eu.yaml");
        }
        String marketing = Files.readString(dir.resolve("ippool-marketing.yaml"));
        assertThat(marketing)
                .contains(
                        "name: \"marketing\"",
                        "description: \"Newsletters\"",
                        "poolId: \"64b0c0ffee00000000000002\"",
                        "delegatedTo:\n  - \"6a1b2c3d4e5f60718293a4b5\"",
                        "deletionPolicy: \"Orphan\"")
                .doesNotContain("managed-by");
        assertThat(Files.readString(dir.resolve("domainpoolbinding-billing.example.com.yaml")))
                .contains("ips:\n  - \"198.51.100.17\"\n  - \"198.51.100.18\"");
        assertThat(Files.readString(dir.resolve("domainpoolbinding-mail.example.com.yaml")))
                .contains("poolRef:\n    name: \"transactional-eu\"");

        Run plan = plan(dir, "--emulator-url", emulator.url(), "--api-key", KEY);

        // the only calls: each adopted pool's ownership marker, its text unchanged
        List<String> calls = plan.out()
                .lines()
                .filter(l -> l.startsWith("  PATCH")
                        || l.startsWith("  POST")
                        || l.startsWith("  DELETE")
                        || l.startsWith("  PUT"))
                .toList();
        assertThat(calls)
                .hasSize(5)
                .allSatisfy(call -> assertThat(call)
                        .matches("  PATCH /v3/ip_pools/64b0c0ffee0000000000000[1-5] description=.*"
                                + " \\[managed-by: mailgun-ip-pool-operator uid=<metadata.uid>\\]"));
        assertThat(calls)
                .contains("  PATCH /v3/ip_pools/64b0c0ffee00000000000001"
                        + " description=Receipts and password resets"
                        + " [managed-by: mailgun-ip-pool-operator uid=<metadata.uid>]");
        assertThat(plan.out())
                .contains("Plan: 5 Mailgun calls, 0 waits, 0 conflicts, 0 problems.")
                .doesNotContain("link_domain", "add_ip", "remove_ip", "name=");
        assertThat(writes()).isEmpty();
    }

    @Test
    void aSubaccountImportsItsInheritedPoolAsObservedAndPlansNoCall() throws Exception {
        Path secret = dir.resolve("secret.yaml");
        Files.writeString(secret, """
        apiVersion: v1
        kind: Secret
        metadata: {name: storefront, namespace: shop}
        stringData:
          apiKey: %s
          baseUrl: %s
          subaccountId: 6a1b2c3d4e5f60718293a4b5
        """.formatted(KEY, emulator.url()));
        String[] account = {"--account-secret-file", secret.toString(), "--allowed-base-urls", emulator.url()};
        List<String> args = new ArrayList<>(List.of(account));
        args.addAll(List.of("-n", "shop", "--account-ref", "storefront"));

        Run imported = importWith(args.toArray(String[]::new));
        Run again = importWith(args.toArray(String[]::new));

        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(again.out()).as("deterministic").isEqualTo(imported.out());
        assertThat(imported.err())
                .contains("import: domain plain.example.org skipped: it is linked"
                        + " to no pool and holds no dedicated IP");
        assertThat(imported.out())
                .contains(
                        "managementPolicy: \"Observe\"",
                        "accountRef:\n    secretName: \"storefront\"",
                        "domain: \"shop.example.org\"",
                        "poolRef:\n    name: \"marketing\"")
                .doesNotContain("delegatedTo");
        Path manifests = dir.resolve("imported.yaml");
        Files.writeString(manifests, imported.out());

        Run plan = plan(manifests, account);

        assertThat(plan.exit()).as(plan.out() + plan.err()).isZero();
        assertThat(plan.out()).contains("Plan: 0 Mailgun calls, 0 waits, 0 conflicts, 0 problems.");
        assertThat(writes()).isEmpty();
    }

    @Test
    void onlyTheChosenPoolsAndDomains() {
        Run imported = importAccount(
                "--pool",
                "bulk",
                "--pool",
                "64b0c0ffee00000000000002",
                "--domain",
                "bulk.example.com",
                "--domain",
                "mail.example.com");

        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.out().split("\n---\n|^---\n")).hasSize(5);
        assertThat(imported.out())
                .contains(
                        "name: \"bulk\"",
                        "name: \"marketing\"",
                        "domain: \"bulk.example.com\"",
                        "domain: \"mail.example.com\"",
                        // its pool is not imported: the binding names the Mailgun pool instead
                        "poolId: \"64b0c0ffee00000000000001\"")
                .doesNotContain("transactional-eu");
    }

    @Test
    void noAccountIsAClearError() {
        Run imported = importWith();

        assertThat(imported.exit()).isEqualTo(1);
        assertThat(imported.err()).startsWith("import: no Mailgun account");
    }
}
