package dev.ippools.mailgun.runtime;

import dev.ippools.mailgun.account.MailgunAccounts;
import dev.ippools.mailgun.reconciler.Controllers;
import dev.ippools.mailgun.reconciler.OperatorConfig;
import dev.ippools.mailgun.reconciler.SecretLookup;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;

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

    /** Starts the operator on the given client; the client stays open on {@link #close()}. */
    public static OperatorRuntime start(KubernetesClient client, OperatorConfig config) {
        MailgunAccounts accounts = new MailgunAccounts(
                config.clientFactory(),
                config.clock(),
                config.pollInterval(),
                config.pollInterval().multipliedBy(10));
        Operator operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(config.useServerSideApply())
                    .withMetrics(config.metrics())
                    .withReconciliationTerminationTimeout(config.reconcileTerminationTimeout());
            if (config.leaderElection() != null) {
                o.withLeaderElectionConfiguration(config.leaderElection());
            }
        });
        SecretLookup secrets = Controllers.register(operator, client, accounts, config);
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
     * Stops the operator first, so reconciles still in flight (given the config's termination
     * timeout) keep their Secret cache and Mailgun clients; then the Secret cache and the poller.
     */
    @Override
    public void close() {
        operator.stop();
        secrets.close();
        accounts.close();
    }
}
