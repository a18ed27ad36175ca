package dev.ippools.mailgun.cli;

import dev.ippools.mailgun.account.AccountKey;
import dev.ippools.mailgun.account.AccountListener;
import dev.ippools.mailgun.account.MailgunClients;
import dev.ippools.mailgun.account.PollHealth;
import dev.ippools.mailgun.client.WriteGate;
import dev.ippools.mailgun.health.HealthCheck.Status;
import dev.ippools.mailgun.health.OperatorHealth;
import dev.ippools.mailgun.health.ProbeServer;
import dev.ippools.mailgun.mapping.AccountPolicy;
import dev.ippools.mailgun.mapping.CredentialsResolver.DefaultAccount;
import dev.ippools.mailgun.metrics.OperatorMetrics;
import dev.ippools.mailgun.metrics.ResourceMetrics;
import dev.ippools.mailgun.reconciler.OperatorConfig;
import dev.ippools.mailgun.reconciler.ReconcileSettings;
import dev.ippools.mailgun.runtime.OperatorRuntime;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code run} starts, built from its {@link OperatorSettings} whole: metrics, the probe
 * server, leader election and the operator runtime, and their orderly stop. The one place the
 * settings are turned into what the runtime and the reconcilers take.
 */
final class OperatorProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OperatorProcess.class);

    /** @param identity tells the replicas apart in the Lease (the pod name) */
    record Lease(String namespace, String name, String identity) {}

    private final KubernetesClient client;
    private final OperatorSettings settings;
    private final String ownNamespace;
    private final AccountPolicy accountPolicy;
    private final DefaultAccount defaultAccount;
    // Null without leader election.
    private final Lease lease;
    private final IntConsumer exit;
    private final OperatorMetrics metrics = new OperatorMetrics();
    // Closed when the Lease is lost: JOSDK may still be mid-reconcile, the new leader already acts.
    private final WriteGate mailgunWrites = WriteGate.open();
    private final AtomicBoolean leading;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean leaseLost = new AtomicBoolean();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private volatile OperatorRuntime runtime;
    private volatile LeaseWatch leaseWatch;
    private ProbeServer probes;
    private boolean closed;

    private OperatorProcess(KubernetesClient client, OperatorSettings settings, IntConsumer exit) {
        this.client = client;
        this.settings = settings;
        this.exit = exit;
        this.ownNamespace = settings.ownNamespace(client.getConfiguration().getNamespace());
        this.accountPolicy = settings.accountPolicy(ownNamespace);
        this.defaultAccount = settings.defaultAccount(ownNamespace);
        this.lease = settings.lease(ownNamespace, System.getenv("HOSTNAME"));
        this.leading = new AtomicBoolean(lease == null);
    }

    /**
     * Serves the probes, then starts the operator (which returns once its caches are synced).
     *
     * @param exit asked to end the process with this code when it must not go on (lost the Lease)
     */
    static OperatorProcess start(KubernetesClient client, OperatorSettings settings, IntConsumer exit) {
        OperatorProcess process = new OperatorProcess(client, settings, exit);
        try {
            process.startAll();
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        return process;
    }

    private void startAll() {
        metrics.trackLeadership(leading::get);
        // Probes first: the kubelet's liveness probe must be answered while the caches sync.
        probes = ProbeServer.start(
                settings.httpAddress(), this::liveness, this::readiness, metrics::scrape, OperatorMetrics.CONTENT_TYPE);
        log.info("Serving /healthz, /readyz and /metrics on port {}", probes.port());
        runtime = OperatorRuntime.start(client, operatorConfig());
        metrics.trackResources(ResourceMetrics.cachedBy(runtime.operator()));
        runtime.accounts().addListener(new AccountListener() {
            @Override
            public void pollFailed(AccountKey account, PollHealth.Cause cause) {
                metrics.accounts().pollFailed(account.label(), cause.label());
            }

            @Override
            public void strayPools(AccountKey account, int duplicates, int orphans) {
                metrics.accounts().strayPools(account.label(), duplicates, orphans);
            }

            @Override
            public void driftCorrected(AccountKey account, String kind) {
                metrics.accounts().driftCorrected(kind);
            }
        });
        log.info(
                "Operator started: namespaces {}, default account {}, {}; default account for"
                        + " namespaces {}, Mailgun base URLs {}",
                settings.namespaces().isEmpty() ? "all" : settings.namespaces(),
                describe(defaultAccount),
                lease == null
                        ? "no leader election"
                        : "leader election on Lease " + lease.namespace() + "/" + lease.name() + " as "
                                + lease.identity(),
                new TreeSet<>(accountPolicy.defaultAccountNamespaces()),
                accountPolicy.allowedBaseUrls());
    }

    /**
     * --owner-id, else {@code cluster-<uid of kube-system>}: stable for a cluster's life and
     * different between clusters. Without read access to it, none (markers as before owner ids).
     */
    private String ownerId() {
        if (settings.ownerId() != null && !settings.ownerId().isBlank()) {
            return settings.ownerId().strip();
        }
        try {
            var kubeSystem = client.namespaces().withName("kube-system").get();
            if (kubeSystem != null && kubeSystem.getMetadata().getUid() != null) {
                String derived = "cluster-" + kubeSystem.getMetadata().getUid();
                log.info("Owner id {} (from the kube-system namespace; set --owner-id to choose one)", derived);
                return derived;
            }
        } catch (KubernetesClientException e) {
            log.debug("Cannot read the kube-system namespace: {}", e.getMessage());
        }
        log.warn("No owner id: the kube-system namespace cannot be read and --owner-id is not set;"
                + " operators of other clusters sharing a Mailgun account cannot tell this one's pools"
                + " apart");
        return null;
    }

    // The one translation of the settings into what the runtime and the reconcilers take.
    private OperatorConfig operatorConfig() {
        ReconcileSettings defaults = ReconcileSettings.defaults();
        return OperatorConfig.of(
                        defaultAccount,
                        accountPolicy,
                        new MailgunClients(
                                settings.rateLimit(), settings.rateBurst(), metrics.mailgunCalls(), mailgunWrites))
                .withNamespaces(settings.namespaces())
                .withPollInterval(settings.pollInterval())
                .withReconcile(new ReconcileSettings(
                                settings.relinkPollInterval(), defaults.waitRecheck(), defaults.domainResync())
                        .withCreateOutcomeWait(settings.createOutcomeWait())
                        .withDeleteOrphanedPools(settings.deleteOrphanedPools())
                        .withWarmupProgressInterval(settings.warmupProgressInterval())
                        .withOwnerId(ownerId()))
                .withServerSideApply(settings.serverSideApply())
                .withLeaderElection(lease == null ? null : leaderElection(lease))
                .withMetrics(metrics.reconciles())
                .withReconcileTerminationTimeout(settings.shutdownTimeout());
    }

    private LeaderElectionConfiguration leaderElection(Lease lease) {
        return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(lease.name())
                .withLeaseNamespace(lease.namespace())
                .withIdentity(lease.identity())
                // JOSDK would call System.exit(1) even on an orderly stop; onStopLeading decides instead.
                .withExitOnStopLeading(false)
                .withLeaderCallbacks(new LeaderCallbacks(this::onStartLeading, this::onStopLeading, leader -> {}))
                .build();
    }

    private void onStartLeading() {
        leading.set(true);
        try {
            leaseWatch = LeaseWatch.start(client, lease, holder -> leaseLost(lostLease() + " to " + holder));
        } catch (KubernetesClientException e) {
            // The elector's renew still notices a loss, only later.
            log.warn("Cannot watch the leader Lease; a lost Lease is noticed at the next renew: {}", e.getMessage());
        }
        log.info("Holding the leader Lease: reconciling");
    }

    private void onStopLeading() {
        leaseLost(lostLease());
    }

    private String lostLease() {
        return "lost the leader Lease " + lease.namespace() + "/" + lease.name();
    }

    // From the elector's failed renew or, usually seconds earlier, from the Lease watch.
    private void leaseLost(String why) {
        leading.set(false);
        if (stopping.get() || !leaseLost.compareAndSet(false, true)) {
            return;
        }
        // JOSDK goes on processing events after losing the Lease, while another replica may already
        // reconcile: leave, as client-go based operators do.
        // Fence first: from here on no Mailgun write leaves this process, even before it exits.
        mailgunWrites.close(why);
        failure.set(why);
        log.error("{}; exiting so that only the new leader reconciles", why);
        exit.accept(1);
    }

    private Status liveness() {
        OperatorRuntime r = runtime;
        return OperatorHealth.liveness(r == null ? null : r.operator(), failure.get(), stopping.get());
    }

    private Status readiness() {
        if (stopping.get()) {
            return Status.failing("stopping");
        }
        OperatorRuntime r = runtime;
        return OperatorHealth.readiness(r == null ? null : r.operator());
    }

    int httpPort() {
        return probes.port();
    }

    boolean isLeader() {
        return leading.get();
    }

    /** Whether Mailgun writes may still leave the process (false once the Lease was lost). */
    boolean mayWriteToMailgun() {
        return mailgunWrites.isOpen();
    }

    /**
     * Stops reconciling (in-flight reconciles get the shutdown timeout), hands the Lease over, and
     * closes the probe server last, so probes answer until the end.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopping.set(true);
        boolean wasLeader = leading.get();
        if (runtime != null) {
            log.info("Stopping: waiting up to {} for reconciles in flight", settings.shutdownTimeout());
            runtime.close();
        }
        LeaseWatch watch = leaseWatch;
        if (watch != null) {
            watch.close();
        }
        if (lease != null && wasLeader) {
            releaseLease(lease);
        }
        if (probes != null) {
            probes.close();
        }
        metrics.close();
        log.info("Operator stopped");
    }

    // As client-go's ReleaseOnCancel: a standby takes over now instead of when the Lease expires.
    private void releaseLease(Lease lease) {
        try {
            LeaseLock lock = new LeaseLock(lease.namespace(), lease.name(), lease.identity());
            LeaderElectionRecord current = lock.get(client);
            if (current == null || !lease.identity().equals(current.getHolderIdentity())) {
                return;
            }
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            lock.update(
                    client,
                    new LeaderElectionRecord(null, Duration.ofSeconds(1), now, now, current.getLeaderTransitions()));
            log.info("Released the leader Lease {}/{}", lease.namespace(), lease.name());
        } catch (KubernetesClientException e) {
            log.warn(
                    "Could not release the leader Lease {}/{}; it expires by itself: {}",
                    lease.namespace(),
                    lease.name(),
                    e.getMessage());
        }
    }

    private static String describe(DefaultAccount account) {
        if (account.secretName() != null) {
            return "from Secret " + account.secretNamespace() + "/" + account.secretName();
        }
        return account.credentials() != null ? "configured" : "none";
    }
}
