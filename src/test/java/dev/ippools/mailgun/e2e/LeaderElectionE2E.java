package dev.ippools.mailgun.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.cli.RunCommand;
import dev.ippools.mailgun.local.BundledManifests;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * Two replicas of the {@code run} command (in this JVM, each with its own client) share one Lease
 * on a real API server: only the holder reconciles, and when it stops the other takes over.
 */
@WithApiServer
class LeaderElectionE2E {

    static final String LEASE = "mailgun-ip-pool-operator";
    static final String POOL_CREATES = "mailgun_api_calls_total{endpoint=\"/v3/ip_pools\"," + "method=\"POST\"";

    static ApiServer api;
    // the replicas are processes of their own: the extension only makes the namespace and account
    @RegisterExtension
    final EmulatedOperator setup = EmulatedOperator.notStarted("leader");

    String ns;
    EmulatedAccount mailgun;
    final List<Replica> replicas = new ArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void names() {
        ns = setup.ns();
        mailgun = setup.mailgun();
    }

    // before the extension closes the account
    @AfterEach
    void stopReplicas() {
        replicas.forEach(Replica::stop);
    }

    /** One {@code run} process, as the chart's Deployment starts it, on its own thread. */
    record Replica(
            String identity, int httpPort, RunCommand command, CompletableFuture<Integer> exit, StringWriter err) {

        int stop() {
            command.stop();
            try {
                return exit.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError(identity + " did not stop; stderr: " + err, e);
            }
        }
    }

    private Replica start(String identity) {
        int port = freePort();
        RunCommand command = new RunCommand();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command).setErr(new PrintWriter(err, true));
        String[] args = {
            "--kubeconfig",
            api.kubeconfig.toString(),
            "--namespaces",
            ns,
            "--operator-namespace",
            ns,
            "--default-account-secret",
            EmulatedAccount.SECRET,
            "--allowed-base-urls",
            mailgun.emulator.url(),
            "--leader-election",
            "true",
            "--lease-name",
            LEASE,
            "--lease-namespace",
            ns,
            "--lease-identity",
            identity,
            "--http-port",
            Integer.toString(port),
            "--poll-interval",
            "1s",
            "--relink-poll-interval",
            "200ms",
            "--shutdown-timeout",
            "5s",
            "--server-side-apply",
            "true",
            "--log-level",
            "warn"
        };
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute(args));
        Replica replica = new Replica(identity, port, command, exit, err);
        replicas.add(replica);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> exit.isDone() || status(replica, "/readyz") == 200);
        assertThat(exit).as("%s exited early; stderr: %s", identity, err).isNotDone();
        return replica;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> get(Replica replica, String path) throws IOException {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.httpPort() + path))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private int status(Replica replica, String path) {
        try {
            return get(replica, path).statusCode();
        } catch (IOException notYetListening) {
            return -1;
        }
    }

    private String metrics(Replica replica) throws IOException {
        return get(replica, "/metrics").body();
    }

    private String holder() {
        Lease lease =
                api.admin.resources(Lease.class).inNamespace(ns).withName(LEASE).get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    private void createPool(String name, String ip) {
        api.admin
                .resource(BundledManifests.parse("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: %s}
        spec: {ips: [%s]}
        """.formatted(name, ip)).get(0))
                .inNamespace(ns)
                .create();
    }

    @Test
    void onlyTheLeaseHolderReconcilesAndTheStandbyTakesOverWhenItStops() throws IOException {
        Replica a = start("replica-a");
        await().atMost(Duration.ofSeconds(30)).until(this::holder, "replica-a"::equals);
        Replica b = start("replica-b");

        createPool("first", "198.51.100.10");
        mailgun.awaitReady(api.admin, IpPool.class, ns, "first");

        assertThat(holder()).isEqualTo("replica-a");
        assertThat(metrics(a)).contains("mailgun_operator_leader 1").contains(POOL_CREATES);
        // The standby is up (ready, serving metrics) and has not reconciled anything.
        assertThat(metrics(b))
                .contains("mailgun_operator_leader 0")
                .doesNotContain("mailgun_api_calls_total{")
                .doesNotContain("operator_sdk_reconciliations_started_total{");

        assertThat(a.stop()).isZero();

        // A released the Lease on its way out: B need not wait for it to expire.
        await().atMost(Duration.ofSeconds(15)).until(this::holder, "replica-b"::equals);
        createPool("second", "198.51.100.12");
        IpPool second = mailgun.awaitReady(api.admin, IpPool.class, ns, "second");
        assertThat(metrics(b)).contains("mailgun_operator_leader 1").contains(POOL_CREATES);
        assertThat(mailgun.emulator.state().pool(second.getStatus().poolId())).isPresent();
        assertThat(mailgun.calls("POST /v3/ip_pools")).isEqualTo(2);
    }

    // The gap: a leader learned of a stolen Lease only at its next renew (about 2 s), and
    // sent a pool create meanwhile. Now the Lease watch closes the write gate within milliseconds.
    @Test
    void aLeaseStolenRightAfterARenewStopsEveryWriteAtOnce() throws Exception {
        Replica a = start("replica-a");
        await().atMost(Duration.ofSeconds(30)).until(this::holder, "replica-a"::equals);
        createPool("before", "198.51.100.10");
        mailgun.awaitReady(api.admin, IpPool.class, ns, "before");

        // Right after a renew, so the elector itself would not notice for a whole retry period.
        var renewed = renewTime();
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> !renewed.equals(renewTime()));
        api.admin.resources(Lease.class).inNamespace(ns).withName(LEASE).edit(l -> {
            l.getSpec().setHolderIdentity("thief");
            l.getSpec().setLeaseDurationSeconds(3600);
            return l;
        });
        Instant stolen = Instant.now();
        createPool("after", "198.51.100.12");

        // The fence comes first, then /healthz reports the loss: 503 means no write can leave.
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> status(a, "/healthz") == 503 || a.exit().isDone());
        Duration fencedAfter = Duration.between(stolen, Instant.now());
        assertThat(a.exit().get(30, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(holder()).isEqualTo("thief");
        assertThat(mailgun.emulator.journal().entries())
                .filteredOn(e -> !"GET".equals(e.method()) && e.timestamp().isAfter(stolen))
                .isEmpty();
        assertThat(mailgun.calls("POST /v3/ip_pools")).isEqualTo(1);
        assertThat(fencedAfter).isLessThan(Duration.ofMillis(200));
    }

    private java.time.ZonedDateTime renewTime() {
        return api.admin
                .resources(Lease.class)
                .inNamespace(ns)
                .withName(LEASE)
                .get()
                .getSpec()
                .getRenewTime();
    }
}
