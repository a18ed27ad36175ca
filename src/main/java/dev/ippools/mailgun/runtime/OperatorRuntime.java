package dev.ippools.mailgun.runtime;

import dev.ippools.mailgun.account.Credentials;
import dev.ippools.mailgun.account.MailgunAccounts;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.mapping.AccountPolicy;
import dev.ippools.mailgun.mapping.CredentialsResolver.DefaultAccount;
import dev.ippools.mailgun.reconciler.Controllers;
import dev.ippools.mailgun.reconciler.ReconcileSettings;
import dev.ippools.mailgun.reconciler.SecretLookup;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;

/**
 * The composition root: one account registry and poller, both reconcilers, one JOSDK Operator.
 * The {@code run} command, the local mode and the tests all start the operator through here.
 */
public final class OperatorRuntime implements AutoCloseable {

    private final Operator operator;
    private final MailgunAccounts accounts;
    private final SecretLookup secrets;

    private OperatorRuntime(Operator operator, MailgunAccounts accounts, SecretLookup secrets) {
        this.operator = operator;
        this.accounts = accounts;
        this.secrets = secrets;
    }

    /**
     * @param useServerSideApply JOSDK's default; off only against API servers without SSA (the
     *     fabric8 mock server)
     */
    public record Settings(
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
            Clock clock) {

        public Settings withPollInterval(Duration d) {
            return new Settings(
                    namespaces,
                    defaultAccount,
                    accountPolicy,
                    d,
                    reconcile,
                    retryInitial,
                    retryMax,
                    maxReconcileInterval,
                    useServerSideApply,
                    clientFactory,
                    clock);
        }

        public Settings withReconcile(ReconcileSettings r) {
            return new Settings(
                    namespaces,
                    defaultAccount,
                    accountPolicy,
                    pollInterval,
                    r,
                    retryInitial,
                    retryMax,
                    maxReconcileInterval,
                    useServerSideApply,
                    clientFactory,
                    clock);
        }

        public Settings withRetry(Duration initial, Duration max) {
            return new Settings(
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
                    clock);
        }

        public Settings withServerSideApply(boolean ssa) {
            return new Settings(
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
                    clock);
        }

        public Settings withDefaultAccount(DefaultAccount account) {
            return new Settings(
                    namespaces,
                    account,
                    accountPolicy,
                    pollInterval,
                    reconcile,
                    retryInitial,
                    retryMax,
                    maxReconcileInterval,
                    useServerSideApply,
                    clientFactory,
                    clock);
        }

        public Settings withClientFactory(Function<Credentials, MailgunClient> factory) {
            return new Settings(
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
                    clock);
        }

        public Settings withAccountPolicy(AccountPolicy policy) {
            return new Settings(
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
                    clock);
        }
    }

    /**
     * How the operator process hosts the reconcilers; none of it changes what they do.
     *
     * @param leaderElection null to reconcile without holding a Lease (one replica, tests)
     * @param metrics where JOSDK reports reconciles
     * @param reconcileTerminationTimeout how long {@link #close()} lets in-flight reconciles finish
     */
    public record RunOptions(
            LeaderElectionConfiguration leaderElection, Metrics metrics, Duration reconcileTerminationTimeout) {

        public static RunOptions defaults() {
            return new RunOptions(null, Metrics.NOOP, Duration.ZERO);
        }

        public RunOptions withLeaderElection(LeaderElectionConfiguration config) {
            return new RunOptions(config, metrics, reconcileTerminationTimeout);
        }

        public RunOptions withMetrics(Metrics m) {
            return new RunOptions(leaderElection, m, reconcileTerminationTimeout);
        }

        public RunOptions withReconcileTerminationTimeout(Duration timeout) {
            return new RunOptions(leaderElection, metrics, timeout);
        }
    }

    /** Starts the operator on the given client; the client stays open on {@link #close()}. */
    public static OperatorRuntime start(KubernetesClient client, Settings settings) {
        return start(client, settings, RunOptions.defaults());
    }

    /** As {@link #start(KubernetesClient, Settings)}, with leader election and metrics. */
    public static OperatorRuntime start(KubernetesClient client, Settings settings, RunOptions run) {
        MailgunAccounts accounts = new MailgunAccounts(
                settings.clientFactory(),
                settings.clock(),
                settings.pollInterval(),
                settings.pollInterval().multipliedBy(10));
        Operator operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(settings.useServerSideApply())
                    .withMetrics(run.metrics())
                    .withReconciliationTerminationTimeout(run.reconcileTerminationTimeout());
            if (run.leaderElection() != null) {
                o.withLeaderElectionConfiguration(run.leaderElection());
            }
        });
        // Transient Mailgun or API-server trouble retries forever, backing off to retryMax.
        GenericRetry retry = new GenericRetry()
                .setInitialInterval(settings.retryInitial().toMillis())
                .setIntervalMultiplier(2)
                .setMaxInterval(settings.retryMax().toMillis())
                .withoutMaxAttempts();
        SecretLookup secrets = Controllers.register(
                operator,
                client,
                accounts,
                settings.defaultAccount(),
                settings.accountPolicy(),
                settings.namespaces(),
                settings.reconcile().withServerSideApply(settings.useServerSideApply()),
                retry,
                // Secrets are re-read at most once per poll interval, like the Mailgun accounts
                settings.maxReconcileInterval(),
                settings.pollInterval(),
                settings.clock());
        operator.start();
        secrets.start();
        accounts.start();
        return new OperatorRuntime(operator, accounts, secrets);
    }

    public MailgunAccounts accounts() {
        return accounts;
    }

    public Operator operator() {
        return operator;
    }

    /**
     * Stops the operator first, so reconciles still in flight (given the run options' termination
     * timeout) keep their Secret cache and Mailgun clients; then the Secret cache and the poller.
     */
    @Override
    public void close() {
        operator.stop();
        secrets.close();
        accounts.close();
    }
}
