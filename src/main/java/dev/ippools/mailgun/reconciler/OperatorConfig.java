package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.account.Credentials;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.mapping.AccountPolicy;
import dev.ippools.mailgun.mapping.CredentialsResolver.DefaultAccount;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;

/**
 * Everything the runtime, the controllers and the reconcilers are started with. {@code run}
 * fills it from its settings in one place; the local mode and the tests start from {@link #of}
 * and change what they need.
 *
 * @param namespaces watched namespaces; empty means all
 * @param pollInterval how often each account is read; Secrets are re-read at most this often too
 * @param reconcile the reconcilers' timing and options (its server-side apply flag is this
 *     config's, see {@link #reconcileSettings()})
 * @param retryInitial first back-off after a failed reconcile; doubles up to {@code retryMax}
 * @param maxReconcileInterval a reconcile at least this often, as a safety net (costs no Mailgun
 *     call unless something changed)
 * @param useServerSideApply JOSDK's default; off only against API servers without SSA (the
 *     fabric8 mock server)
 * @param leaderElection null to reconcile without holding a Lease (one replica, tests)
 * @param metrics where JOSDK reports reconciles
 * @param reconcileTerminationTimeout how long stopping lets in-flight reconciles finish
 */
public record OperatorConfig(
        Set<String> namespaces,
        DefaultAccount defaultAccount,
        AccountPolicy accountPolicy,
        Duration pollInterval,
        ReconcileSettings reconcile,
        Duration retryInitial,
        Duration retryMax,
        Duration maxReconcileInterval,
        boolean useServerSideApply,
        Function<Credentials, MailgunClient> clientFactory,
        Clock clock,
        LeaderElectionConfiguration leaderElection,
        Metrics metrics,
        Duration reconcileTerminationTimeout) {

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(60);
    public static final Duration DEFAULT_RETRY_INITIAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_RETRY_MAX = Duration.ofMinutes(5);
    // A safety net only: a reconcile without news costs no Mailgun call.
    public static final Duration DEFAULT_MAX_RECONCILE_INTERVAL = Duration.ofMinutes(10);

    /**
     * As {@code run} starts by default: every namespace, server-side apply, the system clock, no
     * leader election, no metrics, no wait for reconciles in flight on stop.
     */
    public static OperatorConfig of(
            DefaultAccount defaultAccount,
            AccountPolicy accountPolicy,
            Function<Credentials, MailgunClient> clientFactory) {
        return new OperatorConfig(
                Set.of(),
                defaultAccount,
                accountPolicy,
                DEFAULT_POLL_INTERVAL,
                ReconcileSettings.defaults(),
                DEFAULT_RETRY_INITIAL,
                DEFAULT_RETRY_MAX,
                DEFAULT_MAX_RECONCILE_INTERVAL,
                true,
                clientFactory,
                Clock.systemUTC(),
                null,
                Metrics.NOOP,
                Duration.ZERO);
    }

    public OperatorConfig {
        namespaces = Set.copyOf(namespaces);
    }

    public OperatorConfig withNamespaces(Set<String> watched) {
        return new OperatorConfig(
                watched,
                defaultAccount,
                accountPolicy,
                pollInterval,
                reconcile,
                retryInitial,
                retryMax,
                maxReconcileInterval,
                useServerSideApply,
                clientFactory,
                clock,
                leaderElection,
                metrics,
                reconcileTerminationTimeout);
    }

    public OperatorConfig withAccountPolicy(AccountPolicy policy) {
        return new OperatorConfig(
                namespaces,
                defaultAccount,
                policy,
                pollInterval,
                reconcile,
                retryInitial,
                retryMax,
                maxReconcileInterval,
                useServerSideApply,
                clientFactory,
                clock,
                leaderElection,
                metrics,
                reconcileTerminationTimeout);
    }

    public OperatorConfig withPollInterval(Duration interval) {
        return new OperatorConfig(
                namespaces,
                defaultAccount,
                accountPolicy,
                interval,
                reconcile,
                retryInitial,
                retryMax,
                maxReconcileInterval,
                useServerSideApply,
                clientFactory,
                clock,
                leaderElection,
                metrics,
                reconcileTerminationTimeout);
    }

    public OperatorConfig withReconcile(ReconcileSettings timing) {
        return new OperatorConfig(
                namespaces,
                defaultAccount,
                accountPolicy,
                pollInterval,
                timing,
                retryInitial,
                retryMax,
                maxReconcileInterval,
                useServerSideApply,
                clientFactory,
                clock,
                leaderElection,
                metrics,
                reconcileTerminationTimeout);
    }

    public OperatorConfig withRetry(Duration initial, Duration max) {
        return new OperatorConfig(
                namespaces,
                defaultAccount,
                accountPolicy,
                pollInterval,
                reconcile,
                initial,
                max,
                maxReconcileInterval,
                useServerSideApply,
                clientFactory,
                clock,
                leaderElection,
                metrics,
                reconcileTerminationTimeout);
    }

    public OperatorConfig withMaxReconcileInterval(Duration interval) {
        return new OperatorConfig(
                namespaces,
                defaultAccount,
                accountPolicy,
                pollInterval,
                reconcile,
                retryInitial,
                retryMax,
                interval,
                useServerSideApply,
                clientFactory,
                clock,
                leaderElection,
                metrics,
                reconcileTerminationTimeout);
    }

    public OperatorConfig withServerSideApply(boolean ssa) {
        return new OperatorConfig(
                namespaces,
                defaultAccount,
                accountPolicy,
                pollInterval,
                reconcile,
                retryInitial,
                retryMax,
                maxReconcileInterval,
                ssa,
                clientFactory,
                clock,
                leaderElection,
                metrics,
                reconcileTerminationTimeout);
    }

    public OperatorConfig withClientFactory(Function<Credentials, MailgunClient> factory) {
        return new OperatorConfig(
                namespaces,
                defaultAccount,
                accountPolicy,
                pollInterval,
                reconcile,
                retryInitial,
                retryMax,
                maxReconcileInterval,
                useServerSideApply,
                factory,
                clock,
                leaderElection,
                metrics,
                reconcileTerminationTimeout);
    }

    public OperatorConfig withLeaderElection(LeaderElectionConfiguration config) {
        return new OperatorConfig(
                namespaces,
                defaultAccount,
                accountPolicy,
                pollInterval,
                reconcile,
                retryInitial,
                retryMax,
                maxReconcileInterval,
                useServerSideApply,
                clientFactory,
                clock,
                config,
                metrics,
                reconcileTerminationTimeout);
    }

    public OperatorConfig withMetrics(Metrics m) {
        return new OperatorConfig(
                namespaces,
                defaultAccount,
                accountPolicy,
                pollInterval,
                reconcile,
                retryInitial,
                retryMax,
                maxReconcileInterval,
                useServerSideApply,
                clientFactory,
                clock,
                leaderElection,
                m,
                reconcileTerminationTimeout);
    }

    public OperatorConfig withReconcileTerminationTimeout(Duration timeout) {
        return new OperatorConfig(
                namespaces,
                defaultAccount,
                accountPolicy,
                pollInterval,
                reconcile,
                retryInitial,
                retryMax,
                maxReconcileInterval,
                useServerSideApply,
                clientFactory,
                clock,
                leaderElection,
                metrics,
                timeout);
    }

    /** The reconcilers' view: their timing, with this config's status write mode. */
    public ReconcileSettings reconcileSettings() {
        return reconcile.withServerSideApply(useServerSideApply);
    }

    /** Transient Mailgun or API-server trouble retries forever, backing off to retryMax. */
    GenericRetry retry() {
        return new GenericRetry()
                .setInitialInterval(retryInitial.toMillis())
                .setIntervalMultiplier(2)
                .setMaxInterval(retryMax.toMillis())
                .withoutMaxAttempts();
    }
}
