package dev.ippools.mailgun.cli;

import dev.ippools.mailgun.mapping.AccountPolicy;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code run}, the default command: the operator itself, in a cluster or from a kubeconfig. Every
 * option can also be set through the environment variable named in its description; the options
 * are the fields of {@link OperatorSettings}, which lists each one's variable and default.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run the operator: reconcile IpPools and DomainPoolBindings against Mailgun.",
            "Serves /healthz, /readyz and /metrics; stops cleanly on SIGTERM or Ctrl-C."
        })
public final class RunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--kubeconfig",
            paramLabel = "<file>",
            defaultValue = "${env:KUBECONFIG}",
            description = "Kubeconfig file (env KUBECONFIG). Default: ~/.kube/config if it exists,"
                    + " else the in-cluster service account.")
    String kubeconfig;

    @Option(
            names = "--namespaces",
            paramLabel = "<ns,...>",
            defaultValue = "${env:WATCH_NAMESPACES:-}",
            description = "Namespaces to watch, comma-separated (env WATCH_NAMESPACES). Default: all.")
    String namespaces;

    @Option(
            names = "--default-account-secret",
            paramLabel = "<[namespace/]name>",
            defaultValue = "${env:DEFAULT_ACCOUNT_SECRET:-}",
            description = "Secret of the Mailgun account for resources without spec.accountRef (env"
                    + " DEFAULT_ACCOUNT_SECRET); a bare name is in the operator's namespace. Default: none.")
    String defaultAccountSecret;

    @Option(
            names = "--default-account-namespaces",
            paramLabel = "<ns,...|*>",
            defaultValue = "${env:DEFAULT_ACCOUNT_NAMESPACES:-}",
            description = "Namespaces whose resources may use the default account, comma-separated;"
                    + " * for all (env DEFAULT_ACCOUNT_NAMESPACES). Others must set spec.accountRef."
                    + " Default: only the operator's own namespace.")
    String defaultAccountNamespaces;

    @Option(
            names = "--allowed-base-urls",
            paramLabel = "<url,...>",
            defaultValue = "${env:MAILGUN_ALLOWED_BASE_URLS:-" + OperatorSettings.MAILGUN_BASE_URLS + "}",
            description = "Mailgun API base URLs (prefixes) a Secret's baseUrl or region may name,"
                    + " comma-separated (env MAILGUN_ALLOWED_BASE_URLS); the operator sends nothing"
                    + " elsewhere. Default: ${DEFAULT-VALUE}.")
    String allowedBaseUrls;

    @Option(
            names = "--operator-namespace",
            paramLabel = "<ns>",
            defaultValue = "${env:POD_NAMESPACE:-}",
            description = "The operator's own namespace (env POD_NAMESPACE). Default: the client's"
                    + " namespace (in a pod: the service account's), else 'default'.")
    String operatorNamespace;

    @Option(
            names = "--poll-interval",
            paramLabel = "<duration>",
            defaultValue = "${env:POLL_INTERVAL:-60s}",
            converter = OptionConverters.UnitDuration.class,
            description = "How often each Mailgun account is read, e.g. 30s, 5m (env POLL_INTERVAL)."
                    + " Default: ${DEFAULT-VALUE}.")
    Duration pollInterval;

    @Option(
            names = "--relink-poll-interval",
            paramLabel = "<duration>",
            defaultValue = "${env:RELINK_POLL_INTERVAL:-5s}",
            converter = OptionConverters.UnitDuration.class,
            description = "How soon to look again while Mailgun moves domains between pools (env"
                    + " RELINK_POLL_INTERVAL). Default: ${DEFAULT-VALUE}.")
    Duration relinkPollInterval;

    @Option(
            names = "--warmup-progress-interval",
            paramLabel = "<duration>",
            defaultValue = "${env:WARMUP_PROGRESS_INTERVAL:-5m}",
            converter = OptionConverters.UnitDuration.class,
            description = "How often the progress of IP warm-ups a pool waits for is read, one call per"
                    + " account (env WARMUP_PROGRESS_INTERVAL). Default: ${DEFAULT-VALUE}.")
    Duration warmupProgressInterval;

    @Option(
            names = "--rate-limit",
            paramLabel = "<calls/s>",
            defaultValue = "${env:MAILGUN_RATE_LIMIT:-10}",
            description =
                    "Mailgun calls per second per account (env MAILGUN_RATE_LIMIT)." + " Default: ${DEFAULT-VALUE}.")
    double rateLimit;

    @Option(
            names = "--rate-burst",
            paramLabel = "<calls>",
            defaultValue = "${env:MAILGUN_RATE_BURST:-20}",
            description = "Mailgun calls an account may make at once after a quiet spell (env"
                    + " MAILGUN_RATE_BURST). Default: ${DEFAULT-VALUE}.")
    int rateBurst;

    @Option(
            names = "--http-port",
            paramLabel = "<port>",
            defaultValue = "${env:HTTP_PORT:-8080}",
            description = "Port for /healthz, /readyz and /metrics; 0 picks a free one (env HTTP_PORT)."
                    + " Default: ${DEFAULT-VALUE}.")
    int httpPort;

    @Option(
            names = "--http-bind-address",
            paramLabel = "<ip>",
            defaultValue = "${env:HTTP_BIND_ADDRESS:-}",
            description = "IP address the HTTP port listens on, e.g. 127.0.0.1 for a hostNetwork pod"
                    + " (env HTTP_BIND_ADDRESS). Default: every interface.")
    String httpBindAddress;

    @Option(
            names = "--log-format",
            paramLabel = "<text|json>",
            defaultValue = "${env:LOG_FORMAT:-text}",
            converter = OptionConverters.LogFormat.class,
            description = "Log lines as text or as JSON objects (env LOG_FORMAT). Default: text.")
    Logging.Format logFormat;

    @Option(
            names = "--log-level",
            paramLabel = "<level>",
            defaultValue = "${env:LOG_LEVEL:-info}",
            description = "trace, debug, info, warn, error or off (env LOG_LEVEL). Default: info.")
    String logLevel;

    @Option(
            names = "--leader-election",
            paramLabel = "<true|false>",
            arity = "0..1",
            fallbackValue = "true",
            defaultValue = "${env:LEADER_ELECTION:-true}",
            description = "Reconcile only while holding a Lease, so replicas can stand by (env"
                    + " LEADER_ELECTION). Default: ${DEFAULT-VALUE}.")
    boolean leaderElection;

    @Option(
            names = "--lease-namespace",
            paramLabel = "<ns>",
            defaultValue = "${env:LEASE_NAMESPACE:-}",
            description =
                    "Namespace of the leader Lease (env LEASE_NAMESPACE). Default: the" + " operator's namespace.")
    String leaseNamespace;

    @Option(
            names = "--lease-name",
            paramLabel = "<name>",
            defaultValue = "${env:LEASE_NAME:-mailgun-ip-pool-operator}",
            description = "Name of the leader Lease (env LEASE_NAME). Default: ${DEFAULT-VALUE}.")
    String leaseName;

    @Option(
            names = "--lease-identity",
            paramLabel = "<id>",
            defaultValue = "${env:POD_NAME:-}",
            description = "This replica's name in the Lease (env POD_NAME, the pod's name from the"
                    + " downward API). Default: HOSTNAME, else a random id.")
    String leaseIdentity;

    @Option(
            names = "--shutdown-timeout",
            paramLabel = "<duration>",
            defaultValue = "${env:SHUTDOWN_TIMEOUT:-20s}",
            converter = OptionConverters.UnitDuration.class,
            description = "How long a stop waits for reconciles in flight (env SHUTDOWN_TIMEOUT); keep"
                    + " it below the pod's termination grace period. Default: ${DEFAULT-VALUE}.")
    Duration shutdownTimeout;

    @Option(
            names = "--create-outcome-wait",
            paramLabel = "<duration>",
            defaultValue = "${env:CREATE_OUTCOME_WAIT:-2m}",
            converter = OptionConverters.UnitDuration.class,
            description = "After a pool create whose answer was lost, how long the operator looks for"
                    + " the pool before it may create again (env CREATE_OUTCOME_WAIT); covers the client's"
                    + " 60s call timeout plus the time Mailgun may still finish the request."
                    + " Default: ${DEFAULT-VALUE}.")
    Duration createOutcomeWait;

    @Option(
            names = "--delete-orphaned-pools",
            paramLabel = "<true|false>",
            arity = "0..1",
            fallbackValue = "true",
            defaultValue = "${env:DELETE_ORPHANED_POOLS:-false}",
            description = "Delete Mailgun pools marked for an IpPool that no longer exists, when they"
                    + " are empty and unlinked (env DELETE_ORPHANED_POOLS). Only safe when this operator"
                    + " sees every namespace that has IpPools of the account. Default: ${DEFAULT-VALUE}.")
    boolean deleteOrphanedPools;

    @Option(
            names = "--owner-id",
            paramLabel = "<id>",
            defaultValue = "${env:OWNER_ID:-}",
            description = "This operator's owner id, stamped into the ownership marker of its pools so"
                    + " operators of several clusters can share one Mailgun account: each writes, adopts"
                    + " and sweeps only pools of its own owner id (env OWNER_ID). A token without spaces"
                    + " or ]. Default: cluster-<uid of the kube-system namespace>, which differs between"
                    + " clusters; without read access to it, none (markers without an owner id).")
    String ownerId;

    @Option(
            names = "--server-side-apply",
            paramLabel = "<true|false>",
            arity = "0..1",
            fallbackValue = "true",
            defaultValue = "${env:SERVER_SIDE_APPLY:-true}",
            description = "Write status with server-side apply (env SERVER_SIDE_APPLY); false only for"
                    + " test API servers without it. Default: ${DEFAULT-VALUE}.")
    boolean serverSideApply;

    private final StopHandshake stopping = new StopHandshake();

    @Override
    public Integer call() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            problems.forEach(p -> err.println("run: " + p));
            err.flush();
            return 2;
        }
        Logging.configure(logFormat, logLevel);
        KubernetesClient client;
        try {
            client = kubernetesClient();
        } catch (RuntimeException e) {
            log.error("Cannot configure the Kubernetes client: {}", e.getMessage());
            return 1;
        }
        List<Runnable> restoreSignals = handleSignals();
        stopping.installHook("operator-shutdown", shutdownTimeout.plusSeconds(10), this::stop);
        try (client) {
            OperatorProcess process;
            try {
                process = OperatorProcess.start(client, settings(), this::exit);
            } catch (RuntimeException e) {
                log.error("The operator could not start", e);
                return 1;
            }
            try {
                stopping.awaitRequest();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                process.close();
            }
            return stopping.exitCode();
        } finally {
            stopping.finished();
            restoreSignals.forEach(Runnable::run);
        }
    }

    /** Asks a running {@link #call()} to stop the operator and return 0. */
    public void stop() {
        exit(0);
    }

    private void exit(int code) {
        stopping.request(code);
    }

    /** The options as one record; everything {@code run} starts is built from it. */
    OperatorSettings settings() {
        return new OperatorSettings(
                kubeconfig,
                AccountPolicy.list(namespaces),
                defaultAccountSecret,
                AccountPolicy.list(defaultAccountNamespaces),
                List.copyOf(AccountPolicy.list(allowedBaseUrls)),
                operatorNamespace,
                pollInterval,
                relinkPollInterval,
                rateLimit,
                rateBurst,
                httpPort,
                httpBindAddress,
                logFormat,
                logLevel,
                leaderElection,
                leaseNamespace,
                leaseName,
                leaseIdentity,
                shutdownTimeout,
                createOutcomeWait,
                deleteOrphanedPools,
                serverSideApply,
                warmupProgressInterval,
                ownerId == null ? "" : ownerId.strip());
    }

    /** What is wrong with the options, beyond what picocli checks. */
    List<String> problems() {
        List<String> problems = new ArrayList<>(settings().problems());
        if (kubeconfig != null && kubeconfig.contains(File.pathSeparator)) {
            // fabric8 merges a list only when it reads KUBECONFIG itself.
            if (spec.commandLine().getParseResult().hasMatchedOption("--kubeconfig")) {
                problems.add("--kubeconfig takes one file; set KUBECONFIG for a list of files");
            }
        } else if (kubeconfig != null && !kubeconfig.isBlank() && !new File(kubeconfig).isFile()) {
            problems.add("--kubeconfig: no such file: " + kubeconfig);
        }
        return problems;
    }

    KubernetesClient kubernetesClient() {
        return kubernetesClient(kubeconfig);
    }

    /** The client for a kubeconfig file, or for KUBECONFIG, ~/.kube/config or the service account. */
    static KubernetesClient kubernetesClient(String kubeconfig) {
        // A KUBECONFIG list (a:b) is left to fabric8, which merges it as kubectl does.
        Config config = kubeconfig == null || kubeconfig.isBlank() || kubeconfig.contains(File.pathSeparator)
                ? Config.autoConfigure(null)
                : Config.fromKubeconfig(new File(kubeconfig));
        return new KubernetesClientBuilder()
                .withConfig(withoutTokenRereads(config))
                .withKubernetesSerialization(KubeJson.withoutManagedFields())
                .build();
    }

    /**
     * A config whose credentials are no token (client certificates) gets a token provider that has
     * none: fabric8 otherwise reads and parses the kubeconfig again before every request once a
     * minute has passed, as it counts a refresh as done only when it brings a token. Tokens, exec
     * plugins and auth providers keep fabric8's refresh.
     */
    static Config withoutTokenRereads(Config config) {
        boolean noToken = config.getOauthToken() == null
                && config.getAutoOAuthToken() == null
                && config.getOauthTokenProvider() == null
                && config.getAuthProvider() == null
                && (config.getUsername() == null || config.getPassword() == null);
        if (noToken) {
            config.setOauthTokenProvider(() -> null);
        }
        return config;
    }

    // SIGTERM (the kubelet) and SIGINT (Ctrl-C) stop the operator and end with exit code 0, which a
    // shutdown hook cannot do: the JVM exits with 143 or 130 once it has run the hooks.
    private List<Runnable> handleSignals() {
        List<Runnable> restore = new ArrayList<>();
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal signal = new Signal(name);
                SignalHandler previous = Signal.handle(signal, s -> onSignal(name));
                restore.add(() -> Signal.handle(signal, previous));
            } catch (IllegalArgumentException unavailable) {
                // The JVM reserves it (-Xrs) or the platform lacks it: the shutdown hook still stops.
            }
        }
        return restore;
    }

    private void onSignal(String name) {
        if (stopping.isRequested()) {
            log.warn("SIG{} again: exiting without waiting for reconciles in flight", name);
            Runtime.getRuntime().halt(1);
        } else {
            log.info("SIG{} received: shutting down", name);
            stop();
        }
    }
}
