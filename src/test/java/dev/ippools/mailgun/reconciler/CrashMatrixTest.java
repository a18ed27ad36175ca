package dev.ippools.mailgun.reconciler;

import static dev.ippools.mailgun.reconciler.Manifests.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ippools.mailgun.account.Credentials;
import dev.ippools.mailgun.account.MailgunClients;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.api.v1alpha1.IpPoolSpec;
import dev.ippools.mailgun.api.v1alpha1.PoolReference;
import dev.ippools.mailgun.api.v1alpha1.PoolReplacement;
import dev.ippools.mailgun.api.v1alpha1.WarmupPolicy;
import dev.ippools.mailgun.client.MailgunCallListener;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.emulator.AccountFixture;
import dev.ippools.mailgun.emulator.EmulatorSnapshot.PoolView;
import dev.ippools.mailgun.plan.OwnershipMarker;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every multi-call plan, with the operator stopped hard right after each of its Mailgun writes
 * (no further Mailgun call, no further Kubernetes write) and started again: it converges to the
 * spec with no duplicate pool, no IP lost and no domain left unlinked.
 */
@EnableKubernetesMockClient(crud = true)
class CrashMatrixTest {

    static final String SUB = "6a1b2c3d4e5f60718293a4b5";
    static final String DOMAIN = "mail.example.com";

    KubernetesMockServer server;
    KubernetesClient client;
    OperatorHarness h;

    /**
     * One scenario: phases of spec changes (each applied once the previous one converged) and
     * the Mailgun writes a run without a crash makes.
     */
    record Scenario(
            String name,
            int writes,
            List<Consumer<OperatorHarness>> phases,
            Predicate<OperatorHarness> converged,
            AccountFixture fixture) {
        Scenario(
                String name, int writes, List<Consumer<OperatorHarness>> phases, Predicate<OperatorHarness> converged) {
            this(name, writes, phases, converged, OperatorHarness.sampleFixture());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> crashes() {
        return scenarios().flatMap(s -> IntStream.rangeClosed(1, s.writes()).mapToObj(n -> Arguments.of(s, n)));
    }

    @ParameterizedTest(name = "{0}, stopped after write {1}")
    @MethodSource("crashes")
    void convergesAfterAHardStop(Scenario scenario, int stopAfter) {
        h = new OperatorHarness(client, scenario.fixture());
        Crash crash = new Crash(stopAfter);
        KubernetesClient doomed = server.createClient();
        h.startOn(
                doomed,
                h.settings(
                        OperatorHarness.reconcileSettings(),
                        crash.clients(new MailgunClients(500, 100, MailgunCallListener.NONE))));

        int phase = 0;
        for (; phase < scenario.phases().size() && !crash.happened(); phase++) {
            scenario.phases().get(phase).accept(h);
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> crash.happened() || allReady());
        }
        await().atMost(Duration.ofSeconds(30)).until(crash::happened);
        // The process dies: nothing more reaches Kubernetes or Mailgun from it.
        doomed.close();
        h.stopOperator();
        crash.release();

        h.start();
        // The phase in flight finishes first, then the rest follow as they would have.
        for (; phase < scenario.phases().size(); phase++) {
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(this::allReady);
            scenario.phases().get(phase).accept(h);
        }
        try {
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> allReady() && scenario.converged().test(h));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(
                    scenario + " after write " + stopAfter + " did not converge: "
                            + h.emulator.state().pools() + " "
                            + h
                                    .client
                                    .resources(IpPool.class)
                                    .inNamespace(OperatorHarness.NS)
                                    .list()
                                    .getItems()
                                    .stream()
                                    .map(p -> p.getMetadata().getName() + "=" + p.getStatus())
                                    .toList()
                            + " "
                            + h
                                    .client
                                    .resources(DomainPoolBinding.class)
                                    .inNamespace(OperatorHarness.NS)
                                    .list()
                                    .getItems()
                                    .stream()
                                    .map(p -> p.getMetadata().getName() + "=" + p.getStatus())
                                    .toList(),
                    e);
        }
        assertNoDuplicatePools();
    }

