package dev.ippools.mailgun.e2e;

import static org.awaitility.Awaitility.await;

import dev.ippools.mailgun.account.MailgunClients;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ConditionTypes;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.client.MailgunCallListener;
import dev.ippools.mailgun.emulator.AccountFixture;
import dev.ippools.mailgun.emulator.EmulatorConfig;
import dev.ippools.mailgun.emulator.MailgunEmulator;
import dev.ippools.mailgun.mapping.AccountPolicy;
import dev.ippools.mailgun.mapping.CredentialsResolver.DefaultAccount;
import dev.ippools.mailgun.reconciler.OperatorConfig;
import dev.ippools.mailgun.reconciler.ReconcileSettings;
import dev.ippools.mailgun.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The Mailgun emulator with the sample account, the default-account Secret pointing at it, and
 * helpers to watch resources converge. The operator itself is started by each test, as it needs.
 */
final class EmulatedAccount implements AutoCloseable {

    static final String API_KEY = "key-e2e-0123456789abcdef";
    static final String SECRET = "mailgun";
    static final Duration CONVERGE = Duration.ofSeconds(60);

    final MailgunEmulator emulator;

    private EmulatedAccount(MailgunEmulator emulator) {
        this.emulator = emulator;
    }

    /** Starts an emulator and writes the account Secret {@link #SECRET} into {@code namespace}. */
    static EmulatedAccount emulatorFor(KubernetesClient admin, String namespace) {
        return emulatorFor(admin, namespace, SECRET);
    }

    /** Starts an emulator and writes the account Secret into {@code namespace} as admin. */
    static EmulatedAccount emulatorFor(KubernetesClient admin, String namespace, String secret) {
        return emulatorFor(
                admin, namespace, secret, AccountFixture.load(Path.of("config/samples/emulator-fixture.yaml")));
    }

    /** As above, with the account of the fixture file {@code fixture}. */
    static EmulatedAccount emulatorFor(KubernetesClient admin, String namespace, String secret, Path fixture) {
        return emulatorFor(admin, namespace, secret, AccountFixture.load(fixture));
    }

    /** As above, for the account {@code fixture} describes. */
    static EmulatedAccount emulatorFor(
            KubernetesClient admin, String namespace, String secret, AccountFixture fixture) {
        MailgunEmulator emulator = MailgunEmulator.start(
                EmulatorConfig.defaults().withPort(0).withFixture(fixture).withApiKey(API_KEY));
        admin.secrets()
                .inNamespace(namespace)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(secret)
                        .withNamespace(namespace)
                        .endMetadata()
                        .withStringData(Map.of("apiKey", API_KEY, "baseUrl", emulator.url()))
                        .build())
                .create();
        return new EmulatedAccount(emulator);
    }

    /** As {@link #settings(String, String, Set)} with the Secret {@link #SECRET}. */
    OperatorConfig settings(String namespace, Set<String> watched) {
        return settings(namespace, SECRET, watched);
    }

    /**
     * Fast intervals, server-side apply on (JOSDK's default, what {@code run} uses), the Secret
     * {@code namespace/secret} as the default account.
     *
     * @param watched namespaces to watch; empty means all
     */
    OperatorConfig settings(String namespace, String secret, Set<String> watched) {
        return settings(namespace, secret, watched, UnaryOperator.identity());
    }

    /** As above, with {@code tune} applied to the reconcile settings (owner id, orphan sweep). */
    OperatorConfig settings(
            String namespace, String secret, Set<String> watched, UnaryOperator<ReconcileSettings> tune) {
        return OperatorConfig.of(
                        DefaultAccount.secret(namespace, secret),
                        // the emulator is allowed explicitly, nothing else; every namespace may use the default
                        AccountPolicy.anyNamespace(List.of(emulator.url())),
                        new MailgunClients(100, 100, MailgunCallListener.NONE))
                .withNamespaces(watched)
                .withPollInterval(Duration.ofMillis(500))
                .withReconcile(tune.apply(
                        new ReconcileSettings(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(30))))
                .withRetry(Duration.ofMillis(200), Duration.ofSeconds(2))
                .withMaxReconcileInterval(Duration.ofMinutes(1));
    }

    /** {@code status/reason} of the Ready condition, {@code none} without one, {@code gone}. */
    static String ready(HasMetadata r) {
        if (r == null) {
            return "gone";
        }
        List<Condition> conditions = null;
        if (r instanceof IpPool p && p.getStatus() != null) {
            conditions = p.getStatus().conditions();
        } else if (r instanceof DomainPoolBinding b && b.getStatus() != null) {
            conditions = b.getStatus().conditions();
        }
        return conditions == null
                ? "none"
                : Conditions.find(conditions, ConditionTypes.READY)
                        .map(c -> c.getStatus() + "/" + c.getReason())
                        .orElse("none");
    }

    static <T extends HasMetadata> T get(KubernetesClient client, Class<T> type, String namespace, String name) {
        return client.resources(type).inNamespace(namespace).withName(name).get();
    }

    /** Waits until the resource's Ready condition reads {@code expected}, e.g. True/Available. */
    <T extends HasMetadata> T awaitReady(
            KubernetesClient client, Class<T> type, String namespace, String name, String expected) {
        try {
            await().atMost(CONVERGE)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> ready(get(client, type, namespace, name)), expected::equals);
        } catch (ConditionTimeoutException e) {
            T r = get(client, type, namespace, name);
            throw new AssertionError(
                    type.getSimpleName() + " " + namespace + "/" + name + " is "
                            + ready(r) + ", not " + expected + "; resource: " + r + "; Mailgun calls: "
                            + emulator.journal().entries(),
                    e);
        }
        return get(client, type, namespace, name);
    }

    <T extends HasMetadata> T awaitReady(KubernetesClient client, Class<T> type, String namespace, String name) {
        return awaitReady(client, type, namespace, name, "True/Available");
    }

    <T extends HasMetadata> void awaitGone(KubernetesClient client, Class<T> type, String namespace, String name) {
        try {
            await().atMost(CONVERGE)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> get(client, type, namespace, name) == null);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    type.getSimpleName() + " " + namespace + "/" + name
                            + " was not deleted: " + get(client, type, namespace, name) + "; Mailgun calls: "
                            + emulator.journal().entries(),
                    e);
        }
    }

    long calls(String endpoint) {
        return emulator.journal().entries(endpoint).size();
    }

    @Override
    public void close() {
        emulator.close();
    }
}
