package dev.ippools.mailgun.cli;

import dev.ippools.mailgun.mapping.AccountPolicy;
import dev.ippools.mailgun.mapping.CredentialsResolver.DefaultAccount;
import dev.ippools.mailgun.plan.IpAddresses;
import dev.ippools.mailgun.plan.OwnershipMarker;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Every setting of {@code run}, with its flag, environment variable and default: the one place
 * they are listed. {@link RunCommand}'s options fill it, {@link OperatorProcess} is built from it
 * whole, and tests hold the chart, {@code run --help} and the README's table to it.
 *
 * @param namespaces watched namespaces; empty means all
 * @param defaultAccountSecret {@code name} or {@code namespace/name}; blank for none
 * @param defaultAccountNamespaces namespaces that may use the default account; empty: only the
 *     operator's own
 * @param operatorNamespace blank: the client's namespace, else {@code default}
 * @param httpBindAddress an IP literal, or blank for every interface
 * @param leaseNamespace blank: the operator's namespace
 * @param leaseIdentity blank: {@code HOSTNAME}, else a random id
 * @param serverSideApply off only for API servers without it (the fabric8 mock server)
 * @param ownerId blank: {@code cluster-<uid of kube-system>}, else none when that cannot be read
 */
public record OperatorSettings(
        @Setting(flag = "--kubeconfig", env = "KUBECONFIG", fallback = Setting.NO_FALLBACK)
        String kubeconfig,

        @Setting(flag = "--namespaces", env = "WATCH_NAMESPACES")
        Set<String> namespaces,

        @Setting(flag = "--default-account-secret", env = "DEFAULT_ACCOUNT_SECRET")
        String defaultAccountSecret,

        @Setting(flag = "--default-account-namespaces", env = "DEFAULT_ACCOUNT_NAMESPACES")
        Set<String> defaultAccountNamespaces,

        @Setting(
                flag = "--allowed-base-urls",
                env = "MAILGUN_ALLOWED_BASE_URLS",
                fallback = OperatorSettings.MAILGUN_BASE_URLS)
        List<String> allowedBaseUrls,

        @Setting(flag = "--operator-namespace", env = "POD_NAMESPACE")
        String operatorNamespace,

        @Setting(flag = "--poll-interval", env = "POLL_INTERVAL", fallback = "60s")
        Duration pollInterval,

        @Setting(flag = "--relink-poll-interval", env = "RELINK_POLL_INTERVAL", fallback = "5s")
        Duration relinkPollInterval,

        @Setting(flag = "--rate-limit", env = "MAILGUN_RATE_LIMIT", fallback = "10")
        double rateLimit,

        @Setting(flag = "--rate-burst", env = "MAILGUN_RATE_BURST", fallback = "20")
        int rateBurst,

        @Setting(flag = "--http-port", env = "HTTP_PORT", fallback = "8080")
        int httpPort,

        @Setting(flag = "--http-bind-address", env = "HTTP_BIND_ADDRESS")
        String httpBindAddress,

        @Setting(flag = "--log-format", env = "LOG_FORMAT", fallback = "text")
        Logging.Format logFormat,

        @Setting(flag = "--log-level", env = "LOG_LEVEL", fallback = "info")
        String logLevel,

        @Setting(flag = "--leader-election", env = "LEADER_ELECTION", fallback = "true")
        boolean leaderElection,

        @Setting(flag = "--lease-namespace", env = "LEASE_NAMESPACE")
        String leaseNamespace,

        @Setting(flag = "--lease-name", env = "LEASE_NAME", fallback = "mailgun-ip-pool-operator")
        String leaseName,

        @Setting(flag = "--lease-identity", env = "POD_NAME")
        String leaseIdentity,

        @Setting(flag = "--shutdown-timeout", env = "SHUTDOWN_TIMEOUT", fallback = "20s")
        Duration shutdownTimeout,

        @Setting(flag = "--create-outcome-wait", env = "CREATE_OUTCOME_WAIT", fallback = "2m")
        Duration createOutcomeWait,

        @Setting(flag = "--delete-orphaned-pools", env = "DELETE_ORPHANED_POOLS", fallback = "false")
        boolean deleteOrphanedPools,

        @Setting(flag = "--server-side-apply", env = "SERVER_SIDE_APPLY", fallback = "true")
        boolean serverSideApply,

        @Setting(flag = "--warmup-progress-interval", env = "WARMUP_PROGRESS_INTERVAL", fallback = "5m")
        Duration warmupProgressInterval,

        @Setting(flag = "--owner-id", env = "OWNER_ID") String ownerId) {

    static final String DEFAULT_NAMESPACE = "default";
    static final String MAILGUN_BASE_URLS = "https://api.mailgun.net,https://api.eu.mailgun.net";

    /**
     * A setting's flag, its environment variable and the default the variable falls back to
     * ({@code ""}: unset). The option's {@code defaultValue} is {@code ${env:ENV:-fallback}}.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    public @interface Setting {
        /** The variable alone: an unset one leaves the option null (fabric8 then looks itself). */
        String NO_FALLBACK = "\0none";

        String flag();

        String env();

        String fallback() default "";
    }

    public OperatorSettings {
        namespaces = Set.copyOf(namespaces);
        defaultAccountNamespaces = Set.copyOf(defaultAccountNamespaces);
        allowedBaseUrls = List.copyOf(allowedBaseUrls);
    }

    /** What is wrong with the settings, beyond what picocli checks (the kubeconfig aside). */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        requirePositive(problems, "--poll-interval", pollInterval);
        requirePositive(problems, "--relink-poll-interval", relinkPollInterval);
        requirePositive(problems, "--warmup-progress-interval", warmupProgressInterval);
        if (ownerId != null && !ownerId.isBlank() && !OwnershipMarker.isValidUid(ownerId.strip())) {
            problems.add("--owner-id must be a token without spaces or ], not '" + ownerId + "'");
        }
        requirePositive(problems, "--create-outcome-wait", createOutcomeWait);
        if (shutdownTimeout.isNegative()) {
            problems.add("--shutdown-timeout must not be negative");
        }
        if (!(rateLimit > 0)) {
            problems.add("--rate-limit must be above 0, not " + rateLimit);
        }
        if (rateBurst < 1) {
            problems.add("--rate-burst must be at least 1, not " + rateBurst);
        }
        if (httpPort < 0 || httpPort > 65535) {
            problems.add("--http-port must be between 0 and 65535, not " + httpPort);
        }
        if (!httpBindAddress.isBlank() && !IpAddresses.isValid(httpBindAddress.trim())) {
            problems.add("--http-bind-address must be an IP address, not '" + httpBindAddress + "'");
        }
        if (!Logging.isLevel(logLevel)) {
            problems.add("--log-level must be one of trace, debug, info, warn, error, off, not '" + logLevel + "'");
        }
        String[] secret = defaultAccountSecret.trim().split("/", -1);
        boolean secretValid = secret.length <= 2 && Arrays.stream(secret).noneMatch(String::isBlank);
        if (!defaultAccountSecret.isBlank() && !secretValid) {
            problems.add("--default-account-secret must be <name> or <namespace>/<name>, not '" + defaultAccountSecret
                    + "'");
        }
        if (allowedBaseUrls.isEmpty()) {
            problems.add("--allowed-base-urls must name at least one URL");
        }
        try {
            accountPolicy(DEFAULT_NAMESPACE);
        } catch (IllegalArgumentException e) {
            problems.add("--allowed-base-urls: " + e.getMessage());
        }
        if (leaderElection && leaseName.isBlank()) {
            problems.add("--lease-name must not be empty with leader election on");
        }
        return problems;
    }

    private static void requirePositive(List<String> problems, String option, Duration d) {
        if (d.isZero() || d.isNegative()) {
            problems.add(option + " must be above 0, not " + d);
        }
    }

    /** The operator's namespace: the setting, else the client's, else {@code default}. */
    String ownNamespace(String clientNamespace) {
        if (!operatorNamespace.isBlank()) {
            return operatorNamespace.trim();
        }
        return clientNamespace == null || clientNamespace.isBlank() ? DEFAULT_NAMESPACE : clientNamespace;
    }

    /** Unset namespaces: only the operator's own, where the default Secret lives. */
    AccountPolicy accountPolicy(String ownNamespace) {
        return new AccountPolicy(
                defaultAccountNamespaces.isEmpty() ? Set.of(ownNamespace) : defaultAccountNamespaces, allowedBaseUrls);
    }

    DefaultAccount defaultAccount(String ownNamespace) {
        String secret = defaultAccountSecret.trim();
        if (secret.isEmpty()) {
            return DefaultAccount.none();
        }
        int slash = secret.indexOf('/');
        return slash < 0
                ? DefaultAccount.secret(ownNamespace, secret)
                : DefaultAccount.secret(secret.substring(0, slash), secret.substring(slash + 1));
    }

    InetSocketAddress httpAddress() {
        return httpBindAddress.isBlank()
                ? new InetSocketAddress(httpPort)
                // An IP literal (checked in problems()), so no name lookup happens here.
                : new InetSocketAddress(httpBindAddress.trim(), httpPort);
    }

    /** The Lease to hold, or null without leader election. */
    OperatorProcess.Lease lease(String ownNamespace, String hostname) {
        if (!leaderElection) {
            return null;
        }
        return new OperatorProcess.Lease(
                leaseNamespace.isBlank() ? ownNamespace : leaseNamespace.trim(),
                leaseName.trim(),
                leaseIdentity(hostname));
    }

    // Under hostNetwork HOSTNAME is the node's name, so the chart passes the pod's as POD_NAME.
    String leaseIdentity(String hostname) {
        if (!leaseIdentity.isBlank()) {
            return leaseIdentity.trim();
        }
        return hostname == null || hostname.isBlank() ? UUID.randomUUID().toString() : hostname.trim();
    }
}
