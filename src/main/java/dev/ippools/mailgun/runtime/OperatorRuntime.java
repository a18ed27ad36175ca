package dev.ippools.mailgun.runtime;

import dev.ippools.mailgun.account.MailgunAccounts;
import dev.ippools.mailgun.reconciler.Controllers;
import dev.ippools.mailgun.reconciler.OperatorConfig;
import dev.ippools.mailgun.reconciler.SecretLookup;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.time.Duration;

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
    public static OperatorRuntime start(KubernetesClient client, OperatorConfig settings) {
        return start(client, settings, RunOptions.defaults());
    }

    /** As {@link #start(KubernetesClient, OperatorConfig)}, with leader election and metrics. */
    public static OperatorRuntime start(KubernetesClient client, OperatorConfig settings, RunOptions run) {
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
        SecretLookup secrets = Controllers.register(operator, client, accounts, settings);
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
