package dev.ippools.mailgun.reconciler;

import static dev.ippools.mailgun.reconciler.Manifests.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ippools.mailgun.api.v1alpha1.ApiConstants;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ConditionTypes;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBindingSpec;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.api.v1alpha1.IpPoolSpec;
import dev.ippools.mailgun.api.v1alpha1.OnDelete;
import dev.ippools.mailgun.api.v1alpha1.PoolReference;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.MailgunClientOptions;
import dev.ippools.mailgun.client.http.OkHttpMailgunClient;
import dev.ippools.mailgun.emulator.Fault;
import dev.ippools.mailgun.emulator.JournalEntry;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scenario by scenario, the operator against the mock API server and the emulator. */
@EnableKubernetesMockClient(crud = true)
class OperatorScenariosTest {

    KubernetesMockServer server;
    KubernetesClient client;
    OperatorHarness h;

    @BeforeEach
    void start() {
        h = new OperatorHarness(client, OperatorHarness.sampleFixture()).start();
    }

    @AfterEach
    void stop() {
        h.close();
    }

    static IpPool pool(String name, String... ips) {
        return yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: %s}
        spec:
          description: test pool %s
          ips: [%s]
        """.formatted(name, name, String.join(", ", ips)), IpPool.class);
    }

    static DomainPoolBinding bindingToPool(String name, String domain, String pool) {
        return yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: DomainPoolBinding
        metadata: {name: %s}
        spec:
          domain: %s
          poolRef: {name: %s}
          replacement: {ip: 198.51.100.12}
        """.formatted(name, domain, pool), DomainPoolBinding.class);
    }

    MailgunClient directClient() {
        return OkHttpMailgunClient.create(MailgunClientOptions.builder()
                .baseUrl(h.emulator.url())
                .apiKey(OperatorHarness.API_KEY)
                .build());
    }

    String poolId(String name) {
        return h.pool(name).getStatus().poolId();
    }

    List<String> emulatorIps(String name) {
        return h.emulator.state().pool(poolId(name)).orElseThrow().ips();
    }

    void editPoolIps(String name, String... ips) {
        h.edit(IpPool.class, name, p -> {
            p.setSpec(new IpPoolSpec(
                    p.getSpec().name(),
                    p.getSpec().description(),
                    List.of(ips),
                    p.getSpec().delegatedTo(),
                    p.getSpec().poolId(),
                    p.getSpec().accountRef(),
                    p.getSpec().managementPolicy(),
                    p.getSpec().deletionPolicy(),
                    p.getSpec().replacement()));
            return p;
        });
    }

    @Test
    void updatesIpsAddingAndRemovingInOnePatch() {
        h.apply(pool("a", "198.51.100.10", "198.51.100.11"));
        h.awaitPoolReady("a", "True/Available");
        h.emulator.journal().clear();

        editPoolIps("a", "198.51.100.11", "198.51.100.12", "198.51.100.13");

        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> emulatorIps("a"),
                        ips -> ips.size() == 3
                                && ips.containsAll(List.of("198.51.100.12", "198.51.100.13"))
                                && !ips.contains("198.51.100.10"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> h.pool("a").getStatus().observedGeneration() == 2L
                        && OperatorHarness.ready(h.pool("a")).equals("True/Available"));
        List<String> writes = h.emulator.journal().entries().stream()
                .filter(e -> !e.method().equals("GET"))
                .map(JournalEntry::endpoint)
                .toList();
        // One call for both: Mailgun applies a PATCH whole, so the pool is never without IPs.
        assertThat(writes).containsExactly("PATCH /v3/ip_pools/{pool_id}");
    }

    @Test
    void movesAnIpBetweenTwoPoolsInOneChange() {
        h.apply(pool("a", "198.51.100.10", "198.51.100.11"));
        h.apply(pool("b", "198.51.100.12"));
        h.awaitPoolReady("a", "True/Available");
        h.awaitPoolReady("b", "True/Available");

        editPoolIps("b", "198.51.100.12", "198.51.100.11");
        editPoolIps("a", "198.51.100.10");

        await().atMost(Duration.ofSeconds(30))
                .until(() -> emulatorIps("b"), ips -> ips.containsAll(List.of("198.51.100.11", "198.51.100.12")));
        assertThat(emulatorIps("a")).containsExactly("198.51.100.10");
        h.awaitPoolReady("a", "True/Available");
        h.awaitPoolReady("b", "True/Available");
    }

    @Test
    void twoPoolsClaimingOneIpTheFirstWins() {
        h.apply(pool("first", "198.51.100.10"));
        h.awaitPoolReady("first", "True/Available");
        h.apply(pool("second", "198.51.100.10", "198.51.100.11"));

        h.awaitPoolReady("second", "False/Conflict");
        assertThat(OperatorHarness.condition(h.pool("second"), ConditionTypes.READY)
                        .orElseThrow()
                        .getMessage())
                .contains("198.51.100.10")
                .contains("first");
        assertThat(emulatorIps("first")).containsExactly("198.51.100.10");
        assertThat(emulatorIps("second")).containsExactly("198.51.100.11");
    }

    @Test
    void bindsAndRebindsADomainAndObservesRelinking() {
        h.emulator.setPropagationDelay(Duration.ofMillis(1500));
        h.apply(pool("a", "198.51.100.10", "198.51.100.11"));
        h.apply(pool("b", "198.51.100.13"));
        h.apply(bindingToPool("mail", "mail.example.com", "a"));

        h.awaitBindingReady("mail", "True/Available");
        // Mailgun shows the link only once its background work is done.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> h.emulator.state().linkedPool("mail.example.com").orElse(""), poolId("a")::equals);
        assertThat(h.binding("mail").getStatus().linkedPoolId()).isEqualTo(poolId("a"));

        // Adding an IP to a linked pool: Mailgun answers "started" and relinks in the background.
        editPoolIps("a", "198.51.100.10", "198.51.100.11", "198.51.100.12");
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> OperatorHarness.condition(h.pool("a"), ConditionTypes.RELINKING)
                                .map(c -> c.getStatus())
                                .orElse(""),
                        "True"::equals);
        h.awaitPoolReady("a", "True/Available");
        assertThat(OperatorHarness.condition(h.pool("a"), ConditionTypes.RELINKING)
                        .orElseThrow()
                        .getStatus())
                .isEqualTo("False");
        assertThat(h.emulator.state().domainIps("mail.example.com"))
                .containsExactlyInAnyOrder("198.51.100.10", "198.51.100.11", "198.51.100.12");

        h.edit(DomainPoolBinding.class, "mail", b -> {
            b.setSpec(new DomainPoolBindingSpec(
                    b.getSpec().domain(),
                    new PoolReference("b"),
                    null,
                    null,
                    null,
                    null,
                    null,
                    b.getSpec().replacement()));
            return b;
        });
        await().atMost(Duration.ofSeconds(30))
                .until(() -> h.emulator.state().linkedPool("mail.example.com").orElse(""), poolId("b")::equals);
        h.awaitBindingReady("mail", "True/Available");
        assertThat(h.binding("mail").getStatus().ips()).containsExactly("198.51.100.13");
    }

    @Test
    void repairsDriftIntroducedBehindItsBack() {
        h.apply(pool("a", "198.51.100.10", "198.51.100.11"));
        h.awaitPoolReady("a", "True/Available");
        String id = poolId("a");
        try (MailgunClient direct = directClient()) {
            direct.removePoolIp(id, "198.51.100.11");
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> emulatorIps("a"), ips -> ips.containsAll(List.of("198.51.100.10", "198.51.100.11")));
        assertThat(h.calls("PUT /v3/ip_pools/{pool_id}/ips/{ip}")).isEqualTo(1);
    }

    @Test
    void observeModeNeverWrites() {
        h.emulator.journal().clear();
        h.apply(yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: legacy}
        spec:
          poolId: 64b0c0ffee00000000000001
          managementPolicy: Observe
          ips: [198.51.100.16]
        """, IpPool.class));
        h.awaitPoolReady("legacy", "True/Observed");
        IpPool legacy = h.pool("legacy");
        assertThat(legacy.getStatus().poolId()).isEqualTo("64b0c0ffee00000000000001");
        assertThat(legacy.getStatus().ips()).containsExactly("198.51.100.16", "198.51.100.17");
        client.resource(legacy).delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> h.pool("legacy") == null);
        assertThat(h.emulator.journal().entries().stream()
                        .filter(e -> !e.method().equals("GET")))
                .isEmpty();
        assertThat(h.emulator.state().pool("64b0c0ffee00000000000001")).isPresent();
    }

    @Test
    void aBindingWaitingForItsIpPoolIsWokenByTheIpPoolsRecordAlone() {
        // Nothing changes in Mailgun here (both observe): only the IpPool's recorded pool id, seen
        // through the other controller's informer, can wake the binding before the 1 min resync.
        h.emulator.journal().clear();
        h.apply(yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: DomainPoolBinding
        metadata: {name: news}
        spec:
          domain: news.example.com
          poolRef: {name: legacy}
          managementPolicy: Observe
        """, DomainPoolBinding.class));
        h.awaitBindingReady("news", "True/Observed");
        assertThat(h.binding("news").getStatus().linkedPoolId())
                .as("no IpPool yet")
                .isNull();

        h.apply(yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: legacy}
        spec:
          poolId: 64b0c0ffee00000000000001
          managementPolicy: Observe
          ips: [198.51.100.16]
        """, IpPool.class));

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> h.binding("news").getStatus().linkedPoolId(), "64b0c0ffee00000000000001"::equals);
        assertThat(h.emulator.journal().entries().stream()
                        .filter(e -> !e.method().equals("GET")))
                .isEmpty();
    }

    /** The legacy per-domain endpoints: only explicit IP sets need them. */
    static final List<String> LEGACY_DOMAIN_CALLS = List.of(
            "GET /v3/domains/{name}/ips",
            "POST /v3/domains/{name}/ips",
            "DELETE /v3/domains/{name}/ips/{ip}",
            "DELETE /v3/domains/{name}/pool/{ip}");

    long legacyDomainCalls() {
        return LEGACY_DOMAIN_CALLS.stream().mapToLong(h::calls).sum();
    }

    static DomainPoolBinding observing(String name, String domain, String poolId) {
        return yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: DomainPoolBinding
        metadata: {name: %s}
        spec:
          domain: %s
          poolId: %s
          managementPolicy: Observe
        """.formatted(name, domain, poolId), DomainPoolBinding.class);
    }

    static DomainPoolBinding movingToPoolOnDelete(String name, String domain, String pool, String replacement) {
        return yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: DomainPoolBinding
        metadata: {name: %s}
        spec:
          domain: %s
          poolRef: {name: %s}
          replacement: {poolRef: {name: %s}}
        """.formatted(name, domain, pool, replacement), DomainPoolBinding.class);
    }

    @Test
    void observedPoolBindingsReadThePoolsDomainListAndNeverWrite() {
        String legacyPool = "64b0c0ffee00000000000001";
        h.emulator.journal().clear();
        h.apply(observing("news", "news.example.com", legacyPool));
        h.apply(observing("mail", "mail.example.com", legacyPool));

        h.awaitBindingReady("news", "True/Observed");
        h.awaitBindingReady("mail", "True/Observed");
        assertThat(h.binding("news").getStatus().linkedPoolId()).isEqualTo(legacyPool);
        assertThat(OperatorHarness.condition(h.binding("news"), ConditionTypes.READY)
                        .orElseThrow()
                        .getMessage())
                .doesNotContain("drift");
        // The pool's domain list tells that mail.example.com is not in it, not where it is.
        assertThat(OperatorHarness.condition(h.binding("mail"), ConditionTypes.READY)
                        .orElseThrow()
                        .getMessage())
                .contains("drift: domain is not linked to pool " + legacyPool);

        assertThat(legacyDomainCalls()).isZero();
        assertThat(h.calls("GET /v3/ip_pools/{pool_id}")).isZero();
        assertThat(h.calls("GET /v3/ip_pools/{pool_id}/domains")).isPositive();
        assertThat(h.emulator.journal().entries().stream()
                        .filter(e -> !e.method().equals("GET")))
                .isEmpty();
        assertThat(h.emulator.state().linkedPool("mail.example.com")).isEmpty();
    }

    @Test
    void aPoolsFirstBatchCarriesTheLinksOfEveryBindingNamingIt() {
        // The bindings wait for their pool; the first to find it queues its siblings' links too.
        h.apply(bindingToPool("mail", "mail.example.com", "a"));
        h.apply(bindingToPool("news", "news.example.com", "a"));
        h.apply(bindingToPool("alerts", "alerts.example.com", "a"));
        h.apply(pool("a", "198.51.100.10"));

        h.awaitBindingReady("mail", "True/Available");
        h.awaitBindingReady("news", "True/Available");
        h.awaitBindingReady("alerts", "True/Available");

        assertThat(h.calls("PATCH /v3/ip_pools/{pool_id}")).isEqualTo(1);
        // The pool had no domains: the bulk pool list verifies the batch, no domain list read.
        assertThat(h.calls("GET /v3/ip_pools/{pool_id}/domains")).isZero();
        assertThat(legacyDomainCalls()).isZero();
    }

    @Test
    void aPausedSiblingsLinkIsNotSentOnItsBehalf() {
        DomainPoolBinding paused = bindingToPool("news", "news.example.com", "a");
        paused.getMetadata().setAnnotations(java.util.Map.of(ApiConstants.PAUSED_ANNOTATION, "true"));
        h.apply(paused);
        h.apply(bindingToPool("mail", "mail.example.com", "a"));
        h.apply(pool("a", "198.51.100.10"));

        h.awaitBindingReady("mail", "True/Available");

        assertThat(h.emulator.state().linkedPool("mail.example.com")).contains(poolId("a"));
        assertThat(h.emulator.state().linkedPool("news.example.com")).isNotEqualTo(java.util.Optional.of(poolId("a")));
    }

    @Test
    void deletingMovesTheDomainToItsReplacementPoolWithABatchedLink() {
        h.apply(pool("a", "198.51.100.10"));
        h.apply(pool("b", "198.51.100.13"));
        h.apply(movingToPoolOnDelete("mail", "mail.example.com", "a", "b"));
        h.awaitBindingReady("mail", "True/Available");
        h.awaitPoolReady("b", "True/Available");
        h.emulator.journal().clear();

        client.resource(h.binding("mail")).delete();
        h.awaitBindingGone("mail");

        // The finalizer went once a read showed the domain in the replacement pool.
        assertThat(h.emulator.state().linkedPool("mail.example.com")).contains(poolId("b"));
        assertThat(legacyDomainCalls()).isZero();
        assertThat(h.calls("PATCH /v3/ip_pools/{pool_id}")).isEqualTo(1);
    }

    @Test
    void aMoveToAReplacementPoolThatAlreadyHasDomainsIsVerifiedByItsDomainList() {
        h.apply(pool("a", "198.51.100.10"));
        h.apply(pool("b", "198.51.100.13"));
        h.apply(bindingToPool("alerts", "alerts.example.com", "b"));
        h.apply(movingToPoolOnDelete("mail", "mail.example.com", "a", "b"));
        h.awaitBindingReady("alerts", "True/Available");
        h.awaitBindingReady("mail", "True/Available");
        h.emulator.journal().clear();

        client.resource(h.binding("mail")).delete();
        h.awaitBindingGone("mail");

        assertThat(h.emulator.state().linkedPool("mail.example.com")).contains(poolId("b"));
        assertThat(h.emulator.state().linkedPool("alerts.example.com")).contains(poolId("b"));
        assertThat(legacyDomainCalls()).isZero();
        assertThat(h.calls("PATCH /v3/ip_pools/{pool_id}")).isEqualTo(1);
        assertThat(h.calls("GET /v3/ip_pools/{pool_id}/domains")).isPositive();
    }

    @Test
    void aRefusedMoveToTheReplacementPoolIsReportedAndKeepsTheFinalizer() throws Exception {
        h.apply(pool("a", "198.51.100.10"));
        h.apply(pool("b", "198.51.100.13"));
        h.apply(movingToPoolOnDelete("mail", "mail.example.com", "a", "b"));
        h.awaitBindingReady("mail", "True/Available");
        h.awaitPoolReady("b", "True/Available");
        h.emulator.faults().add(Fault.status("PATCH", "/v3/ip_pools/.*", 400));

        client.resource(h.binding("mail")).delete();
        h.awaitBindingReady("mail", "False/Error");
        assertThat(OperatorHarness.condition(h.binding("mail"), ConditionTypes.READY)
                        .orElseThrow()
                        .getMessage())
                .contains("link_domain=mail.example.com");
        long patches = h.calls("PATCH /v3/ip_pools/{pool_id}");
        Thread.sleep(2500);
        // Refused is held, not sent again on every wake-up; the domain stays where it was.
        assertThat(h.calls("PATCH /v3/ip_pools/{pool_id}")).isEqualTo(patches);
        assertThat(h.binding("mail")).isNotNull();
        assertThat(h.emulator.state().linkedPool("mail.example.com")).contains(poolId("a"));
        assertThat(legacyDomainCalls()).isZero();
    }

    @Test
    void deletePolicies() {
        h.apply(pool("gone", "198.51.100.10"));
        IpPool kept = pool("kept", "198.51.100.11");
        kept.setSpec(new dev.ippools.mailgun.api.v1alpha1.IpPoolSpec(
                null,
                "kept",
                List.of("198.51.100.11"),
                null,
                null,
                null,
                null,
                dev.ippools.mailgun.api.v1alpha1.DeletionPolicy.ORPHAN,
                null));
        h.apply(kept);
        h.awaitPoolReady("gone", "True/Available");
        h.awaitPoolReady("kept", "True/Available");
        String goneId = poolId("gone");
        String keptId = poolId("kept");

        client.resource(h.pool("gone")).delete();
        client.resource(h.pool("kept")).delete();

        await().atMost(Duration.ofSeconds(30)).until(() -> h.pool("gone") == null && h.pool("kept") == null);
        assertThat(h.emulator.state().pool(goneId)).isEmpty();
        assertThat(h.emulator.state().pool(keptId)).isPresent();
    }

    @Test
    void deletingABoundPoolWaitsForItsBindingsThenNeedsAReplacement() {
        h.apply(pool("a", "198.51.100.10"));
        h.apply(bindingToPool("mail", "mail.example.com", "a"));
        h.awaitBindingReady("mail", "True/Available");
        String id = poolId("a");

        client.resource(h.pool("a")).delete();
        h.awaitPoolReady("a", "False/DeletionBlocked");
        assertThat(OperatorHarness.condition(h.pool("a"), ConditionTypes.READY)
                        .orElseThrow()
                        .getMessage())
                .contains("mail");
        assertThat(h.emulator.state().pool(id)).isPresent();

        // The binding goes first (unlinking with its replacement IP), then the pool can go.
        client.resource(h.binding("mail")).delete();
        h.awaitPoolGone("a");
        assertThat(h.emulator.state().pool(id)).isEmpty();
        assertThat(h.emulator.state().linkedPool("mail.example.com")).isEmpty();
    }

    @Test
    void aLinkedPoolWithoutReplacementStaysBlockedWithAnActionableMessage() {
        h.apply(pool("a", "198.51.100.10"));
        h.apply(bindingToPool("mail", "mail.example.com", "a"));
        h.awaitBindingReady("mail", "True/Available");
        // The binding is orphaned: the domain stays linked, so deleting the pool needs a replacement.
        h.edit(DomainPoolBinding.class, "mail", b -> {
            b.setSpec(new DomainPoolBindingSpec(
                    b.getSpec().domain(),
                    b.getSpec().poolRef(),
                    null,
                    null,
                    null,
                    null,
                    OnDelete.ORPHAN,
                    b.getSpec().replacement()));
            return b;
        });
        await().atMost(Duration.ofSeconds(30))
                .until(() -> h.binding("mail").getStatus().observedGeneration() == 2L);
        client.resource(h.binding("mail")).delete();
        h.awaitBindingGone("mail");

        client.resource(h.pool("a")).delete();
        h.awaitPoolReady("a", "False/DeletionBlocked");
        assertThat(OperatorHarness.condition(h.pool("a"), ConditionTypes.READY)
                        .orElseThrow()
                        .getMessage())
                .contains("spec.replacement");
    }

    @Test
    void stormsOf429And5xxConverge() {
        h.emulator
                .faults()
                .add(Fault.status(null, "/v3/ip_pools.*", 429)
                        .withRate(0.5)
                        .withCount(6)
                        .withResetAfterSeconds(1));
        h.emulator
                .faults()
                .add(Fault.status(null, "/v3/ip_pools.*", 503).withRate(0.5).withCount(6));
        h.apply(pool("a", "198.51.100.10", "198.51.100.11"));
        h.apply(pool("b", "198.51.100.12"));
        h.awaitPoolReady("a", "True/Available");
        h.awaitPoolReady("b", "True/Available");
        assertThat(h.emulator.state().pools().stream()
                        .filter(p -> p.name().equals("a") || p.name().equals("b")))
                .hasSize(2);
    }

    @Test
    void permanentRejectionIsTerminalAndNotRetriedInALoop() throws Exception {
        // The planner refuses what Mailgun would, so force a Mailgun-side 400 instead.
        h.emulator.faults().add(Fault.status("POST", "/v3/ip_pools", 400));
        h.apply(pool("a", "198.51.100.10"));
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> OperatorHarness.condition(h.pool("a"), ConditionTypes.SYNCED)
                                .map(c -> c.getReason())
                                .orElse(""),
                        "Terminal"::equals);
        long posts = h.calls("POST /v3/ip_pools");
        Thread.sleep(2500);
        assertThat(h.calls("POST /v3/ip_pools")).isEqualTo(posts);
        assertThat(h.ready(h.pool("a"))).isEqualTo("False/Error");
    }

    @Test
    void invalidSpecGetsAConditionAndZeroWrites() {
        h.emulator.journal().clear();
        h.apply(pool("stranger", "198.51.100.99"));
        h.awaitPoolReady("stranger", "False/Invalid");
        assertThat(OperatorHarness.condition(h.pool("stranger"), ConditionTypes.READY)
                        .orElseThrow()
                        .getMessage())
                .contains("198.51.100.99");
        assertThat(h.emulator.journal().entries().stream()
                        .filter(e -> !e.method().equals("GET")))
                .isEmpty();
    }

    @Test
    void delegatesAndRevokesSubaccounts() {
        String storefront = "6a1b2c3d4e5f60718293a4b5";
        h.apply(yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: shared-pool}
        spec:
          ips: [198.51.100.10]
          delegatedTo: [%s]
        """.formatted(storefront), IpPool.class));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> h.pool("shared-pool") != null
                        && h.pool("shared-pool").getStatus() != null
                        && h.pool("shared-pool").getStatus().poolId() != null
                        && h.emulator
                                .state()
                                .pool(poolId("shared-pool"))
                                .orElseThrow()
                                .delegatedTo()
                                .contains(storefront));
        h.awaitPoolReady("shared-pool", "True/Available");

        h.edit(IpPool.class, "shared-pool", p -> {
            p.setSpec(new IpPoolSpec(
                    null, p.getSpec().description(), p.getSpec().ips(), List.of(), null, null, null, null, null));
            return p;
        });
        await().atMost(Duration.ofSeconds(30))
                .until(() -> h.emulator
                        .state()
                        .pool(poolId("shared-pool"))
                        .orElseThrow()
                        .delegatedTo()
                        .isEmpty());
        assertThat(h.calls("PUT /v3/ip_pools/{pool_id}/delegate")).isEqualTo(1);
        assertThat(h.calls("DELETE /v3/ip_pools/{pool_id}/delegate")).isEqualTo(1);
    }

    static final String STOREFRONT = "6a1b2c3d4e5f60718293a4b5";

    /** A parent pool delegated to the storefront subaccount, as its IpPool on the parent sets up. */
    String delegatedPool(String name, String ip) {
        h.apply(yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: %s}
        spec:
          ips: [%s]
          delegatedTo: [%s]
        """.formatted(name, ip, STOREFRONT), IpPool.class));
        h.awaitPoolReady(name, "True/Available");
        String id = poolId(name);
        try (MailgunClient direct = directClient()) {
            MailgunClient storefront = direct.onBehalfOf(STOREFRONT);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> storefront.listPools().stream()
                            .anyMatch(p -> p.poolId().equals(id) && p.inherited()));
        }
        return id;
    }

    /** A binding on the storefront subaccount, through a Secret with its subaccountId. */
    DomainPoolBinding storefrontBinding(String name, String domain, String poolId, String replacementPoolId) {
        return storefrontBinding(
                name, domain, "poolId: " + poolId + "\n  replacement: {poolId: " + replacementPoolId + "}");
    }

    /** @param target the spec's target and replacement lines */
    DomainPoolBinding storefrontBinding(String name, String domain, String target) {
        storefrontSecret();
        return yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: DomainPoolBinding
        metadata: {name: %s}
        spec:
          domain: %s
          accountRef: {secretName: storefront}
          %s
        """.formatted(name, domain, target), DomainPoolBinding.class);
    }

    void storefrontSecret() {
        client.secrets()
                .inNamespace(OperatorHarness.NS)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("storefront")
                        .withNamespace(OperatorHarness.NS)
                        .endMetadata()
                        .withStringData(Map.of(
                                "apiKey",
                                OperatorHarness.API_KEY,
                                "baseUrl",
                                h.emulator.url(),
                                "subaccountId",
                                STOREFRONT))
                        .build())
                .createOr(NonDeletingOperation::update);
    }

    /** The subaccount's writes, as endpoint and path. */
    List<String> storefrontWrites() {
        return h.emulator.journal().entries().stream()
                .filter(e -> !e.method().equals("GET") && STOREFRONT.equals(e.onBehalfOf()))
                .map(e -> e.method() + " " + e.path())
                .toList();
    }

    @Test
    void linksASubaccountDomainToAnInheritedPoolWithTheLegacyCall() {
        String inherited = delegatedPool("shared-pool", "198.51.100.10");
        String other = delegatedPool("other-pool", "198.51.100.13");
        h.emulator.journal().clear();

        h.apply(storefrontBinding("shop", "shop.example.org", inherited, other));
        h.awaitBindingReady("shop", "True/Available");

        assertThat(h.emulator.state().linkedPool("shop.example.org")).contains(inherited);
        assertThat(h.binding("shop").getStatus().linkedPoolId()).isEqualTo(inherited);
        // Mailgun refuses PATCH on an inherited pool: the link is the legacy domain call (sent again
        // if a read before Mailgun shows the link finds the domain not linked yet).
        assertThat(storefrontWrites()).isNotEmpty().allMatch("POST /v3/domains/shop.example.org/ips"::equals);
        assertThat(h.calls("PATCH /v3/ip_pools/{pool_id}")).isZero();
    }

    @Test
    void deletingMovesASubaccountDomainToAnInheritedReplacementPoolWithTheLegacyCall() {
        String inherited = delegatedPool("shared-pool", "198.51.100.10");
        String replacement = delegatedPool("other-pool", "198.51.100.13");
        h.apply(storefrontBinding("shop", "shop.example.org", inherited, replacement));
        h.awaitBindingReady("shop", "True/Available");
        h.emulator.journal().clear();

        client.resource(h.binding("shop")).delete();
        h.awaitBindingGone("shop");

        // The finalizer goes once Mailgun accepted the link; it shows it after its background move.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> h.emulator.state().linkedPool("shop.example.org").orElse(""), replacement::equals);
        assertThat(storefrontWrites()).containsExactly("POST /v3/domains/shop.example.org/ips");
        assertThat(h.calls("PATCH /v3/ip_pools/{pool_id}")).isZero();
    }

    @Test
    void aPoolRefToAnIpPoolThatAdoptedAnInheritedPoolLinksWithTheLegacyCall() {
        String inherited = delegatedPool("shared-pool", "198.51.100.10");
        storefrontSecret();
        h.apply(yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: storefront-pool}
        spec:
          poolId: %s
          ips: [198.51.100.10]
          accountRef: {secretName: storefront}
          managementPolicy: Observe
        """.formatted(inherited), IpPool.class));
        h.awaitPoolReady("storefront-pool", "True/Observed");
        h.emulator.journal().clear();

        h.apply(storefrontBinding(
                "shop", "shop.example.org", "poolRef: {name: storefront-pool}\n  replacement: {ip: shared}"));
        h.awaitBindingReady("shop", "True/Available");

        assertThat(h.emulator.state().linkedPool("shop.example.org")).contains(inherited);
        assertThat(storefrontWrites()).isNotEmpty().allMatch("POST /v3/domains/shop.example.org/ips"::equals);
        assertThat(h.calls("PATCH /v3/ip_pools/{pool_id}")).isZero();
    }
}
