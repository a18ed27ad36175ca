package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.account.Credentials;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.mapping.AccountPolicy;
import dev.ippools.mailgun.mapping.CredentialsResolver.DefaultAccount;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;

/**
 * Everything the runtime and the reconcilers are started with; {@code run} fills it from its
 * settings in one place, the local mode and the tests with short intervals.
 *
 * @param namespaces watched namespaces; empty means all
 * @param pollInterval how often each account is read; Secrets are re-read at most this often too
 * @param maxReconcileInterval a reconcile at least this often, as a safety net (costs no Mailgun
 *     call unless something changed)
 * @param useServerSideApply JOSDK's default; off only against API servers without SSA (the JOSDK's default; off only against API servers without SSA (the
 *     fabric8 mock server)
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
        Clock clock) {

    public OperatorConfig withPollInterval(Duration d) {
        return new OperatorConfig(
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

    public OperatorConfig withReconcile(ReconcileSettings r) {
        return new OperatorConfig(
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
                clock);
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
                clock);
    }

    public OperatorConfig withDefaultAccount(DefaultAccount account) {
        return new OperatorConfig(
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
                clock);
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
                clock);
    }

    /** The reconcilers' view: their timing, with the status write mode of this config. */
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
