package dev.ippools.mailgun.reconciler;

import static dev.ippools.mailgun.reconciler.Manifests.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ippools.mailgun.api.v1alpha1.ApiConstants;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ConditionTypes;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.api.v1alpha1.IpPoolSpec;
import dev.ippools.mailgun.api.v1alpha1.PendingWarmupStatus;
import dev.ippools.mailgun.emulator.Fault;
import dev.ippools.mailgun.emulator.JournalEntry;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** IPs warming up are waited for, with the operator in the loop against the emulator. */
@EnableKubernetesMockClient(crud = true)
class WarmupScenariosTest {

    static final String WARM = "198.51.100.10";
    static final String WARMING = "198.51.100.14";
    // The sample's warming IP is warm 3 x 2 s after the emulator starts.
    static final int STAGES = 3;
    static final Duration STAGE = Duration.ofSeconds(2);

    KubernetesClient client;
    OperatorHarness h;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    static IpPool pool(String name, String warmup, String... ips) {
        return yaml(
                """
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: %s}
        spec:
          ips: [%s]
          %s
        """.formatted(name, String.join(", ", ips), warmup == null ? "" : "warmup: " + warmup), IpPool.class);
    }

    @Test
    void aWarmingIpIsWaitedForAndJoinsWithinOnePollOfItsWarmupEnding() {
        Instant emulatorStart = Instant.now();
        h = new OperatorHarness(client, OperatorHarness.warmupFixture(STAGES, STAGE.toString())).start();

        h.apply(pool("a", null, WARM, WARMING));

        h.awaitPoolReady("a", "False/WaitingForWarmup");
        IpPool waiting = h.pool("a");
        assertThat(waiting.getStatus().ips()).containsExactly(WARM);
        Condition ready =
                OperatorHarness.condition(waiting, ConditionTypes.READY).orElseThrow();
        assertThat(ready.getMessage())
                .contains("IP " + WARMING + " waits for warm-up (stage ")
                .contains("% of the stage sent, stage started ")
                .contains("the rest of the pool is applied");
        assertThat(OperatorHarness.condition(waiting, ConditionTypes.SYNCED).orElseThrow())
                .extracting(Condition::getStatus, Condition::getReason)
                .containsExactly("True", "ReconcileSuccess");
        PendingWarmupStatus pending = waiting.getStatus().pendingWarmups().get(0);
        assertThat(pending.ip()).isEqualTo(WARMING);
        assertThat(pending.phase()).isEqualTo(PendingWarmupStatus.WARMING_UP);
        assertThat(pending.stage()).isBetween(1, STAGES);
        assertThat(pending.totalStages()).isNull(); // the list Mailgun answers has no total
        assertThat(pending.startedAt()).isNull();
        assertThat(pending.stageStartedAt()).isNotNull();

        h.awaitPoolReady("a", "True/Available");
        assertThat(h.pool("a").getStatus().ips()).containsExactly(WARM, WARMING);
        assertThat(h.pool("a").getStatus().pendingWarmups()).isNull();
        // Added within one poll (500 ms in the harness) of the warm-up's end, give or take a read.
        JournalEntry added = h.emulator.journal().entries().stream()
                .filter(e -> e.method().equals("PUT") && e.path().endsWith("/ips/" + WARMING))
                .findFirst()
                .orElseThrow();
        Instant warm = emulatorStart.plus(STAGE.multipliedBy(STAGES));
        assertThat(Duration.between(warm, added.timestamp())).isLessThan(Duration.ofMillis(1500));
        // Progress is read once per warmupProgressInterval (5 min here), not on every poll.
        assertThat(h.calls("GET /v3/ip_warmups")).isEqualTo(1);
        assertThat(h.calls("GET /v3/ip_warmups/{addr}")).isZero();
        assertThat(h.calls("POST /v3/ip_warmups/{addr}")).isZero();
    }

    @Test
    void startStartsTheWarmupOfANewIpOnceAndTheIpJoinsWhenWarm() {
        h = new OperatorHarness(client, OperatorHarness.warmupFixture(STAGES, STAGE.toString())).start();

        h.apply(pool("a", "Start", WARM, OperatorHarness.NEW_IP));

        await().atMost(Duration.ofSeconds(30)).until(() -> h.calls("POST /v3/ip_warmups/{addr}") == 1);
        h.awaitPoolReady("a", "False/WaitingForWarmup");
        assertThat(h.pool("a").getMetadata().getAnnotations())
                .containsEntry(ApiConstants.WARMUPS_STARTED_ANNOTATION, OperatorHarness.NEW_IP);
        h.awaitPoolReady("a", "True/Available");
        assertThat(h.pool("a").getStatus().ips()).containsExactly(WARM, OperatorHarness.NEW_IP);
        assertThat(h.calls("POST /v3/ip_warmups/{addr}")).isEqualTo(1);
        assertThat(h.calls("DELETE /v3/ip_warmups/{addr}")).isZero();
    }