    /** The matrix covers every write: a run without a stop makes exactly the counted ones. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void aRunWithoutAStopMakesTheCountedWrites(Scenario scenario) {
        h = new OperatorHarness(client, scenario.fixture());
        Crash never = new Crash(Integer.MAX_VALUE);
        h.start(h.settings(
                OperatorHarness.reconcileSettings(),
                never.clients(new MailgunClients(500, 100, MailgunCallListener.NONE))));
        for (Consumer<OperatorHarness> phase : scenario.phases()) {
            phase.accept(h);
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(this::allReady);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> scenario.converged().test(h));
        // The proxy counts a write once its answer is back, a moment after Mailgun shows its effect.
        await().atMost(Duration.ofSeconds(5)).until(() -> never.writesMade() >= scenario.writes());
        assertThat(never.writesMade())
                .as("writes; journal: %s", h.emulator.journal().entries())
                .isEqualTo(scenario.writes());
        assertNoDuplicatePools();
    }

    private boolean allReady() {
        Stream<HasMetadata> all = Stream.concat(
                h.client.resources(IpPool.class).inNamespace(OperatorHarness.NS).list().getItems().stream(),
                h.client.resources(DomainPoolBinding.class).inNamespace(OperatorHarness.NS).list().getItems().stream());
        return all.allMatch(r -> OperatorHarness.ready(r).equals("True/Available"));
    }

    private void assertNoDuplicatePools() {
        Map<String, List<String>> byOwner = h.emulator.state().pools().stream()
                .filter(p -> OwnershipMarker.ownerUid(p.description()).isPresent())
                .collect(Collectors.groupingBy(
                        p -> OwnershipMarker.ownerUid(p.description()).get(),
                        Collectors.mapping(PoolView::id, Collectors.toList())));
        Set<String> live = h.client.resources(IpPool.class).inNamespace(OperatorHarness.NS).list().getItems().stream()
                .map(p -> p.getMetadata().getUid())
                .collect(Collectors.toSet());
        assertThat(byOwner.keySet())
                .as("marked pools belong to existing IpPools")
                .isEqualTo(live);
        assertThat(byOwner.values())
                .as("one pool per IpPool")
                .allSatisfy(ids -> assertThat(ids).hasSize(1));
    }

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
    }

    // ---- the scenarios

    static Stream<Scenario> scenarios() {
        return Stream.of(
                new Scenario(
                        "create then add IPs",
                        2,
                        List.of(
                                x -> x.apply(pool("a", null, List.of(), "198.51.100.10")),
                                x -> setIps(x, "a", "198.51.100.10", "198.51.100.11", "198.51.100.12")),
                        x -> poolHas(x, "a", "198.51.100.10", "198.51.100.11", "198.51.100.12")),
                new Scenario(
                        "move an IP between pools",
                        4,
                        List.of(
                                x -> {
                                    x.apply(pool("a", null, List.of(), "198.51.100.10", "198.51.100.11"));
                                    x.apply(pool("b", null, List.of(), "198.51.100.12"));
                                },
                                x -> {
                                    setIps(x, "a", "198.51.100.10");
                                    setIps(x, "b", "198.51.100.12", "198.51.100.11");
                                }),
                        x -> poolHas(x, "a", "198.51.100.10") && poolHas(x, "b", "198.51.100.11", "198.51.100.12")),
                new Scenario(
                        "pool to explicit IPs",
                        4,
                        List.of(
                                x -> {
                                    x.apply(pool("a", null, List.of(), "198.51.100.10", "198.51.100.11"));
                                    x.apply(binding("d", "a"));
                                },
                                x -> x.edit(DomainPoolBinding.class, "d", b -> {
                                    b.setSpec(yaml("""
                  apiVersion: mailgun.ippools.dev/v1alpha1
                  kind: DomainPoolBinding
                  metadata: {name: d}
                  spec: {domain: mail.example.com, ips: [198.51.100.12, 198.51.100.13]}
                  """, DomainPoolBinding.class).getSpec());
                                    return b;
                                })),
                        x -> x.emulator.state().linkedPool(DOMAIN).isEmpty()
                                && Set.copyOf(x.emulator.state().domainIps(DOMAIN))
                                        .equals(Set.of("198.51.100.12", "198.51.100.13"))
                                && poolHas(x, "a", "198.51.100.10", "198.51.100.11")),
                new Scenario(
                        "delete with replacement",
                        4,
                        List.of(
                                x -> {
                                    x.apply(pool("a", null, List.of(), "198.51.100.10"));
                                    x.apply(pool("b", null, List.of(), "198.51.100.11"));
                                    x.apply(yaml("""
                  apiVersion: mailgun.ippools.dev/v1alpha1
                  kind: DomainPoolBinding
                  metadata: {name: d}
                  spec: {domain: mail.example.com, poolRef: {name: a}, onDelete: Orphan}
                  """, DomainPoolBinding.class));
                                },
                                x -> {
                                    x.edit(IpPool.class, "a", p -> {
                                        IpPoolSpec s = p.getSpec();
                                        p.setSpec(new IpPoolSpec(
                                                s.name(),
                                                s.description(),
                                                s.ips(),
                                                s.delegatedTo(),
                                                s.poolId(),
                                                s.accountRef(),
                                                s.managementPolicy(),
                                                s.deletionPolicy(),
                                                new PoolReplacement(new PoolReference("b"), null, null)));
                                        return p;
                                    });
                                    x.client
                                            .resources(DomainPoolBinding.class)
                                            .inNamespace(OperatorHarness.NS)
                                            .withName("d")
                                            .delete();
                                },
                                // Once the binding is gone, as the pool's deletion would wait for it anyway.
                                x -> {
                                    await().atMost(Duration.ofSeconds(30)).until(() -> x.binding("d") == null);
                                    x.client
                                            .resources(IpPool.class)
                                            .inNamespace(OperatorHarness.NS)
                                            .withName("a")
                                            .delete();
                                }),
                        x -> x.pool("a") == null
                                && x.binding("d") == null
                                && x.emulator.state().poolNamed("a").isEmpty()
                                && x.emulator
                                        .state()
                                        .linkedPool(DOMAIN)
                                        .equals(x.emulator
                                                .state()
                                                .poolNamed("b")
                                                .map(PoolView::id))),
                // Accepted delegation changes are remembered in the process only: after a stop right
                // after the PUT or DELETE the next process may send it again before Mailgun lists it,
                // which is harmless; a stopped run is checked for convergence, not for its count.
                new Scenario(
                        "delegate and revoke",
                        3,
                        List.of(
                                x -> x.apply(pool("a", null, List.of(SUB), "198.51.100.10")),
                                x -> x.edit(IpPool.class, "a", p -> {
                                    IpPoolSpec s = p.getSpec();
                                    p.setSpec(new IpPoolSpec(
                                            s.name(),
                                            s.description(),
                                            s.ips(),
                                            List.of(),
                                            s.poolId(),
                                            s.accountRef(),
                                            s.managementPolicy(),
                                            s.deletionPolicy(),
                                            s.replacement()));
                                    return p;
                                })),
                        x -> poolHas(x, "a", "198.51.100.10")
                                && x.emulator
                                        .state()
                                        .poolNamed("a")
                                        .orElseThrow()
                                        .delegatedTo()
                                        .isEmpty()),
                // The start is recorded before it is sent: whichever write the stop follows, exactly
                // one warm-up is started, and the new IP joins once it is warm.
                new Scenario(
                        "start a warm-up, then add the warm IP",
                        3,
                        List.of(x -> x.apply(
                                warmingUp(pool("a", null, List.of(), "198.51.100.10", OperatorHarness.NEW_IP)))),
                        x -> poolHas(x, "a", "198.51.100.10", OperatorHarness.NEW_IP)
                                && x.calls("POST /v3/ip_warmups/{addr}") == 1,
                        OperatorHarness.warmupFixture(2, "PT1S")));
    }

    static IpPool warmingUp(IpPool p) {
        IpPoolSpec s = p.getSpec();
        p.setSpec(new IpPoolSpec(
                s.name(),
                s.description(),
                s.ips(),
                s.delegatedTo(),
                s.poolId(),
                s.accountRef(),
                s.managementPolicy(),
                s.deletionPolicy(),
                s.replacement(),
                WarmupPolicy.START,
                s.adoption()));
        return p;
    }

    static IpPool pool(String name, String unused, List<String> delegatedTo, String... ips) {
        IpPool p = yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: %s}
        spec: {}
        """.formatted(name), IpPool.class);
        p.setSpec(new IpPoolSpec(null, null, List.of(ips), delegatedTo, null, null, null, null, null));
        return p;
    }

    static DomainPoolBinding binding(String name, String pool) {
        return yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: DomainPoolBinding
        metadata: {name: %s}
        spec: {domain: mail.example.com, poolRef: {name: %s}}
        """.formatted(name, pool), DomainPoolBinding.class);
    }

    static void setIps(OperatorHarness x, String name, String... ips) {
        x.edit(IpPool.class, name, p -> {
            IpPoolSpec s = p.getSpec();
            p.setSpec(new IpPoolSpec(
                    s.name(),
                    s.description(),
                    List.of(ips),
                    s.delegatedTo(),
                    s.poolId(),
                    s.accountRef(),
                    s.managementPolicy(),
                    s.deletionPolicy(),
                    s.replacement()));
            return p;
        });
    }

    static boolean poolHas(OperatorHarness x, String name, String... ips) {
        return x.emulator
                .state()
                .poolNamed(name)
                .map(p -> Set.copyOf(p.ips()).equals(Set.of(ips)))
                .orElse(false);
    }

    // ---- the hard stop

    /** Lets {@code writesLeft} Mailgun writes through; the thread of the last one never returns. */
    static final class Crash {
        private final AtomicInteger writesLeft;
        private final CountDownLatch released = new CountDownLatch(1);
        private volatile boolean happened;

