package dev.ippools.mailgun.cli;

import static org.awaitility.Awaitility.await;

import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ConditionTypes;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.emulator.AccountFixture;
import dev.ippools.mailgun.emulator.EmulatorConfig;
import dev.ippools.mailgun.emulator.MailgunEmulator;
import dev.ippools.mailgun.status.Conditions;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The fabric8 mock API server (CRUD mode) with the CRDs and a Mailgun account Secret, and the
 * Mailgun emulator behind it: what an operator process needs to reconcile.
 */
final class TestCluster implements AutoCloseable {

    static final String NS = "default";
    static final String API_KEY = "key-run-command-test-0123456789";
    static final String SECRET = "mailgun";

    final KubernetesClient client;
    final MailgunEmulator emulator;
    private final HttpClient http = HttpClient.newHttpClient();

    TestCluster(KubernetesClient client) {
        this.client = client;
        this.emulator = MailgunEmulator.start(EmulatorConfig.defaults()
                .withPort(0)
                .withFixture(AccountFixture.load(Path.of("config/samples/emulator-fixture.yaml")))
                .withApiKey(API_KEY));
        installCrds();
        client.secrets()
                .inNamespace(NS)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(SECRET)
                        .withNamespace(NS)
                        .endMetadata()
                        .addToStringData("apiKey", API_KEY)
                        .addToStringData("baseUrl", emulator.url())
                        .build())
                .create();
    }

    private void installCrds() {
        try (Stream<Path> files = Files.list(Path.of("crds"))) {
            for (Path f : files.filter(p -> p.toString().endsWith("-v1.yml")).toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    CustomResourceDefinition crd = client.apiextensions()
                            .v1()
                            .customResourceDefinitions()
                            .load(in)
                            .item();
                    client.apiextensions()
                            .v1()
                            .customResourceDefinitions()
                            .resource(crd)
                            .create();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fast intervals, a free loopback port, no server-side apply (the mock lacks it). */
    OperatorSettings settings(OperatorProcess.Lease lease) {
        return new OperatorSettings(
                null,
                Set.of(),
                NS + "/" + SECRET,
                Set.of("*"),
                List.of(emulator.url()),
                NS,
                Duration.ofMillis(500),
                Duration.ofMillis(200),
                50,
                50,
                0,
                InetAddress.getLoopbackAddress().getHostAddress(),
                Logging.Format.TEXT,
                "info",
                lease != null,
                lease == null ? "" : lease.namespace(),
                lease == null ? "" : lease.name(),
                lease == null ? "" : lease.identity(),
                Duration.ofSeconds(5),
                Duration.ofSeconds(3),
                false,
                false,
                Duration.ofMinutes(5),
                "");
    }

    void createPool(String name, String... ips) {
        IpPool pool = Serialization.unmarshal("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: %s, namespace: %s}
        spec: {ips: [%s]}
        """.formatted(name, NS, String.join(", ", ips)), IpPool.class);
        client.resource(pool).create();
    }

    /** {@code status/reason} of the pool's Ready condition, e.g. {@code True/Available}. */
    String ready(String pool) {
        IpPool p = client.resources(IpPool.class).inNamespace(NS).withName(pool).get();
        if (p == null || p.getStatus() == null || p.getStatus().conditions() == null) {
            return "none";
        }
        return Conditions.find(p.getStatus().conditions(), ConditionTypes.READY)
                .map(c -> c.getStatus() + "/" + c.getReason())
                .orElse("none");
    }

    void awaitReady(String pool) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> ready(pool), "True/Available"::equals);
    }

    HttpResponse<String> get(int port, String path) {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        emulator.close();
    }
}
