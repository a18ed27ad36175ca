package dev.ippools.mailgun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ippools.mailgun.account.AccountState;
import dev.ippools.mailgun.account.Credentials;
import dev.ippools.mailgun.account.MailgunAccounts;
import dev.ippools.mailgun.account.MailgunClients;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.MailgunClientOptions;
import dev.ippools.mailgun.client.http.OkHttpMailgunClient;
import dev.ippools.mailgun.emulator.AccountFixture;
import dev.ippools.mailgun.emulator.EmulatorConfig;
import dev.ippools.mailgun.emulator.JournalEntry;
import dev.ippools.mailgun.emulator.MailgunEmulator;
import dev.ippools.mailgun.execute.PlanExecutor;
import dev.ippools.mailgun.plan.MailgunStep;
import dev.ippools.mailgun.preview.ClusterPreview;
import dev.ippools.mailgun.preview.ManifestReader;
import dev.ippools.mailgun.preview.ManifestSet;
import dev.ippools.mailgun.preview.Preview;
import dev.ippools.mailgun.preview.PreviewReport;
import dev.ippools.mailgun.preview.ResourcePlan;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs the {@code plan} command in-process against an in-process emulator. */
class PlanCommandTest {

    private static final String KEY = "k";
    private static final Path SAMPLES = Path.of("config/samples");

    private MailgunEmulator emulator;

    @TempDir
    Path dir;

    @BeforeEach
    void startEmulator() {
        emulator = MailgunEmulator.start(EmulatorConfig.defaults()
                .withPort(0)
                .withFixture(AccountFixture.load(SAMPLES.resolve("emulator-fixture.yaml")))
                .withApiKey(KEY));
    }

    @AfterEach
    void stopEmulator() {
        emulator.close();
    }

