package dev.ippools.mailgun.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ippools.mailgun.api.v1alpha1.ApiConstants;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ConditionTypes;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.client.MailgunClientOptions;
import dev.ippools.mailgun.client.http.OkHttpMailgunClient;
import dev.ippools.mailgun.emulator.Fault;
import dev.ippools.mailgun.emulator.JournalEntry;
import dev.ippools.mailgun.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Mailgun failing in the ways architecture §10 names, against a real API server where finalizers
 * and status are Kubernetes' own: a deletion waits for a create whose answer was lost, a dead
 * account shows on the resource and recovers, a delete whose answer was lost still finishes at
 * once.
 */
@WithApiServer
class FaultsE2E {

    static ApiServer api;

    @RegisterExtension
    final EmulatedOperator setup = EmulatedOperator.notStarted("faults");

    String ns;
    EmulatedAccount mailgun;

    @BeforeEach
    void names() {
        ns = setup.ns();
        mailgun = setup.mailgun();
    }

    /** The e2e settings with clients that stop listening after 300 ms and a slow poll. */
    private void startOperator(Duration pollInterval) {
        setup.start(s -> s.withPollInterval(pollInterval)
                .withReconcile(s.reconcile().withCreateOutcomeWait(Duration.ofSeconds(30)))
                .withClientFactory(c -> OkHttpMailgunClient.create(MailgunClientOptions.builder()
                        .baseUrl(c.baseUrl())
                        .apiKey(c.apiKey())
                        .subaccountId(c.subaccountId())
                        .readTimeout(Duration.ofMillis(300))
                        .build())));
    }

    private void applyPool(String name, String spec) {
        api.admin
                .resource(Serialization.unmarshal("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: %s, namespace: %s}
        spec: %s
        """.formatted(name, ns, spec), IpPool.class))
                .create();
    }

    private IpPool pool(String name) {
        return EmulatedAccount.get(api.admin, IpPool.class, ns, name);
    }

    private Condition condition(String name, String type) {
        IpPool p = pool(name);
        return p == null || p.getStatus() == null
                ? null
                : Conditions.find(p.getStatus().conditions(), type).orElse(null);
    }

    private String syncedReason(String name) {
        Condition c = condition(name, ConditionTypes.SYNCED);
        return c == null ? "" : c.getReason();
    }

    @Test
    void anIpPoolDeletedWhileItsCreateIsUnclearKeepsItsFinalizerUntilThePoolTurnsUpAndGoes() {
        startOperator(Duration.ofMillis(500));
        Instant late = Instant.now().plusMillis(3_000);
        mailgun.emulator
                .faults()
                .add(Fault.latency("POST", "^/v3/ip_pools$", 3_000).withCount(1));
        applyPool("doomed", "{description: not made yet}");
        await().atMost(Duration.ofSeconds(20)).until(() -> syncedReason("doomed"), "CreateIncomplete"::equals);

        api.admin.resources(IpPool.class).inNamespace(ns).withName("doomed").delete();

        IpPool deleting = pool("doomed");
        assertThat(deleting.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(deleting.getMetadata().getFinalizers()).contains(ApiConstants.FINALIZER);
        assertThat(deleting.getMetadata().getAnnotations()).containsKey(ApiConstants.CREATE_INTENT_ANNOTATION);
        mailgun.awaitGone(api.admin, IpPool.class, ns, "doomed");
        assertThat(mailgun.emulator.journal().entries("POST /v3/ip_pools"))
                .singleElement()
                .satisfies(e -> assertThat(e.timestamp()).isAfterOrEqualTo(late));
        assertThat(mailgun.emulator.journal().entries("DELETE /v3/ip_pools/{pool_id}"))
                .hasSize(1);
        assertThat(mailgun.emulator.state().poolNamed("doomed")).isEmpty();
    }

    @Test
    void anAccountAnswering503ShowsOnTheResourceWithinAPollAndRecovers() {
        startOperator(Duration.ofMillis(500));
        applyPool("a", "{ips: [198.51.100.10]}");
        mailgun.awaitReady(api.admin, IpPool.class, ns, "a");

        mailgun.emulator.faults().add(Fault.status("GET", "^/v3/ip_pools$", 503));
        await().atMost(Duration.ofSeconds(10)).until(() -> syncedReason("a"), "AccountUnreachable"::equals);
        assertThat(condition("a", ConditionTypes.SYNCED).getMessage()).contains("503");
        Condition ready = condition("a", ConditionTypes.READY);
        assertThat(ready.getStatus()).isEqualTo("True");
        assertThat(ready.getMessage()).contains("Mailgun last confirmed this at");

        mailgun.emulator.faults().clear();
        await().atMost(Duration.ofSeconds(10)).until(() -> syncedReason("a"), "ReconcileSuccess"::equals);
        assertThat(condition("a", ConditionTypes.READY).getMessage()).isEqualTo("Mailgun matches the spec");
    }

    @Test
    void aDeleteWhoseAnswerWasLostFinishesWithoutWaitingForAPoll() {
        startOperator(Duration.ofMinutes(5));
        applyPool("a", "{ips: [198.51.100.10]}");
        mailgun.awaitReady(api.admin, IpPool.class, ns, "a");
        mailgun.emulator
                .faults()
                .add(Fault.status("DELETE", "^/v3/ip_pools/[0-9a-f]+$", 502)
                        .afterCommit()
                        .withCount(1));

        api.admin.resources(IpPool.class).inNamespace(ns).withName("a").delete();

        mailgun.awaitGone(api.admin, IpPool.class, ns, "a");
        assertThat(mailgun.emulator.journal().entries("DELETE /v3/ip_pools/{pool_id}"))
                .extracting(JournalEntry::status)
                .containsExactly(502, 404);
    }
}
