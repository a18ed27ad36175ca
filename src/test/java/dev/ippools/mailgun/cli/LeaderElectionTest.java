package dev.ippools.mailgun.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two operator processes share one Lease on the mock API server: only the holder reconciles. */
@EnableKubernetesMockClient(crud = true)
class LeaderElectionTest {

    static final String LEASE = "mailgun-ip-pool-operator";

    KubernetesMockServer server;
    KubernetesClient client;
    TestCluster cluster;
    final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void setUp() {
        cluster = new TestCluster(client);
        // JOSDK checks its Lease permissions first; the mock server has no RBAC to ask.
        SelfSubjectRulesReview allowed = new SelfSubjectRulesReviewBuilder()
                .withNewStatus()
                .withIncomplete(false)
                .addNewResourceRule()
                .withApiGroups("coordination.k8s.io")
                .withResources("leases")
                .withVerbs("create", "update", "get")
                .endResourceRule()
                .endStatus()
                .build();
        server.expect()
                .post()
                .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, allowed)
                .always();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        cluster.close();
    }

    private Replica start(String identity) {
        KubernetesClient own = server.createClient();
        List<Integer> exits = new CopyOnWriteArrayList<>();
        OperatorProcess process = OperatorProcess.start(
                own, cluster.settings(new OperatorProcess.Lease(TestCluster.NS, LEASE, identity)), exits::add);
        toClose.add(own);
        toClose.add(process);
        return new Replica(process, exits);
    }

    private record Replica(OperatorProcess process, List<Integer> exits) {}

    private Lease lease() {
        return client.resources(Lease.class)
                .inNamespace(TestCluster.NS)
                .withName(LEASE)
                .get();
    }

    private String holder() {
        Lease lease = lease();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    private String metrics(Replica r) {
        return cluster.get(r.process().httpPort(), "/metrics").body();
    }

    @Test
    void onlyTheHolderReconcilesAndAStandbyTakesOverWhenItStops() {
        Replica a = start("replica-a");
        await().atMost(Duration.ofSeconds(20)).until(this::holder, "replica-a"::equals);
        Replica b = start("replica-b");

        cluster.createPool("first", "198.51.100.10");
        cluster.awaitReady("first");

        assertThat(holder()).isEqualTo("replica-a");
        assertThat(a.process().isLeader()).isTrue();
        assertThat(b.process().isLeader()).isFalse();
        // A standby is ready (it serves probes and metrics) but has reconciled nothing.
        assertThat(cluster.get(b.process().httpPort(), "/readyz").statusCode()).isEqualTo(200);
        assertThat(metrics(a))
                .contains("mailgun_operator_leader 1")
                .contains("mailgun_api_calls_total{endpoint=\"/v3/ip_pools\",method=\"POST\"");
        assertThat(metrics(b))
                .contains("mailgun_operator_leader 0")
                .doesNotContain("mailgun_api_calls_total{")
                .doesNotContain("operator_sdk_reconciliations_started_total{");

        a.process().close();

        // A released the Lease on its way out: B need not wait for it to expire.
        await().atMost(Duration.ofSeconds(8)).until(this::holder, "replica-b"::equals);
        cluster.createPool("second", "198.51.100.12");
        cluster.awaitReady("second");
        assertThat(b.process().isLeader()).isTrue();
        assertThat(metrics(b))
                .contains("mailgun_operator_leader 1")
                .contains("mailgun_api_calls_total{endpoint=\"/v3/ip_pools\",method=\"POST\"");
        assertThat(a.exits()).isEmpty();
        assertThat(b.exits()).isEmpty();
    }

    @Test
    void aLeaderThatLosesItsLeaseAsksToExitAndFailsLiveness() {
        Replica a = start("replica-a");
        await().atMost(Duration.ofSeconds(20)).until(this::holder, "replica-a"::equals);
        assertThat(cluster.get(a.process().httpPort(), "/healthz").statusCode()).isEqualTo(200);

        // Someone else holds the Lease for an hour: A cannot renew it.
        client.resources(Lease.class)
                .inNamespace(TestCluster.NS)
                .withName(LEASE)
                .edit(l -> {
                    l.getSpec().setHolderIdentity("intruder");
                    l.getSpec().setLeaseDurationSeconds(3600);
                    return l;
                });

        await().atMost(Duration.ofSeconds(30)).until(() -> a.exits().contains(1));
        assertThat(a.process().isLeader()).isFalse();
        assertThat(a.process().mayWriteToMailgun()).isFalse();
        var live = cluster.get(a.process().httpPort(), "/healthz");
        assertThat(live.statusCode()).isEqualTo(503);
        assertThat(live.body()).contains("lost the leader Lease default/" + LEASE);

        // The exit is only requested here, so JOSDK goes on reconciling: its writes are fenced.
        cluster.createPool("late", "198.51.100.10");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> syncedMessage("late").contains("not sent: lost the leader Lease"));
        assertThat(cluster.emulator.journal().entries("POST /v3/ip_pools")).isEmpty();
    }

    private String syncedMessage(String pool) {
        var p = client.resources(dev.ippools.mailgun.api.v1alpha1.IpPool.class)
                .inNamespace(TestCluster.NS)
                .withName(pool)
                .get();
        return p == null || p.getStatus() == null
                ? ""
                : dev.ippools.mailgun.status.Conditions.find(p.getStatus().conditions(), "Synced")
                        .map(c -> c.getMessage())
                        .orElse("");
    }
}