    private record Run(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private Run plan(String... args) {
        return plan(Map.of(), MailgunClients.withDefaults(), args);
    }

    private Run plan(Map<String, String> env, Function<Credentials, MailgunClient> clients, String... args) {
        CommandLine commandLine = new CommandLine(new PlanCommand(env::get, clients));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Run planSamples(String... more) {
        List<String> args =
                new ArrayList<>(List.of("-f", SAMPLES.toString(), "--emulator-url", emulator.url(), "--api-key", KEY));
        args.addAll(List.of(more));
        return plan(args.toArray(String[]::new));
    }

    private List<JournalEntry> writes() {
        return emulator.journal().entries().stream()
                .filter(e -> !e.method().equals("GET"))
                .toList();
    }

    @Test
    void aWarmingIpWaitsForItsWarmupAndAStartIsACall() throws Exception {
        emulator.close();
        emulator = MailgunEmulator.start(
                EmulatorConfig.defaults().withPort(0).withApiKey(KEY).withFixture(AccountFixture.parse("""
            ips:
              - {ip: 198.51.100.10}
              - {ip: 198.51.100.14, warmup: true}
              - {ip: 198.51.100.20, warm: false}
            """)));
        Files.writeString(dir.resolve("pools.yaml"), """
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: warming}
        spec: {ips: [198.51.100.10, 198.51.100.14]}
        ---
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: starting}
        spec: {ips: [198.51.100.20], warmup: Start}
        """);

        Run run = plan("-f", dir.toString(), "--emulator-url", emulator.url(), "--api-key", KEY);

        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        List<String> lines = run.lines();
        assertThat(lines.subList(0, 2))
                .containsExactly(
                        "IpPool default/warming (Creating)", "  POST /v3/ip_pools name=warming ips=[198.51.100.10]");
        assertThat(lines.get(2))
                .startsWith("  wait: IP 198.51.100.14 waits for warm-up (stage 1, 0% of the stage sent, stage started");
        assertThat(lines.subList(4, 7))
                .containsExactly(
                        "IpPool default/starting (Creating)",
                        "  POST /v3/ip_pools name=starting ips=[]",
                        "  POST /v3/ip_warmups/198.51.100.20");
        assertThat(lines).contains("Plan: 3 Mailgun calls, 1 wait, 0 conflicts, 0 problems.");
        assertThat(writes()).isEmpty();
        assertThat(emulator.journal().entries("GET /v3/ip_warmups")).hasSize(1);
    }

    @Test
    void plansTheSamplesReadOnlyAndShowsNoChangesOnceMailgunMatches() {
        Run first = planSamples();

        assertThat(first.exit()).as(first.err()).isEqualTo(2);
        assertThat(first.lines())
                .containsExactly(
                        "IpPool default/transactional (Creating)",
                        "  POST /v3/ip_pools name=transactional ips=[198.51.100.10, 198.51.100.11]",
                        "",
                        "DomainPoolBinding default/mail-example-com (Updating)",
                        "  PATCH /v3/ip_pools/(pool transactional, created by this plan)"
                                + " link_domain=mail.example.com",
                        "",
                        "DomainPoolBinding default/news-example-com (Updating)",
                        "  DELETE /v3/domains/news.example.com/ips/ip_pool?ip=198.51.100.12",
                        "  POST /v3/domains/news.example.com/ips ip=198.51.100.13",
                        "",
                        "Plan: 4 Mailgun calls, 0 waits, 0 conflicts, 0 problems.");
        assertThat(first.err())
                .isEqualTo("plan: skipped config/samples/emulator-fixture.yaml#1: not a Kubernetes object (no"
                        + " apiVersion and kind)"
                        + System.lineSeparator());
        // one bulk read, then each binding's domain and the pool linked to it; never a write
        assertThat(emulator.journal().entries().stream().map(JournalEntry::endpoint))
                .containsExactly(
                        "GET /v3/ip_pools",
                        "GET /v3/ips",
                        "GET /v3/domains/{name}/ips",
                        "GET /v3/domains/{name}/ips",
                        "GET /v3/ip_pools/{pool_id}");

        String poolId = applyThePlan();
        emulator.settle();
        Run second = planSamples();

        assertThat(second.exit()).as(second.out() + second.err()).isZero();
        assertThat(second.lines())
                .containsExactly(
                        "IpPool default/transactional (Available, pool " + poolId + ")",
                        "  no changes",
                        "",
                        "DomainPoolBinding default/mail-example-com (Available, pool " + poolId + ")",
                        "  no changes",
                        "",
                        "DomainPoolBinding default/news-example-com (Available)",
                        "  no changes",
                        "",
                        "Plan: 0 Mailgun calls, 0 waits, 0 conflicts, 0 problems.",
                        "No changes. Mailgun already matches these manifests.");
    }

    /** Runs the planned steps through the operator's executor; returns the created pool's id. */
    private String applyThePlan() {
        try (MailgunAccounts accounts = new MailgunAccounts(
                MailgunClients.withDefaults(), Clock.systemUTC(), Duration.ofMinutes(1), Duration.ofHours(1))) {
            AccountState account = accounts.account(new Credentials(KEY, emulator.url(), null));
            ManifestSet manifests = new ManifestReader("default").read(List.of(SAMPLES));
            PreviewReport report =
                    ClusterPreview.planManifests(manifests, ClusterPreview.observeManifests(account, manifests), null);
            Map<String, String> created = new HashMap<>();
            PlanExecutor executor = new PlanExecutor();
            for (ResourcePlan resource : report.resources()) {
                List<MailgunStep> steps = resource.plan().steps().stream()
                        .map(s -> s instanceof MailgunStep.LinkDomainPool l && created.containsKey(l.poolId())
                                ? new MailgunStep.LinkDomainPool(l.domain(), created.get(l.poolId()))
                                : s)
                        .toList();
                PlanExecutor.Result result = executor.execute(
                        account.client(),
                        steps,
                        (step, earlier) -> Optional.empty(),
                        id -> created.put(Preview.placeholderPoolId(resource.key()), id));
                assertThat(result.succeeded())
                        .as(String.valueOf(result.failure()))
                        .isTrue();
            }
            assertThat(created).hasSize(1);
            return created.values().iterator().next();
        }
    }

    @Test
    void markdownOutputIsAPullRequestComment() {
        Run run = planSamples("--output", "markdown");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEqualTo("""
            ### Mailgun IP pool plan

            **1 to create, 2 to update, 0 to delete** · 4 Mailgun calls · 0 problems · changes \
            planned

            | Resource | Action | Mailgun calls | Result |
            |---|---|---|---|
            | IpPool `default/transactional` | create | `POST /v3/ip_pools name=transactional \
            ips=[198.51.100.10, 198.51.100.11]` | Creating |
            | DomainPoolBinding `default/mail-example-com` | update | `PATCH \
            /v3/ip_pools/(pool transactional, created by this plan) link_domain=mail.example.com` \
            | Updating |
            | DomainPoolBinding `default/news-example-com` | update | `DELETE \
            /v3/domains/news.example.com/ips/ip_pool?ip=198.51.100.12`<br>`POST \
            /v3/domains/news.example.com/ips ip=198.51.100.13` | Updating |

            #### Problems a merge would hit

            None.
            """);
    }

    @Test
    void jsonOutputIsOneDocumentForCiBots() throws IOException {
        Run run = planSamples("--output", "json");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).isEmpty();
        JsonNode doc = new ObjectMapper().readTree(run.out());
        assertThat(doc.at("/summary/resources").asInt()).isEqualTo(3);
        assertThat(doc.at("/summary/changed").asInt()).isEqualTo(3);
        assertThat(doc.at("/summary/calls").asInt()).isEqualTo(4);
        assertThat(doc.at("/summary/waits").asInt()).isZero();
        assertThat(doc.at("/summary/conflicts").asInt()).isZero();
        assertThat(doc.at("/summary/problems").asInt()).isZero();
        assertThat(doc.at("/summary/exitCode").asInt()).isEqualTo(2);

        JsonNode pool = doc.at("/resources/0");
        assertThat(pool.get("kind").asText()).isEqualTo("IpPool");
        assertThat(pool.get("namespace").asText()).isEqualTo("default");
        assertThat(pool.get("name").asText()).isEqualTo("transactional");
        assertThat(pool.get("source").asText()).isEqualTo("config/samples/mailgun.ippools.dev_v1alpha1_ippool.yaml#1");
        assertThat(pool.get("state").asText()).isEqualTo("Creating");
        assertThat(pool.get("poolId").isNull()).isTrue();
        assertThat(pool.at("/steps/0/kind").asText()).isEqualTo("CreatePool");
        assertThat(pool.at("/steps/0/describe").asText())
                .isEqualTo("POST /v3/ip_pools name=transactional ips=[198.51.100.10, 198.51.100.11]");
        for (String list : List.of("waits", "conflicts", "problems", "notes")) {
            assertThat(pool.get(list).isArray()).isTrue();
            assertThat(pool.get(list)).isEmpty();
        }

        JsonNode mail = doc.at("/resources/1");
        assertThat(mail.get("kind").asText()).isEqualTo("DomainPoolBinding");
        assertThat(mail.get("name").asText()).isEqualTo("mail-example-com");
        assertThat(mail.at("/steps/0/kind").asText()).isEqualTo("LinkDomainPool");
        assertThat(mail.at("/steps/0/describe").asText())
                .isEqualTo("PATCH /v3/ip_pools/(pool transactional, created by this plan)"
                        + " link_domain=mail.example.com");
        JsonNode news = doc.at("/resources/2");
        assertThat(news.get("steps").findValuesAsText("kind")).containsExactly("UnlinkDomainPool", "AssignDomainIp");

        assertThat(doc.get("skipped").findValuesAsText("source"))
                .containsExactly("config/samples/emulator-fixture.yaml#1", "config/samples/kustomization.yaml#1");
    }

    @Test
    void invalidManifestsReportProblemsAndExitOne() throws IOException {
        Path file = write("pools.yaml", """
            apiVersion: mailgun.ippools.dev/v1alpha1
            kind: IpPool
            metadata: {name: broken}
            spec:
              ips: [198.51.100.300, 192.0.2.1]
            ---
            apiVersion: mailgun.ippools.dev/v1alpha1
            kind: IpPool
            metadata: {name: foreign-ip}
            spec:
              ips: [192.0.2.1]
            ---
            apiVersion: mailgun.ippools.dev/v1alpha1
            kind: DomainPoolBinding
            metadata: {name: both, namespace: team-a}
            spec:
              domain: alerts.example.com
              poolRef: {name: broken}
              ips: [198.51.100.12]
            ---
            apiVersion: mailgun.ippools.dev/v1alpha1
            kind: IpPool
            metadata: {name: broken}
            spec:
              ips: [198.51.100.12]
            ---
            apiVersion: mailgun.ippools.dev/v1beta1
            kind: IpPool
            metadata: {name: future}
            ---
            apiVersion: mailgun.ippools.dev/v1alpha1
            kind: IpPool
            metadata: {name: typed}
            spec:
              ips: not-a-list
            """);

        Run run = plan("-f", file.toString(), "--emulator-url", emulator.url(), "--api-key", KEY);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.lines())
                .containsExactly(
                        "IpPool default/broken (Invalid, " + file + "#1)",
                        "  invalid spec.ips: \"198.51.100.300\" is not a valid IPv4 or IPv6 address",
                        "",
                        "IpPool default/foreign-ip (Invalid, " + file + "#2)",
                        "  invalid spec.ips: IP 192.0.2.1 is not an IP of this Mailgun account",
                        "",
                        "IpPool default/broken (Invalid, " + file + "#4)",
                        "  invalid: IpPool default/broken is defined twice; the first one is in " + file + "#1",
                        "",
                        "IpPool default/future (Invalid, " + file + "#5)",
                        "  invalid apiVersion: mailgun.ippools.dev/v1beta1 is not served by this operator;"
                                + " use mailgun.ippools.dev/v1alpha1",
                        "",
                        "IpPool default/typed (Invalid, " + file + "#6)",
                        "  invalid: cannot be read: spec.ips: Cannot construct instance of"
                                + " `java.util.ArrayList` (although at least one Creator exists): no"
                                + " String-argument constructor/factory method to deserialize from String value"
                                + " ('not-a-list')",
                        "",
                        "DomainPoolBinding team-a/both (Invalid, " + file + "#3)",
                        "  invalid spec: set exactly one of spec.poolRef (an IpPool), spec.poolId (a Mailgun"
                                + " pool id) or spec.ips (explicit IPs)",
                        "",
                        "Plan: 0 Mailgun calls, 0 waits, 0 conflicts, 6 problems.",
                        "The operator would not make Mailgun match these manifests: fix the problems and"
                                + " conflicts above.");
        assertThat(writes()).isEmpty();
    }

