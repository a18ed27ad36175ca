package dev.ippools.mailgun.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ippools.mailgun.api.v1alpha1.ApiConstants;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ConditionTypes;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.api.v1alpha1.PendingWarmupStatus;
import dev.ippools.mailgun.emulator.AccountFixture;
import dev.ippools.mailgun.emulator.Fault;
import dev.ippools.mailgun.runtime.OperatorRuntime;
import dev.ippools.mailgun.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Warm-ups on a real API server: the status with its pending IPs passes the CRD schema, an IP
 * warming up joins its pool once warm, and {@code spec.warmup: Start} starts one warm-up across an
 * operator stopped after Mailgun started it but before the answer came back.
 */
class WarmupE2E {

    static final String WARM = "198.51.100.10";
    static final String WARMING = "198.51.100.14";
    static final String NEW_IP = "198.51.100.20";

    static ApiServer api;

    @BeforeAll
    static void startApiServer() {
        api = ApiServer.start();
        api.installCrds();
    }

    @AfterAll
    static void stopApiServer() {
        if (api != null) {
            api.close();
        }
    }

    /** Warm-ups of 3 stages of {@code stage} each; 198.51.100.14 warming from the start. */
    static AccountFixture account(String stage) {
        return AccountFixture.parse("""
        warmupPlan: {stages: 3, stageDuration: %s}
        ips:
          - {ip: 198.51.100.10}
          - {ip: 198.51.100.14, warmup: true}
          - {ip: 198.51.100.20, warm: false}
        domains: [mail.example.com]
        """.formatted(stage));
    }

    static IpPool pool(String name, String warmup, String... ips) {
        return Serialization.unmarshal(
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
    void aWarmingIpWaitsThenJoins() {
        String ns = api.newNamespace("warming");
        try (EmulatedAccount mailgun =
                        EmulatedAccount.emulatorFor(api.admin, ns, EmulatedAccount.SECRET, account("PT4S"));
                OperatorRuntime ignored =
                        OperatorRuntime.start(api.newAdminClient(), mailgun.settings(ns, Set.of(ns)))) {
            api.admin
                    .resource(pool("transactional", null, WARM, WARMING))
                    .inNamespace(ns)
                    .create();

            IpPool waiting = mailgun.awaitReady(api.admin, IpPool.class, ns, "transactional", "False/WaitingForWarmup");
            assertThat(waiting.getStatus().ips()).containsExactly(WARM);
            Condition ready = Conditions.find(waiting.getStatus().conditions(), ConditionTypes.READY)
                    .orElseThrow();
            assertThat(ready.getMessage()).contains("IP " + WARMING + " waits for warm-up (stage ");
            assertThat(Conditions.isTrue(waiting.getStatus().conditions(), ConditionTypes.SYNCED))
                    .isTrue();
            PendingWarmupStatus pending = waiting.getStatus().pendingWarmups().get(0);
            assertThat(pending.ip()).isEqualTo(WARMING);
            assertThat(pending.phase()).isEqualTo(PendingWarmupStatus.WARMING_UP);
            assertThat(pending.stage()).isBetween(1, 3);
            assertThat(pending.stageStartedAt()).isNotBlank();

            IpPool done = mailgun.awaitReady(api.admin, IpPool.class, ns, "transactional");
            assertThat(done.getStatus().ips()).containsExactly(WARM, WARMING);
            assertThat(done.getStatus().pendingWarmups()).isNull();
            assertThat(mailgun.emulator
                            .state()
                            .poolNamed("transactional")
                            .orElseThrow()
                            .ips())
                    .containsExactlyInAnyOrder(WARM, WARMING);
            assertThat(mailgun.calls("GET /v3/ip_warmups")).isEqualTo(1);
        }
    }

    @Test
    void startStartsOneWarmupAcrossARestart() {
        String ns = api.newNamespace("starting");
        try (EmulatedAccount mailgun =
                EmulatedAccount.emulatorFor(api.admin, ns, EmulatedAccount.SECRET, account("PT3S"))) {
            // Mailgun starts the warm-up, but the operator never hears back.
            mailgun.emulator
                    .faults()
                    .add(Fault.status("POST", "^/v3/ip_warmups/.*", 503)
                            .afterCommit()
                            .withCount(1));
            try (OperatorRuntime first =
                    OperatorRuntime.start(api.newAdminClient(), mailgun.settings(ns, Set.of(ns)))) {
                api.admin
                        .resource(pool("fresh", "Start", WARM, NEW_IP))
                        .inNamespace(ns)
                        .create();
                await().atMost(EmulatedAccount.CONVERGE).until(() -> mailgun.calls("POST /v3/ip_warmups/{addr}") == 1);
                await().atMost(EmulatedAccount.CONVERGE)
                        .until(() -> EmulatedAccount.get(api.admin, IpPool.class, ns, "fresh")
                                .getMetadata()
                                .getAnnotations()
                                .containsKey(ApiConstants.WARMUPS_STARTED_ANNOTATION));
            }
            try (OperatorRuntime second =
                    OperatorRuntime.start(api.newAdminClient(), mailgun.settings(ns, Set.of(ns)))) {
                IpPool done = mailgun.awaitReady(api.admin, IpPool.class, ns, "fresh");
                assertThat(done.getStatus().ips()).containsExactly(WARM, NEW_IP);
                assertThat(done.getMetadata().getAnnotations())
                        .containsEntry(ApiConstants.WARMUPS_STARTED_ANNOTATION, NEW_IP);
            }
            assertThat(mailgun.calls("POST /v3/ip_warmups/{addr}")).isEqualTo(1);
            assertThat(mailgun.calls("DELETE /v3/ip_warmups/{addr}")).isZero();
        }
    }
}
