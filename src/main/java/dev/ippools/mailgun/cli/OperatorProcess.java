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
import dev.ippools.mailgun.reconciler.ReconcileSettings;
import dev.ippools.mailgun.runtime.OperatorRuntime.RunOptions;
import dev.ippools.mailgun.runtime.OperatorRuntime;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code run} starts around the reconcilers: metrics, the probe server and leader election,
 * and their orderly stop.
 */
final class OperatorProcess implements AutoCloseable {

  static final Duration RETRY_INITIAL = Duration.ofSeconds(1);
  static final Duration RETRY_MAX = Duration.ofMinutes(5);
  // A safety net only: a reconcile without news costs no Mailgun call.
  static final Duration MAX_RECONCILE_INTERVAL = Duration.ofMinutes(10);

  private static final Logger log = LoggerFactory.getLogger(OperatorProcess.class);

  /**
   * @param httpAddress where {@code /healthz}, {@code /readyz} and {@code /metrics} are served
   * @param lease the leader-election Lease, or null to reconcile without one
   * @param shutdownTimeout how long a stop waits for in-flight reconciles
   * @param serverSideApply off only for API servers without it (the fabric8 mock server)
   * @param createOutcomeWait how long a create whose answer was lost is looked for
   * @param deleteOrphanedPools delete empty, unlinked pools marked for IpPools that are gone
   * @param ownerId stamped into ownership markers; null: derived from the cluster
   */
  record Config(
      Set<String> namespaces,
      DefaultAccount defaultAccount,
      AccountPolicy accountPolicy,
      Duration pollInterval,
      Duration relinkPollInterval,
      double rateLimit,
      int rateBurst,
      InetSocketAddress httpAddress,
      Lease lease,
      Duration shutdownTimeout,
      boolean serverSideApply,
      Duration createOutcomeWait,
      boolean deleteOrphanedPools,
      String ownerId) {

    Config(
        Set<String> namespaces,
        DefaultAccount defaultAccount,
        AccountPolicy accountPolicy,
        Duration pollInterval,
        Duration relinkPollInterval,
        double rateLimit,
        int rateBurst,
        InetSocketAddress httpAddress,
        Lease lease,
        Duration shutdownTimeout,
        boolean serverSideApply,
        Duration createOutcomeWait,
        boolean deleteOrphanedPools) {
      this(namespaces, defaultAccount, accountPolicy, pollInterval, relinkPollInterval,
          rateLimit, rateBurst, httpAddress, lease, shutdownTimeout, serverSideApply,
          createOutcomeWait, deleteOrphanedPools, null);
    }
  }

  /** @param identity tells the replicas apart in the Lease (the pod name) */
  record Lease(String namespace, String name, String identity) {}

  private final KubernetesClient client;
  private final Config config;
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

  private OperatorProcess(KubernetesClient client, Config config, IntConsumer exit) {
    this.client = client;
    this.config = config;
    this.exit = exit;
    this.leading = new AtomicBoolean(config.lease() == null);
  }

