package dev.ippools.mailgun.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ippools.mailgun.Main;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.emulator.JournalEntry;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Design §9 on a real API server, with the operator as its own process at {@code trace}, acting as
 * a service account with the kustomize RBAC: namespace B tries every takeover of namespace A's
 * pool and every misuse of the account settings. Each is refused, A's pool is byte-for-byte the
 * same in Mailgun, and no Secret value nor the service-account token shows up in status, Events or
 * the operator's output.
 */
@WithApiServer
class TenancyE2E {

    static final String KEY = EmulatedAccount.API_KEY;
    static final String BAD_REGION = "region-secret-7f3a";
    static final String LEAK_PATH = "leak-9b2c";
    static final String UNRELATED = "unrelated-secret-4d1e";
    static final String OWNER_IP = "198.51.100.10";

    static ApiServer api;

    @Test
    void aSecondNamespaceCannotTakeOverOrMisuseAnything() throws Exception {
        KubernetesClient admin = api.admin;
        String ops = api.newNamespace("ops");
        String a = api.newNamespace("team-a");
        String b = api.newNamespace("team-b");
        List<String> output = new CopyOnWriteArrayList<>();
        AtomicInteger elsewhereConnections = new AtomicInteger();
        try (EmulatedAccount mailgun = EmulatedAccount.emulatorFor(admin, ops);
                ServerSocket elsewhere = listen(elsewhereConnections)) {
            secret(b, "own", Map.of("apiKey", KEY, "baseUrl", mailgun.emulator.url()));
            secret(b, "bad-region", Map.of("apiKey", KEY, "region", BAD_REGION));
            secret(
                    b,
                    "elsewhere",
                    Map.of("apiKey", KEY, "baseUrl", "http://127.0.0.1:" + elsewhere.getLocalPort() + "/" + LEAK_PATH));
            secret(b, "unrelated", Map.of("password", UNRELATED));
            String token = serviceAccountToken(ops);
            Process operator = startOperator(ops, a, mailgun.emulator.url(), token, output);
            try {
                // the owner, on the default account its namespace may use
                apply(a, """
            apiVersion: mailgun.ippools.dev/v1alpha1
            kind: IpPool
            metadata: {name: owner}
            spec: {ips: [%s]}
            """.formatted(OWNER_IP), IpPool.class);
                IpPool owner = mailgun.awaitReady(admin, IpPool.class, a, "owner");
                String poolId = owner.getStatus().poolId();
                String before = poolJson(mailgun, poolId);
                int journalMark = mailgun.emulator.journal().size();

                apply(b, """
            apiVersion: mailgun.ippools.dev/v1alpha1
            kind: IpPool
            metadata: {name: adopt}
            spec: {poolId: %s, ips: [%s], accountRef: {secretName: own}}
            """.formatted(poolId, OWNER_IP), IpPool.class);
                apply(b, """
            apiVersion: mailgun.ippools.dev/v1alpha1
            kind: IpPool
            metadata:
              name: annotated
              annotations: {"%s": "%s"}
            spec: {ips: [%s], accountRef: {secretName: own}}
            """.formatted(ApiConstants.POOL_ID_ANNOTATION, poolId, OWNER_IP), IpPool.class);
                apply(b, """
            apiVersion: mailgun.ippools.dev/v1alpha1
            kind: DomainPoolBinding
            metadata: {name: bind}
            spec: {domain: alerts.example.com, poolId: %s, accountRef: {secretName: own}}
            """.formatted(poolId), DomainPoolBinding.class);
                apply(b, """
            apiVersion: mailgun.ippools.dev/v1alpha1
            kind: IpPool
            metadata: {name: steal-ip}
            spec: {ips: [%s], accountRef: {secretName: own}}
            """.formatted(OWNER_IP), IpPool.class);
                apply(b, """
            apiVersion: mailgun.ippools.dev/v1alpha1
            kind: IpPool
            metadata: {name: default-account}
            spec: {ips: [198.51.100.11]}
            """, IpPool.class);
                apply(b, """
            apiVersion: mailgun.ippools.dev/v1alpha1
            kind: IpPool
            metadata: {name: bad-region}
            spec: {ips: [198.51.100.11], accountRef: {secretName: bad-region}}
            """, IpPool.class);
                apply(b, """
            apiVersion: mailgun.ippools.dev/v1alpha1
            kind: IpPool
            metadata: {name: elsewhere}
            spec: {ips: [198.51.100.11], accountRef: {secretName: elsewhere}}
            """, IpPool.class);

                mailgun.awaitReady(admin, IpPool.class, b, "adopt", "False/Conflict");
                mailgun.awaitReady(admin, IpPool.class, b, "annotated", "False/Conflict");
                mailgun.awaitReady(admin, DomainPoolBinding.class, b, "bind", "False/Conflict");
                mailgun.awaitReady(admin, IpPool.class, b, "steal-ip", "False/Conflict");
                mailgun.awaitReady(admin, IpPool.class, b, "default-account", "False/AccountNotAllowed");
                mailgun.awaitReady(admin, IpPool.class, b, "bad-region", "False/Invalid");
                mailgun.awaitReady(admin, IpPool.class, b, "elsewhere", "False/Invalid");
                assertThat(message(b, "adopt")).contains("belongs to IpPool " + a + "/owner");
                assertThat(message(b, "bad-region")).contains("key region must be us or eu");

                // deleting the intruders never deletes what they pointed at
                for (String name : List.of("adopt", "annotated", "default-account")) {
                    admin.resources(IpPool.class).inNamespace(b).withName(name).delete();
                    mailgun.awaitGone(admin, IpPool.class, b, name);
                }
                admin.resources(DomainPoolBinding.class)
                        .inNamespace(b)
                        .withName("bind")
                        .delete();
                mailgun.awaitGone(admin, DomainPoolBinding.class, b, "bind");

                assertThat(poolJson(mailgun, poolId)).isEqualTo(before);
                List<JournalEntry> writes = mailgun.emulator.journal().entries().stream()
                        .skip(journalMark)
                        .filter(e -> !e.method().equals("GET"))
                        .filter(e -> e.path().contains(poolId) || e.path().contains("alerts.example.com"))
                        .toList();
                assertThat(writes).as("writes touching the owner's pool").isEmpty();
                assertThat(elsewhereConnections.get())
                        .as("connections to the refused host")
                        .isZero();
                assertThat(mailgun.emulator.state().linkedPool("alerts.example.com"))
                        .isEmpty();

                List<String> secrets = List.of(KEY, BAD_REGION, LEAK_PATH, UNRELATED, token);
                String statuses = dump(admin.resources(IpPool.class)
                                .inAnyNamespace()
                                .list()
                                .getItems())
                        + dump(admin.resources(DomainPoolBinding.class)
                                .inAnyNamespace()
                                .list()
                                .getItems());
                String events = dump(admin.v1().events().inAnyNamespace().list().getItems());
                assertThat(events).as("the operator recorded Events").contains(b);
                for (String value : secrets) {
                    assertThat(statuses).as("status").doesNotContain(value);
                    assertThat(events).as("Events").doesNotContain(value);
                }
            } finally {
                stop(operator);
            }
            String all = String.join("\n", output);
            assertThat(output).as("the operator logged at trace").anyMatch(l -> l.contains(" TRACE "));
            for (String value : List.of(KEY, BAD_REGION, LEAK_PATH, UNRELATED, token)) {
                assertThat(all).as("operator output").doesNotContain(value);
            }
        }
    }

