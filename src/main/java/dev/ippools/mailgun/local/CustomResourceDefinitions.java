package dev.ippools.mailgun.local;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Installs CRDs and waits until the API server serves them. */
public final class CustomResourceDefinitions {

    /** The field manager of everything the local mode applies. */
    public static final String FIELD_MANAGER = "mailgun-ip-pool-operator-local";

    private CustomResourceDefinitions() {}

    /** Applies each CRD (server-side) and waits until all are Established. */
    public static void install(KubernetesClient client, List<CustomResourceDefinition> crds, Duration timeout) {
        for (CustomResourceDefinition crd : crds) {
            client.resource(crd).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        }
        for (CustomResourceDefinition crd : crds) {
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName(crd.getMetadata().getName())
                    .waitUntilCondition(
                            CustomResourceDefinitions::established, timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    public static boolean established(CustomResourceDefinition crd) {
        if (crd == null || crd.getStatus() == null || crd.getStatus().getConditions() == null) {
            return false;
        }
        List<CustomResourceDefinitionCondition> conditions = crd.getStatus().getConditions();
        return conditions.stream().anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