  /**
   * Serves the probes, then starts the operator (which returns once its caches are synced).
   *
   * @param exit asked to end the process with this code when it must not go on (lost the Lease)
   */
  static OperatorProcess start(KubernetesClient client, Config config, IntConsumer exit) {
    OperatorProcess process = new OperatorProcess(client, config, exit);
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
    probes = ProbeServer.start(config.httpAddress(), this::liveness, this::readiness,
        metrics::scrape, OperatorMetrics.CONTENT_TYPE);
    log.info("Serving /healthz, /readyz and /metrics on port {}", probes.port());
    RunOptions run = RunOptions.defaults()
        .withMetrics(metrics.reconciles())
        .withReconcileTerminationTimeout(config.shutdownTimeout());
    if (config.lease() != null) {
      run = run.withLeaderElection(leaderElection(config.lease()));
    }
    runtime = OperatorRuntime.start(client, settings(), run);
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
    });
    log.info("Operator started: namespaces {}, default account {}, {}; default account for"
            + " namespaces {}, Mailgun base URLs {}",
        config.namespaces().isEmpty() ? "all" : config.namespaces(),
        describe(config.defaultAccount()),
        config.lease() == null ? "no leader election"
            : "leader election on Lease " + config.lease().namespace() + "/"
                + config.lease().name() + " as " + config.lease().identity(),
        new TreeSet<>(config.accountPolicy().defaultAccountNamespaces()),
        config.accountPolicy().allowedBaseUrls());
  }

  /**
   * --owner-id, else {@code cluster-<uid of kube-system>}: stable for a cluster's life and
   * different between clusters. Without read access to it, none (markers as before owner ids).
   */
  private String ownerId() {
    if (config.ownerId() != null) {
      return config.ownerId();
    }
    try {
      var kubeSystem = client.namespaces().withName("kube-system").get();
      if (kubeSystem != null && kubeSystem.getMetadata().getUid() != null) {
        String derived = "cluster-" + kubeSystem.getMetadata().getUid();
        log.info("Owner id {} (from the kube-system namespace; set --owner-id to choose one)",
            derived);
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

  private OperatorRuntime.Settings settings() {
    ReconcileSettings defaults = ReconcileSettings.defaults();
    return new OperatorRuntime.Settings(
        config.namespaces(),
        config.defaultAccount(),
        config.accountPolicy(),
        config.pollInterval(),
        new ReconcileSettings(
            config.relinkPollInterval(), defaults.waitRecheck(), defaults.domainResync())
            .withCreateOutcomeWait(config.createOutcomeWait())
            .withDeleteOrphanedPools(config.deleteOrphanedPools())
            .withOwnerId(ownerId()),
        RETRY_INITIAL,
        RETRY_MAX,
        MAX_RECONCILE_INTERVAL,
        config.serverSideApply(),
        new MailgunClients(config.rateLimit(), config.rateBurst(), metrics.mailgunCalls(),
            mailgunWrites),
        Clock.systemUTC());
  }

  private LeaderElectionConfiguration leaderElection(Lease lease) {
    return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(lease.name())
        .withLeaseNamespace(lease.namespace())
        .withIdentity(lease.identity())
        // JOSDK would call System.exit(1) even on an orderly stop; onStopLeading decides instead.
        .withExitOnStopLeading(false)
        .withLeaderCallbacks(new LeaderCallbacks(this::onStartLeading, this::onStopLeading,
            leader -> { }))
        .build();
  }

  private void onStartLeading() {
    leading.set(true);
    try {
      leaseWatch = LeaseWatch.start(client, config.lease(),
          holder -> leaseLost(lostLease() + " to " + holder));
    } catch (KubernetesClientException e) {
      // The elector's renew still notices a loss, only later.
      log.warn("Cannot watch the leader Lease; a lost Lease is noticed at the next renew: {}",
          e.getMessage());
    }
    log.info("Holding the leader Lease: reconciling");
  }

  private void onStopLeading() {
    leaseLost(lostLease());
  }

  private String lostLease() {
    return "lost the leader Lease " + config.lease().namespace() + "/" + config.lease().name();
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
      log.info("Stopping: waiting up to {} for reconciles in flight", config.shutdownTimeout());
      runtime.close();
    }
    LeaseWatch watch = leaseWatch;
    if (watch != null) {
      watch.close();
    }
    if (config.lease() != null && wasLeader) {
      releaseLease(config.lease());
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
      lock.update(client, new LeaderElectionRecord(
          null, Duration.ofSeconds(1), now, now, current.getLeaderTransitions()));
      log.info("Released the leader Lease {}/{}", lease.namespace(), lease.name());
    } catch (KubernetesClientException e) {
      log.warn("Could not release the leader Lease {}/{}; it expires by itself: {}",
          lease.namespace(), lease.name(), e.getMessage());
    }
  }

  private static String describe(DefaultAccount account) {
    if (account.secretName() != null) {
      return "from Secret " + account.secretNamespace() + "/" + account.secretName();
    }
    return account.credentials() != null ? "configured" : "none";
  }
}