    private static String message(String namespace, String name) {
        return EmulatedAccount.get(api.admin, IpPool.class, namespace, name).getStatus().conditions().stream()
                .filter(c -> c.getType().equals("Ready"))
                .findFirst()
                .orElseThrow()
                .getMessage();
    }

    private static String dump(List<? extends HasMetadata> objects) {
        return Serialization.asJson(objects);
    }

    private static <T extends HasMetadata> void apply(String ns, String yaml, Class<T> type) {
        T resource = Serialization.unmarshal(yaml, type);
        api.admin.resource(resource).inNamespace(ns).create();
    }

    private static void secret(String ns, String name, Map<String, String> data) {
        api.admin
                .secrets()
                .inNamespace(ns)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(ns)
                        .endMetadata()
                        .withStringData(data)
                        .build())
                .create();
    }

    /** A service account with the kustomize RBAC (config/rbac/role.yaml) and a token for it. */
    private static String serviceAccountToken(String ns) throws IOException {
        KubernetesClient admin = api.admin;
        admin.serviceAccounts()
                .inNamespace(ns)
                .resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName("operator")
                        .endMetadata()
                        .build())
                .create();
        ClusterRole role;
        try (InputStream in = Files.newInputStream(Path.of("config/rbac/role.yaml"))) {
            role = Serialization.unmarshal(in, ClusterRole.class);
        }
        role.getMetadata().setName(ns + "-manager");
        admin.resource(role).create();
        admin.resource(new ClusterRoleBindingBuilder()
                        .withNewMetadata()
                        .withName(ns + "-manager")
                        .endMetadata()
                        .withNewRoleRef()
                        .withApiGroup("rbac.authorization.k8s.io")
                        .withKind("ClusterRole")
                        .withName(ns + "-manager")
                        .endRoleRef()
                        .addNewSubject()
                        .withKind("ServiceAccount")
                        .withName("operator")
                        .withNamespace(ns)
                        .endSubject()
                        .build())
                .create();
        return admin.serviceAccounts()
                .inNamespace(ns)
                .withName("operator")
                .tokenRequest(new TokenRequestBuilder()
                        .withNewSpec()
                        .withExpirationSeconds(3600L)
                        .endSpec()
                        .build())
                .getStatus()
                .getToken();
    }

    /** {@code run} in a JVM of its own, at trace, with only the environment the test sets. */
    private static Process startOperator(
            String ops, String allowed, String emulatorUrl, String token, List<String> output) throws IOException {
        Path kubeconfig = Files.createTempFile("tenancy-kubeconfig", ".yaml");
        Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: e2e
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        users:
        - name: operator
          user: {token: "%s"}
        contexts:
        - name: e2e
          context: {cluster: e2e, user: operator, namespace: %s}
        current-context: e2e
        """.formatted(api.admin.getMasterUrl(), token, ops));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder =
                new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName());
        builder.environment().keySet().removeIf(k -> !k.equals("PATH"));
        builder.environment()
                .putAll(Map.ofEntries(
                        Map.entry("KUBECONFIG", kubeconfig.toString()),
                        Map.entry("POD_NAMESPACE", ops),
                        Map.entry("DEFAULT_ACCOUNT_SECRET", EmulatedAccount.SECRET),
                        Map.entry("DEFAULT_ACCOUNT_NAMESPACES", allowed),
                        Map.entry("MAILGUN_ALLOWED_BASE_URLS", emulatorUrl),
                        Map.entry("POLL_INTERVAL", "1s"),
                        Map.entry("RELINK_POLL_INTERVAL", "500ms"),
                        Map.entry("HTTP_PORT", "0"),
                        Map.entry("LOG_FORMAT", "text"),
                        Map.entry("LOG_LEVEL", "trace"),
                        Map.entry("LEADER_ELECTION", "false")));
        builder.redirectErrorStream(true);
        Process process = builder.start();
        Thread pump = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = r.readLine(); line != null; line = r.readLine()) {
                            output.add(line);
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                "operator-output");
        pump.setDaemon(true);
        pump.start();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> output.stream().anyMatch(l -> l.contains("Operator started")) || !process.isAlive());
        assertThat(process.isAlive()).as(String.join("\n", output)).isTrue();
        return process;
    }

    private static void stop(Process process) throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Thread.sleep(500);
    }

    /** A local port standing for an in-cluster service; counts the connections it gets. */
    private static ServerSocket listen(AtomicInteger connections) throws IOException {
        ServerSocket socket = new ServerSocket(0);
        Thread acceptor = new Thread(
                () -> {
                    while (!socket.isClosed()) {
                        try (Socket ignored = socket.accept()) {
                            connections.incrementAndGet();
                        } catch (IOException closed) {
                            return;
                        }
                    }
                },
                "elsewhere");
        acceptor.setDaemon(true);
        acceptor.start();
        return socket;
    }

    /** The pool exactly as Mailgun (the emulator) answers for it. */
    private static String poolJson(EmulatedAccount mailgun, String poolId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(mailgun.emulator.url() + "/v3/ip_pools/" + poolId))
                .header(
                        "Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(("api:" + KEY).getBytes(StandardCharsets.UTF_8)))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
