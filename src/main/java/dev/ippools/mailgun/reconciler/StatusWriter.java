package dev.ippools.mailgun.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.function.UnaryOperator;

/**
 * Writes a status the way the API server supports. With server-side apply (the default) JOSDK
 * applies a fresh object that holds only the status, which needs no base version. Without it,
 * JOSDK would send a JSON patch computed against its cached copy, which can be a write behind;
 * then the status is written here against the latest version the server returns instead.
 */
final class StatusWriter {

    private final boolean serverSideApply;
    private final String fieldManager;

    /** @param fieldManager JOSDK's for this controller (its name), so both own the same fields */
    StatusWriter(boolean serverSideApply, String fieldManager) {
        this.serverSideApply = serverSideApply;
        this.fieldManager = fieldManager;
    }

    /**
     * Writes a status now, outside a reconcile's result: with server-side apply one request that
     * applies the status-only object, as JOSDK does; otherwise onto the latest version. Returns
     * the resource as written.
     */
    <R extends HasMetadata> R writeNow(KubernetesClient client, R resource, R withStatusOnly, UnaryOperator<R> set) {
        if (!serverSideApply) {
            return write(client, resource, set);
        }
        return client.resource(withStatusOnly)
                .subresource("status")
                .patch(new PatchContext.Builder()
                        .withPatchType(PatchType.SERVER_SIDE_APPLY)
                        .withFieldManager(fieldManager)
                        .withForce(true)
                        .build());
    }

    <R extends HasMetadata> UpdateControl<R> update(
            KubernetesClient client, R resource, R withStatusOnly, UnaryOperator<R> setStatus) {
        if (serverSideApply) {
            return UpdateControl.patchStatus(withStatusOnly);
        }
        write(client, resource, setStatus);
        return UpdateControl.noUpdate();
    }

    <R extends HasMetadata> ErrorStatusUpdateControl<R> updateOnError(
            KubernetesClient client, R resource, R withStatusOnly, UnaryOperator<R> setStatus) {
        if (serverSideApply) {
            return ErrorStatusUpdateControl.patchStatus(withStatusOnly);
        }
        write(client, resource, setStatus);
        return ErrorStatusUpdateControl.noStatusUpdate();
    }

    /**
     * Reads the latest version and writes the status onto it (the cleaner's path, both modes);
     * returns the resource as written.
     */
    @SuppressWarnings("unchecked")
    <R extends HasMetadata> R write(KubernetesClient client, R resource, UnaryOperator<R> set) {
        return client.resources((Class<R>) resource.getClass())
                .inNamespace(resource.getMetadata().getNamespace())
                .withName(resource.getMetadata().getName())
                .editStatus(set);
    }
}
