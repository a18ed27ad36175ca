package dev.ippools.mailgun.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ippools.mailgun.api.v1alpha1.ApiConstants;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.MailgunClientOptions;
import dev.ippools.mailgun.client.http.OkHttpMailgunClient;
import dev.ippools.mailgun.emulator.Fault;
import dev.ippools.mailgun.emulator.JournalEntry;
import dev.ippools.mailgun.reconciler.OperatorConfig;
import dev.ippools.mailgun.runtime.OperatorRuntime;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What Flux and Argo CD see of live resources: kstatus (cli-utils' status.Compute, run by the
 * kstatus test tool) for ready, stalled, changed, paused and deleted resources, and the Argo CD
 * health scripts' testdata taken from the same objects. Also pause, reconcile-now and drift
 * events end to end.
 */
class GitOpsStatusE2E {

    private static final Duration ONE_RECONCILE = Duration.ofSeconds(15);

    static ApiServer api;
    String ns;
    EmulatedAccount mailgun;
    OperatorRuntime operator;

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

    @AfterEach
    void tearDown() {
        if (operator != null) {
            operator.close();
        }
        if (mailgun != null) {
            mailgun.close();
        }
    }

    private void start(Set<String> watched, Set<String> defaultAccountNamespaces, Duration poll) {
        ns = ns == null ? api.newNamespace("gitops") : ns;
        mailgun = EmulatedAccount.emulatorFor(api.admin, ns);
        OperatorConfig s = mailgun.settings(ns, watched.isEmpty() ? Set.of(ns) : watched);
        operator = OperatorRuntime.start(
                api.newAdminClient(),
                s.withAccountPolicy(s.accountPolicy().withDefaultAccountNamespaces(defaultAccountNamespaces))
                        .withPollInterval(poll));
    }

    private void apply(String namespace, String kind, String name, String spec) {
        api.admin
                .resource(Serialization.unmarshal(
                        """
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: %s
        metadata: {name: %s, namespace: %s}
        spec: %s
        """.formatted(kind, name, namespace, spec), GenericKubernetesResource.class))
                .create();
    }

    private static GenericKubernetesResource live(String namespace, String kind, String name) {
        return api.admin
                .genericKubernetesResources(ApiConstants.API_VERSION, kind)
                .inNamespace(namespace)
                .withName(name)
                .get();
    }

    private static KstatusTool.Result kstatus(String namespace, String kind, String name) {
        return KstatusTool.compute(live(namespace, kind, name));
    }

    private static KstatusTool.Result kstatus(HasMetadata resource) {
        return KstatusTool.compute(Serialization.jsonMapper().convertValue(resource, GenericKubernetesResource.class));
    }

