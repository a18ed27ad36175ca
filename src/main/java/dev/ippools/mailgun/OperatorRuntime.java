package dev.ippools.mailgun;

import dev.ippools.mailgun.account.Credentials;
import dev.ippools.mailgun.account.MailgunAccounts;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.reconciler.Controllers;
import dev.ippools.mailgun.reconciler.CredentialsResolver.DefaultAccount;
import dev.ippools.mailgun.reconciler.ReconcileSettings;
import dev.ippools.mailgun.reconciler.SecretLookup;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
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
      Duration pollInterval,
      ReconcileSettings reconcile,
      Duration retryInitial,
      Duration retryMax,
      Duration maxReconcileInterval,
      boolean useServerSideApply,
      Function<Credentials, MailgunClient> clientFactory,
      Clock clock) {

    public Settings withPollInterval(Duration d) {
      return new Settings(namespaces, defaultAccount, d, reconcile, retryInitial, retryMax,
          maxReconcileInterval, useServerSideApply, clientFactory, clock);
    }

    public Settings withReconcile(ReconcileSettings r) {
      return new Settings(namespaces, defaultAccount, pollInterval, r, retryInitial, retryMax,
          maxReconcileInterval, useServerSideApply, clientFactory, clock);
    }

    public Settings withRetry(Duration initial, Duration max) {
      return new Settings(namespaces, defaultAccount, pollInterval, reconcile, initial, max,
          maxReconcileInterval, useServerSideApply, clientFactory, clock);
    }

    public Settings withServerSideApply(boolean ssa) {
      return new Settings(namespaces, defaultAccount, pollInterval, reconcile, retryInitial,
          retryMax, maxReconcileInterval, ssa, clientFactory, clock);
    }

    public Settings withDefaultAccount(DefaultAccount account) {
      return new Settings(namespaces, account, pollInterval, reconcile, retryInitial, retryMax,
          maxReconcileInterval, useServerSideApply, clientFactory, clock);
    }
  }

  /** Starts the operator on the given client; the client stays open on {@link #close()}. */
  public static OperatorRuntime start(KubernetesClient client, Settings settings) {
    MailgunAccounts accounts = new MailgunAccounts(settings.clientFactory(), settings.clock(),
        settings.pollInterval(), settings.pollInterval().multipliedBy(10));
    Operator operator = new Operator(o -> o.withKubernetesClient(client)
        .withCloseClientOnStop(false)
        .withUseSSAToPatchPrimaryResource(settings.useServerSideApply()));
    // Transient Mailgun or API-server trouble retries forever, backing off to retryMax.
    GenericRetry retry = new GenericRetry()
        .setInitialInterval(settings.retryInitial().toMillis())
        .setIntervalMultiplier(2)
        .setMaxInterval(settings.retryMax().toMillis())
        .withoutMaxAttempts();
    SecretLookup secrets = Controllers.register(operator, client, accounts,
        settings.defaultAccount(), settings.namespaces(), settings.reconcile(), retry,
        settings.maxReconcileInterval(), settings.clock());
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

  @Override
  public void close() {
    accounts.close();
    secrets.close();
    operator.stop();
  }
}