    @Test
    void claimsAreDecidedInManifestOrderAndBindingsWaitForPoolsThatCannotBeReady() throws IOException {
        Path file = write("claims.yaml", """
            apiVersion: mailgun.ippools.dev/v1alpha1
            kind: IpPool
            metadata: {name: zeta}
            spec:
              ips: [198.51.100.12]
            ---
            apiVersion: mailgun.ippools.dev/v1alpha1
            kind: IpPool
            metadata: {name: alpha}
            spec:
              ips: [198.51.100.12, 198.51.100.13]
            ---
            apiVersion: mailgun.ippools.dev/v1alpha1
            kind: IpPool
            metadata: {name: empty}
            ---
            apiVersion: mailgun.ippools.dev/v1alpha1
            kind: DomainPoolBinding
            metadata: {name: alerts}
            spec:
              domain: alerts.example.com
              poolRef: {name: empty}
            """);

        Run run = plan("-f", file.toString(), "--emulator-url", emulator.url(), "--api-key", KEY);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.lines())
                .containsExactly(
                        "IpPool default/zeta (Creating)",
                        "  POST /v3/ip_pools name=zeta ips=[198.51.100.12]",
                        "",
                        "IpPool default/alpha (Creating)",
                        "  POST /v3/ip_pools name=alpha ips=[198.51.100.13]",
                        "  conflict: IP 198.51.100.12 is also wanted by IpPool default/zeta, which claimed it"
                                + " first",
                        "",
                        "IpPool default/empty (Creating)",
                        "  POST /v3/ip_pools name=empty ips=[]",
                        "",
                        "DomainPoolBinding default/alerts (Waiting)",
                        "  wait for default/empty: IpPool default/empty has no IPs yet; Mailgun only links a"
                                + " pool that holds IPs",
                        "",
                        "Plan: 3 Mailgun calls, 1 wait, 1 conflict, 0 problems.",
                        "The operator would not make Mailgun match these manifests: fix the problems and"
                                + " conflicts above.");
    }

    @Test
    void aPoolTheOperatorCreatedIsMatchedByNameAndMarker() {
        emulator.close();
        emulator = MailgunEmulator.start(
                EmulatorConfig.defaults().withPort(0).withApiKey(KEY).withFixture(AccountFixture.parse("""
ips:
  - {ip: 198.51.100.10}
  - {ip: 198.51.100.11}
  - {ip: 198.51.100.12}
  - {ip: 198.51.100.13}
pools:
  - id: 65aa00000000000000000001
    name: transactional
    description: "Old text [managed-by: mailgun-ip-pool-operator uid=0c5f1d2e-7a9b]"
    ips: [198.51.100.10]
domains:
  - name: mail.example.com
    pool: transactional
  - name: news.example.com
    ips: [198.51.100.12, 198.51.100.13]
""")));

        Run run = planSamples();

        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.lines())
                .containsExactly(
                        "IpPool default/transactional (Updating, pool 65aa00000000000000000001)",
                        "  PATCH /v3/ip_pools/65aa00000000000000000001 description=Receipts and password"
                                + " resets [managed-by: mailgun-ip-pool-operator uid=0c5f1d2e-7a9b]",
                        "  PUT /v3/ip_pools/65aa00000000000000000001/ips/198.51.100.11",
                        "",
                        "DomainPoolBinding default/mail-example-com (Available, pool 65aa00000000000000000001)",
                        "  note: the pool changes above move domain mail.example.com to the pool's IPs"
                                + " [198.51.100.10, 198.51.100.11]",
                        "",
                        "DomainPoolBinding default/news-example-com (Available)",
                        "  no changes",
                        "",
                        "Plan: 2 Mailgun calls, 0 waits, 0 conflicts, 0 problems.");
    }

    @Test
    void aWrongKeyFailsWithOneLineThatNeverShowsTheKey() {
        String wrongKey = "wrong-secret-key-4711";

        Run run = plan("-f", SAMPLES.toString(), "--emulator-url", emulator.url(), "--api-key", wrongKey);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines().toList())
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .startsWith("plan: cannot read the Mailgun account at " + emulator.url() + ": ")
                        .contains("Mailgun rejected the API key (401")
                        .endsWith("check the API key and the region (a key works only in its own" + " region)"));
        assertThat(run.out() + run.err()).doesNotContain(wrongKey);
    }

    @Test
    void anUnreachableApiFailsWithOneLine() {
        Function<Credentials, MailgunClient> noRetries = c -> OkHttpMailgunClient.create(MailgunClientOptions.builder()
                .baseUrl(c.baseUrl())
                .apiKey(c.apiKey())
                .maxRetries(0)
                .build());
        String url = emulator.url();
        emulator.close();

        Run run = plan(Map.of(), noRetries, "-f", SAMPLES.toString(), "--emulator-url", url, "--api-key", KEY);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines().toList())
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .startsWith("plan: cannot read the Mailgun account at " + url + ": ")
                        .contains("GET /v3/ip_pools could not reach Mailgun"));
    }

    @Test
    void foldersSkipOtherYamlAndHiddenFolders() throws IOException {
        Files.copy(SAMPLES.resolve("emulator-fixture.yaml"), dir.resolve("fixture.yaml"));
        write("kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n");
        write("notes.txt", "not yaml: [");
        write(".git/pool.yaml", pool("hidden", "198.51.100.13"));
        write(
                "apps/config.yml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n# only a comment\n---\n"
                        + pool("sub", "198.51.100.12"));

        Run run = plan("-f", dir.toString(), "--emulator-url", emulator.url(), "--api-key", KEY);

        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.lines())
                .containsExactly(
                        "IpPool default/sub (Creating)",
                        "  POST /v3/ip_pools name=sub ips=[198.51.100.12]",
                        "",
                        "Plan: 1 Mailgun call, 0 waits, 0 conflicts, 0 problems.");
        assertThat(run.err())
                .isEqualTo("plan: skipped "
                        + dir.resolve("fixture.yaml")
                        + "#1: not a Kubernetes object (no apiVersion and kind)"
                        + System.lineSeparator());
    }

    @Test
    void theAccountComesFromASecretFileOrAnEnvironmentVariable() throws IOException {
        Path data = write(
                "secret.yaml",
                "apiVersion: v1\nkind: Secret\nmetadata: {name: mailgun}\ndata:\n  apiKey: "
                        + base64(KEY)
                        + "\n  baseUrl: "
                        + base64(emulator.url())
                        + "\n");
        Path stringData = write(
                "string-secret.yaml",
                "apiVersion: v1\nkind: Secret\nmetadata: {name: mailgun}\nstringData:\n  apiKey: "
                        + KEY
                        + "\n  baseUrl: "
                        + emulator.url()
                        + "\n");
        Path noKey = write(
                "no-key.yaml",
                "apiVersion: v1\nkind: Secret\nmetadata: {name: mailgun, namespace: ops}\n"
                        + "stringData: {region: eu}\n");

        String allowEmulator = "--allowed-base-urls=" + emulator.url();
        assertThat(plan("-f", SAMPLES.toString(), "--account-secret-file", data.toString(), allowEmulator)
                        .exit())
                .isEqualTo(2);
        assertThat(plan("-f", SAMPLES.toString(), "--account-secret-file", stringData.toString(), allowEmulator)
                        .exit())
                .isEqualTo(2);
        // by default only Mailgun's own hosts: the emulator's URL is refused, and not echoed
        Run notAllowed = plan("-f", SAMPLES.toString(), "--account-secret-file", data.toString());
        assertThat(notAllowed.exit()).isEqualTo(1);
        assertThat(notAllowed.err())
                .contains("Secret default/mailgun: key baseUrl names a Mailgun API base URL outside")
                .doesNotContain(emulator.url());
        Run fromEnv = plan(
                Map.of("MG_KEY", KEY),
                MailgunClients.withDefaults(),
                "-f",
                SAMPLES.toString(),
                "-n",
                "team-a",
                "--api-key-env",
                "MG_KEY",
                "--base-url",
                emulator.url(),
                allowEmulator);
        assertThat(fromEnv.exit()).isEqualTo(2);
        assertThat(fromEnv.lines()).first().isEqualTo("IpPool team-a/transactional (Creating)");

        Run missing = plan("-f", SAMPLES.toString(), "--account-secret-file", noKey.toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err())
                .isEqualTo("plan: " + noKey + ": Secret ops/mailgun has no key apiKey" + System.lineSeparator());
        Run unset = plan("-f", SAMPLES.toString(), "--api-key-env", "MG_KEY", "--region", "eu");
        assertThat(unset.exit()).isEqualTo(1);
        assertThat(unset.err()).contains("environment variable MG_KEY is not set or empty");
        assertThat(writes()).isEmpty();
    }

    @Test
    void usageErrorsExitOneNotTwo() throws IOException {
        Run noAccount = plan("-f", SAMPLES.toString());
        assertThat(noAccount.exit()).isEqualTo(1);
        assertThat(noAccount.err()).startsWith("plan: no Mailgun account: give --account-secret-file");

        Run twoAccounts = plan(
                "-f", SAMPLES.toString(), "--account-secret-file", "secret.yaml", "--emulator-url", emulator.url());
        assertThat(twoAccounts.exit()).isEqualTo(1);
        assertThat(twoAccounts.err()).contains("mutually exclusive");

        Run missingFile = plan("-f", "no/such/folder", "--emulator-url", emulator.url(), "--api-key", KEY);
        assertThat(missingFile.exit()).isEqualTo(1);
        assertThat(missingFile.err())
                .isEqualTo("plan: no such file or folder: no/such/folder" + System.lineSeparator());

        Run badYaml = plan(
                "-f",
                write("bad.yaml", "kind: IpPool\nspec: [unclosed\n").toString(),
                "--emulator-url",
                emulator.url(),
                "--api-key",
                KEY);
        assertThat(badYaml.exit()).isEqualTo(1);
        // one line, as the README promises, not the parser's excerpt of the file
        assertThat(badYaml.err())
                .isEqualTo("plan: "
                        + dir.resolve("bad.yaml")
                        + ": not valid YAML (line 2):"
                        + " expected ',' or ']', but got <stream end> (while parsing a flow sequence)"
                        + System.lineSeparator());

        Run badOutput = planSamples("--output", "xml");
        assertThat(badOutput.exit()).isEqualTo(1);
        assertThat(badOutput.err()).contains("'xml' is not an output format; use text, json or markdown");
        assertThat(emulator.journal().entries()).isEmpty();
    }

    @Test
    void withoutManifestsNothingIsRead() throws IOException {
        write("kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n");

        Run run = plan("-f", dir.toString(), "--emulator-url", emulator.url(), "--api-key", KEY);

        assertThat(run.exit()).isZero();
        assertThat(run.lines())
                .containsExactly(
                        "No IpPool or DomainPoolBinding manifests found.",
                        "",
                        "Plan: 0 Mailgun calls, 0 waits, 0 conflicts, 0 problems.",
                        "No changes. Mailgun already matches these manifests.");
        assertThat(emulator.journal().entries()).isEmpty();
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private static String pool(String name, String ip) {
        return "apiVersion: mailgun.ippools.dev/v1alpha1\nkind: IpPool\nmetadata: {name: "
                + name
                + "}\nspec:\n  ips: ["
                + ip
                + "]\n";
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
