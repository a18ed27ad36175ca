package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.account.MailgunAccounts;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants;
import dev.ippools.mailgun.mapping.CredentialsResolver;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/** Registers both reconcilers on an Operator, sharing one account registry and Secret cache. */
public final class Controllers {

    private Controllers() {}

    /**
     * Registers the reconcilers; start the returned Secret cache after the Operator, so Secret
     * events find the reconcilers' caches ready.
     */
    public static SecretLookup register(
            Operator operator, KubernetesClient client, MailgunAccounts accounts, OperatorConfig config) {
        // Secrets are re-read at most once per poll interval, like the Mailgun accounts
        Clock clock = config.clock();
        ReconcileSettings settings = config.reconcileSettings();
        SecretLookup secrets = new SecretLookup(client, config.pollInterval(), clock);
        AccountScope scope = new AccountScope(
                accounts,
                new CredentialsResolver(secrets, secrets::lastRead, config.defaultAccount(), config.accountPolicy()),
                settings.ownerId());
        EventRecorder events = new EventRecorder(client, clock);
        var deps = new MailgunReconciler.Dependencies(scope, secrets, settings, clock, client, events);
        var pools = new IpPoolReconciler(deps);
        var bindings = new DomainPoolBindingReconciler(deps);
        // one informer per kind: each controller reads the other's
        pools.readBindingsFrom(bindings);
        bindings.readPoolsFrom(pools);
        StrayPoolSweep sweep = new StrayPoolSweep(scope, pools::cache, settings.deleteOrphanedPools());
        accounts.afterPoll(sweep::sweep);
        operator.register(pools, o -> configure(o, config));
        operator.register(bindings, o -> configure(o, config));
        return secrets;
    }

    private static <R extends HasMetadata> void configure(
            ControllerConfigurationOverrider<R> o, OperatorConfig config) {
        if (!config.namespaces().isEmpty()) {
            o.settingNamespaces(config.namespaces());
        }
        o.withRetry(config.retry());
        if (oneStoreFits(config.namespaces())) {
            o.withItemStore(withoutManagedFields());
        }
        // The first list of thousands of resources comes in pages, not as one response to hold.
        o.withInformerListLimit(INFORMER_PAGE);
        o.withReconciliationMaxInterval(config.maxReconcileInterval());
        // JOSDK's generation filter drops metadata-only updates; pause and reconcile requests are
        // annotations, so the same rules are spelled out here with those two added.
        o.withGenerationAware(false);
        o.withOnUpdateFilter(Controllers::worthReconciling);
    }

    /**
     * An informer store that drops {@code metadata.managedFields}. Server-side apply records every
     * field manager's fields as nested maps: at thousands of resources the largest part of the
     * informer caches, and nothing here reads them (status writes apply a fresh object, other
     * writes read the latest version from the API server).
     */
    static <R extends HasMetadata> ItemStore<R> withoutManagedFields() {
        return new TransformingItemStore<>(r -> {
            r.getMetadata().setManagedFields(null);
            return r;
        });
    }

    /**
     * Whether one store may serve the informer: JOSDK hands the same store to the informer of each
     * watched namespace, and one namespace's relist would then drop the others' resources. All
     * namespaces (JOSDK's marker) or a single one are safe.
     */
    static boolean oneStoreFits(Collection<String> namespaces) {
        return namespaces == null || namespaces.size() <= 1;
    }

    /** Resources per page of an informer's first list (and of each relist). */
    static final long INFORMER_PAGE = 500;

    /** A new generation, a finalizer added, a deletion begun, or a pause/reconcile annotation. */
    static boolean worthReconciling(HasMetadata now, HasMetadata before) {
        Long newGeneration = now.getMetadata().getGeneration();
        Long oldGeneration = before.getMetadata().getGeneration();
        return newGeneration == null
                || oldGeneration == null
                || newGeneration > oldGeneration
                || now.hasFinalizer(ApiConstants.FINALIZER) && !before.hasFinalizer(ApiConstants.FINALIZER)
                || now.isMarkedForDeletion() && !before.isMarkedForDeletion()
                || !Objects.equals(
                        annotation(now, ApiConstants.PAUSED_ANNOTATION),
                        annotation(before, ApiConstants.PAUSED_ANNOTATION))
                || !Objects.equals(
                        annotation(now, ApiConstants.RECONCILE_REQUESTED_ANNOTATION),
                        annotation(before, ApiConstants.RECONCILE_REQUESTED_ANNOTATION));
    }

    static String annotation(HasMetadata resource, String key) {
        Map<String, String> annotations = resource.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }
}