    @Test
    void withoutStartANewIpIsAProblemAndNoWarmupIsStarted() {
        h = new OperatorHarness(client, OperatorHarness.warmupFixture(STAGES, STAGE.toString())).start();

        h.apply(pool("a", null, WARM, OperatorHarness.NEW_IP));

        h.awaitPoolReady("a", "False/Invalid");
        assertThat(OperatorHarness.condition(h.pool("a"), ConditionTypes.READY)
                        .orElseThrow()
                        .getMessage())
                .contains("spec.warmup: Start");
        assertThat(h.calls("POST /v3/ip_warmups/{addr}")).isZero();
    }

    @Test
    void cancelsOnlyTheWarmupItStartedWhenTheIpLeavesTheSpec() {
        h = new OperatorHarness(client, OperatorHarness.warmupFixture(20, "P1D")).start();
        h.apply(pool("a", "Start", WARM, WARMING, OperatorHarness.NEW_IP));
        await().atMost(Duration.ofSeconds(30)).until(() -> h.calls("POST /v3/ip_warmups/{addr}") == 1);
        h.awaitPoolReady("a", "False/WaitingForWarmup");

        h.edit(IpPool.class, "a", p -> {
            p.setSpec(pool("a", "Start", WARM).getSpec());
            return p;
        });

        h.awaitPoolReady("a", "True/Available");
        await().atMost(Duration.ofSeconds(10)).until(() -> h.calls("DELETE /v3/ip_warmups/{addr}") == 1);
        assertThat(h.emulator.journal().entries("DELETE /v3/ip_warmups/{addr}"))
                .extracting(JournalEntry::path)
                .containsExactly("/v3/ip_warmups/" + OperatorHarness.NEW_IP);
        // Someone else's warm-up (198.51.100.14, warming from the start) goes on.
        assertThat(h.emulator.state().ips())
                .filteredOn(ip -> ip.ip().equals(WARMING))
                .singleElement()
                .satisfies(ip -> assertThat(ip.warmup()).isTrue());
        assertThat(h.pool("a").getMetadata().getAnnotations())
                .doesNotContainKey(ApiConstants.WARMUPS_STARTED_ANNOTATION);
        assertThat(List.of(h.calls("POST /v3/ip_warmups/{addr}"))).containsExactly(1L);
    }

    @Test
    void aStartMailgunRefusedIsTakenOutOfTheRecordAndSentAgainOnceTheSpecChanges() {
        h = new OperatorHarness(client, OperatorHarness.warmupFixture(STAGES, STAGE.toString())).start();
        h.emulator.faults().add(Fault.status("POST", "^/v3/ip_warmups/.*", 400).withCount(1));

        h.apply(pool("a", "Start", WARM, OperatorHarness.NEW_IP));

        h.awaitPoolReady("a", "False/Error");
        IpPool refused = h.pool("a");
        assertThat(OperatorHarness.condition(refused, ConditionTypes.SYNCED).orElseThrow())
                .satisfies(c -> assertThat(c.getReason()).isEqualTo("Terminal"))
                .satisfies(c -> assertThat(c.getMessage())
                        .contains("Mailgun rejected POST /v3/ip_warmups/" + OperatorHarness.NEW_IP));
        assertThat(refused.getStatus().ips())
                .as("the rest of the pool is applied")
                .containsExactly(WARM);
        // Mailgun surely did not start it: no record, so a later reconcile may start it.
        assertThat(refused.getMetadata().getAnnotations()).doesNotContainKey(ApiConstants.WARMUPS_STARTED_ANNOTATION);

        h.edit(IpPool.class, "a", p -> {
            IpPoolSpec o = p.getSpec();
            p.setSpec(new IpPoolSpec(
                    o.name(),
                    "retry the warm-up",
                    o.ips(),
                    o.delegatedTo(),
                    o.poolId(),
                    o.accountRef(),
                    o.managementPolicy(),
                    o.deletionPolicy(),
                    o.replacement(),
                    o.warmup(),
                    o.adoption()));
            return p;
        });

        h.awaitPoolReady("a", "True/Available");
        assertThat(h.pool("a").getStatus().ips()).containsExactly(WARM, OperatorHarness.NEW_IP);
        assertThat(h.calls("POST /v3/ip_warmups/{addr}")).isEqualTo(2);
    }
}