        private final int allowed;

        Crash(int writes) {
            this.allowed = writes;
            this.writesLeft = new AtomicInteger(writes);
        }

        int writesMade() {
            return allowed - writesLeft.get();
        }

        boolean happened() {
            return happened;
        }

        void release() {
            released.countDown();
        }

        Function<Credentials, MailgunClient> clients(Function<Credentials, MailgunClient> real) {
            return c -> wrap(real.apply(c));
        }

        private MailgunClient wrap(MailgunClient real) {
            return (MailgunClient) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {MailgunClient.class}, (proxy, method, args) -> {
                        String name = method.getName();
                        if (name.equals("close")) {
                            real.close();
                            return null;
                        }
                        if (happened) {
                            throw new IllegalStateException("the operator process is gone");
                        }
                        if (name.equals("onBehalfOf")) {
                            return wrap(real.onBehalfOf((String) args[0]));
                        }
                        if (name.equals("deferrable")) {
                            return wrap(real.deferrable());
                        }
                        boolean write = !(name.startsWith("list")
                                || name.startsWith("get")
                                || name.startsWith("legacyList")
                                || name.equals("rateLimiter"));
                        if (write && writesLeft.get() <= 0) {
                            throw new IllegalStateException("the operator process is gone");
                        }
                        Object result;
                        try {
                            result = method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        } finally {
                            if (write && writesLeft.decrementAndGet() == 0) {
                                happened = true;
                            }
                        }
                        if (write && happened) {
                            released.await();
                            throw new IllegalStateException("the operator process is gone");
                        }
                        return result;
                    });
        }
    }
}