    /** The kstatus after the first reconcile's decision (what replaces Ready Progressing). */
    private static KstatusTool.Result firstDecision(String namespace, String kind, String name) {
        await().atMost(ONE_RECONCILE)
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> condition(namespace, kind, name, "Ready", "reason"),
                        reason -> !reason.isEmpty() && !"Progressing".equals(reason));
        return kstatus(namespace, kind, name);
    }

    private static void awaitKstatus(String namespace, String kind, String name, String expected) {
        await().atMost(EmulatedAccount.CONVERGE)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> kstatus(namespace, kind, name).status(), expected::equals);
    }

    private static String condition(String namespace, String kind, String name, String type, String field) {
        GenericKubernetesResource r = live(namespace, kind, name);
        List<?> conditions = r == null ? null : r.get("status", "conditions");
        if (conditions == null) {
            return "";
        }
        return conditions.stream()
                .map(c -> (java.util.Map<?, ?>) c)
                .filter(c -> type.equals(c.get("type")))
                .map(c -> String.valueOf(c.get(field)))
                .findFirst()
                .orElse("");
    }

    private void annotate(String kind, String name, String key, String value) {
        api.admin
                .genericKubernetesResources(ApiConstants.API_VERSION, kind)
                .inNamespace(ns)
                .withName(name)
                .edit(r -> {
                    java.util.Map<String, String> annotations = r.getMetadata().getAnnotations() == null
                            ? new java.util.HashMap<>()
                            : new java.util.HashMap<>(r.getMetadata().getAnnotations());
                    if (value == null) {
                        annotations.remove(key);
                    } else {
                        annotations.put(key, value);
                    }
                    r.getMetadata().setAnnotations(annotations);
                    return r;
                });
    }

    private List<JournalEntry> writes() {
        return mailgun.emulator.journal().entries().stream()
                .filter(e -> !"GET".equals(e.method()))
                .toList();
    }

    @Test
    void fluxAndArgoCdSeeReadyStalledChangedPausedAndDeletedResourcesAsTheyAre() {
        String other = api.newNamespace("gitops-other");
        ns = api.newNamespace("gitops");
        start(Set.of(ns, other), Set.of(ns), Duration.ofMillis(500));

        // new: InProgress from the moment the operator sees it (here while its create is slow)
        mailgun.emulator
                .faults()
                .add(Fault.latency("POST", "^/v3/ip_pools$", 3_000).withCount(1));
        apply(ns, "IpPool", "ready", "{ips: [198.51.100.10]}");
        await().atMost(ONE_RECONCILE)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> condition(ns, "IpPool", "ready", "Ready", "reason"), "Progressing"::equals);
        assertThat(condition(ns, "IpPool", "ready", "Reconciling", "status")).isEqualTo("True");
        assertThat(kstatus(ns, "IpPool", "ready").status()).isEqualTo("InProgress");
        assertThat(mailgun.emulator.state().poolNamed("ready")).isEmpty();

        // Ready -> Current, and Healthy for Argo CD
        mailgun.awaitReady(api.admin, IpPool.class, ns, "ready");
        assertThat(kstatus(ns, "IpPool", "ready").status()).isEqualTo("Current");
        ArgoCdTestdata.check("IpPool", "healthy", live(ns, "IpPool", "ready"));
        apply(ns, "DomainPoolBinding", "mail", "{domain: mail.example.com, poolRef: {name: ready}}");
        mailgun.awaitReady(api.admin, DomainPoolBinding.class, ns, "mail");
        assertThat(kstatus(ns, "DomainPoolBinding", "mail").status()).isEqualTo("Current");
        ArgoCdTestdata.check("DomainPoolBinding", "healthy", live(ns, "DomainPoolBinding", "mail"));

        // every stalled case is Failed on the operator's first decision, with its message
        apply(ns, "IpPool", "invalid", "{ips: [192.0.2.99]}");
        KstatusTool.Result invalid = firstDecision(ns, "IpPool", "invalid");
        assertThat(invalid.status()).isEqualTo("Failed");
        assertThat(invalid.message()).contains("192.0.2.99");
        ArgoCdTestdata.check("IpPool", "degraded-invalid", live(ns, "IpPool", "invalid"));

        apply(ns, "IpPool", "no-secret", "{ips: [198.51.100.12], accountRef: {secretName: absent}}");
        KstatusTool.Result noSecret = firstDecision(ns, "IpPool", "no-secret");
        assertThat(noSecret.status()).isEqualTo("Failed");
        assertThat(noSecret.message()).contains("absent");
        ArgoCdTestdata.check("IpPool", "degraded-missing-secret", live(ns, "IpPool", "no-secret"));

        apply(ns, "DomainPoolBinding", "unknown", "{domain: nowhere.example.net, ips: [198.51.100.13]}");
        KstatusTool.Result unknown = firstDecision(ns, "DomainPoolBinding", "unknown");
        assertThat(unknown.status()).isEqualTo("Failed");
        assertThat(unknown.message()).contains("nowhere.example.net");
        ArgoCdTestdata.check("DomainPoolBinding", "degraded-unknown-domain", live(ns, "DomainPoolBinding", "unknown"));

        apply(other, "DomainPoolBinding", "not-allowed", "{domain: news.example.com, ips: [198.51.100.13]}");
        KstatusTool.Result notAllowed = firstDecision(other, "DomainPoolBinding", "not-allowed");
        assertThat(notAllowed.status()).isEqualTo("Failed");
        assertThat(condition(other, "DomainPoolBinding", "not-allowed", "Stalled", "reason"))
                .isEqualTo("AccountNotAllowed");
        ArgoCdTestdata.check(
                "DomainPoolBinding", "degraded-account-not-allowed", live(other, "DomainPoolBinding", "not-allowed"));

        // waiting for work elsewhere is InProgress, never Failed
        apply(ns, "DomainPoolBinding", "waiting", "{domain: news.example.com, poolRef: {name: later}}");
        assertThat(firstDecision(ns, "DomainPoolBinding", "waiting").status()).isEqualTo("InProgress");
        assertThat(condition(ns, "DomainPoolBinding", "waiting", "Reconciling", "status"))
                .isEqualTo("True");
        ArgoCdTestdata.check("DomainPoolBinding", "progressing-reconciling", live(ns, "DomainPoolBinding", "waiting"));
        // Mailgun down: retried until it answers, so in progress, not failed
        mailgun.emulator.faults().add(Fault.status("GET", "^/v3/ip_pools$", 503));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> condition(ns, "IpPool", "ready", "Synced", "reason"), "AccountUnreachable"::equals);
        assertThat(kstatus(ns, "IpPool", "ready").status()).isEqualTo("InProgress");
        apply(ns, "IpPool", "unlucky", "{ips: [198.51.100.15]}");
        assertThat(firstDecision(ns, "IpPool", "unlucky").status()).isEqualTo("InProgress");
        ArgoCdTestdata.check("IpPool", "progressing-reconciling", live(ns, "IpPool", "unlucky"));
        mailgun.emulator.faults().clear();
        mailgun.awaitReady(api.admin, IpPool.class, ns, "unlucky");

        // a spec change: InProgress as soon as the API server has it, then Current
        IpPool changed = editIps("ready", ips -> ips.add("198.51.100.11"));
        assertThat(kstatus(changed).status()).isEqualTo("InProgress");
        awaitKstatus(ns, "IpPool", "ready", "Current");
        assertThat(mailgun.emulator.state().poolNamed("ready").orElseThrow().ips())
                .containsExactlyInAnyOrder("198.51.100.10", "198.51.100.11");

        // paused: Synced=False/ReconcilePaused, Reconciling=False, no Mailgun write, Suspended
        annotate("IpPool", "ready", ApiConstants.PAUSED_ANNOTATION, "true");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> condition(ns, "IpPool", "ready", "Synced", "reason"), "ReconcilePaused"::equals);
        assertThat(condition(ns, "IpPool", "ready", "Reconciling", "status")).isEqualTo("False");
        assertThat(condition(ns, "IpPool", "ready", "Ready", "status")).isEqualTo("True");
        int writesBefore = writes().size();
        editIps("ready", ips -> ips.remove("198.51.100.11"));
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> String.valueOf(((java.util.Map<?, ?>)
                                        live(ns, "IpPool", "ready").get("status"))
                                .get("observedGeneration")),
                        String.valueOf(live(ns, "IpPool", "ready").getMetadata().getGeneration())::equals);
        ArgoCdTestdata.check("IpPool", "suspended", live(ns, "IpPool", "ready"));
        sleep(Duration.ofSeconds(2));
        assertThat(writes()).as("Mailgun writes while paused").hasSize(writesBefore);
        assertThat(mailgun.emulator.state().poolNamed("ready").orElseThrow().ips())
                .hasSize(2);

        // resumed: the held change goes out within seconds
        annotate("IpPool", "ready", ApiConstants.PAUSED_ANNOTATION, null);
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> mailgun.emulator
                                .state()
                                .poolNamed("ready")
                                .orElseThrow()
                                .ips(),
                        ips -> ips.size() == 1);
        awaitKstatus(ns, "IpPool", "ready", "Current");

        // deletion -> Terminating; a paused deletion holds its finalizer and makes no call
        annotate("IpPool", "unlucky", ApiConstants.PAUSED_ANNOTATION, "true");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> condition(ns, "IpPool", "unlucky", "Synced", "reason"), "ReconcilePaused"::equals);
        api.admin.resources(IpPool.class).inNamespace(ns).withName("unlucky").delete();
        assertThat(kstatus(ns, "IpPool", "unlucky").status()).isEqualTo("Terminating");
        sleep(Duration.ofSeconds(2));
        assertThat(live(ns, "IpPool", "unlucky")).isNotNull();
        assertThat(condition(ns, "IpPool", "unlucky", "Synced", "message")).contains("Deletion waits");
        ArgoCdTestdata.check("IpPool", "progressing-deleting", live(ns, "IpPool", "unlucky"));
        assertThat(mailgun.emulator.state().poolNamed("unlucky")).isPresent();
        annotate("IpPool", "unlucky", ApiConstants.PAUSED_ANNOTATION, null);
        mailgun.awaitGone(api.admin, IpPool.class, ns, "unlucky");
        assertThat(mailgun.emulator.state().poolNamed("unlucky")).isEmpty();

        // a generation the operator has not seen yet (it is stopped): InProgress, Progressing
        annotate("DomainPoolBinding", "mail", ApiConstants.PAUSED_ANNOTATION, "true");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> condition(ns, "DomainPoolBinding", "mail", "Synced", "reason"), "ReconcilePaused"::equals);
        ArgoCdTestdata.check("DomainPoolBinding", "suspended", live(ns, "DomainPoolBinding", "mail"));
        operator.close();
        operator = null;
        editIps("ready", ips -> ips.add("198.51.100.16"));
        assertThat(kstatus(ns, "IpPool", "ready").status()).isEqualTo("InProgress");
        ArgoCdTestdata.check("IpPool", "progressing-generation", live(ns, "IpPool", "ready"));
    }

    @Test
    void aReconcileRequestReadsTheAccountAtOnceAndTheCorrectedDriftIsAWarningEvent() {
        ns = api.newNamespace("gitops-now");
        // a poll this slow never comes during the test: only the request can show the drift
        start(Set.of(), Set.of(ns), Duration.ofMinutes(30));
        apply(ns, "IpPool", "pool", "{ips: [198.51.100.10, 198.51.100.11]}");
        IpPool ready = mailgun.awaitReady(api.admin, IpPool.class, ns, "pool");
        String poolId = ready.getStatus().poolId();
        apply(ns, "DomainPoolBinding", "mail", "{domain: mail.example.com, poolRef: {name: pool}}");
        mailgun.awaitReady(api.admin, DomainPoolBinding.class, ns, "mail");
        try (MailgunClient dashboard = OkHttpMailgunClient.create(MailgunClientOptions.builder()
                .baseUrl(mailgun.emulator.url())
                .apiKey(EmulatedAccount.API_KEY)
                .build())) {
            dashboard.removePoolIp(poolId, "198.51.100.11");
            dashboard.legacyRemoveDomainPool("mail.example.com");
        }
        sleep(Duration.ofSeconds(2));
        assertThat(mailgun.emulator.state().poolNamed("pool").orElseThrow().ips())
                .containsExactly("198.51.100.10");
        assertThat(mailgun.emulator.state().linkedPool("mail.example.com")).isEmpty();

        annotate("IpPool", "pool", ApiConstants.RECONCILE_REQUESTED_ANNOTATION, "2026-12-06T10:00:00Z");
        annotate("DomainPoolBinding", "mail", ApiConstants.RECONCILE_REQUESTED_ANNOTATION, "1");

        await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> String.valueOf(((java.util.Map<?, ?>)
                                        live(ns, "IpPool", "pool").get("status"))
                                .get("lastHandledReconcileAt")),
                        "2026-12-06T10:00:00Z"::equals);
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> new TreeSet<>(mailgun.emulator
                                .state()
                                .poolNamed("pool")
                                .orElseThrow()
                                .ips()),
                        ips -> ips.equals(new TreeSet<>(List.of("198.51.100.10", "198.51.100.11"))));
        List<Event> drift = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            drift.clear();
            drift.addAll(api.admin.v1().events().inNamespace(ns).list().getItems().stream()
                    .filter(e -> "DriftCorrected".equals(e.getReason()))
                    .toList());
            return !drift.isEmpty();
        });
        // a batched link may wait for its pool's batch (linger, deferral under load) before it is sent
        await().atMost(Duration.ofSeconds(45))
                .until(
                        () -> mailgun.emulator.state().linkedPool("mail.example.com"),
                        linked -> linked.equals(java.util.Optional.of(poolId)));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            drift.clear();
            drift.addAll(api.admin.v1().events().inNamespace(ns).list().getItems().stream()
                    .filter(e -> "DriftCorrected".equals(e.getReason()))
                    .toList());
            return drift.size() == 2;
        });
        assertThat(drift)
                .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"))
                .anySatisfy(e -> {
                    assertThat(e.getInvolvedObject().getName()).isEqualTo("pool");
                    assertThat(e.getMessage())
                            .contains("ips: Mailgun has [198.51.100.10], the spec wants"
                                    + " [198.51.100.10, 198.51.100.11]");
                })
                .anySatisfy(e -> {
                    assertThat(e.getInvolvedObject().getName()).isEqualTo("mail");
                    assertThat(e.getMessage()).contains("linkedPoolId: Mailgun has no pool, the spec wants " + poolId);
                });
        assertThat(String.valueOf(((java.util.Map<?, ?>)
                                live(ns, "DomainPoolBinding", "mail").get("status"))
                        .get("lastHandledReconcileAt")))
                .isEqualTo("1");
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Edits spec.ips of an IpPool as a user would (kubectl edit). */
    @SuppressWarnings("unchecked")
    private IpPool editIps(String name, java.util.function.Consumer<List<String>> change) {
        GenericKubernetesResource r = api.admin
                .genericKubernetesResources(ApiConstants.API_VERSION, "IpPool")
                .inNamespace(ns)
                .withName(name)
                .edit(p -> {
                    java.util.Map<String, Object> spec = (java.util.Map<String, Object>)
                            p.getAdditionalProperties().get("spec");
                    List<String> ips = new ArrayList<>((List<String>) spec.get("ips"));
                    change.accept(ips);
                    spec.put("ips", ips);
                    return p;
                });
        return Serialization.jsonMapper().convertValue(r, IpPool.class);
    }
}
