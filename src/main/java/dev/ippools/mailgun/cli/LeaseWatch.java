package dev.ippools.mailgun.cli;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.function.Consumer;

/**
 * Tells the leader the moment the Lease names another holder. The leader elector only finds out
 * at its next renew, seconds later, while the new leader may already write to Mailgun; a watch
 * event arrives within milliseconds of the change.
 */
final class LeaseWatch implements AutoCloseable {

    private final SharedIndexInformer<Lease> informer;

    private LeaseWatch(SharedIndexInformer<Lease> informer) {
        this.informer = informer;
    }

    /**
     * Starts watching; {@code lost} gets the new holder's name, possibly more than once. An empty
     * holder (a Lease released or not yet taken) is no one else's.
     */
    static LeaseWatch start(KubernetesClient client, OperatorProcess.Lease lease, Consumer<String> lost) {
        return new LeaseWatch(client.resources(Lease.class)
                .inNamespace(lease.namespace())
                .withName(lease.name())
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Lease current) {
                        check(current);
                    }

                    @Override
                    public void onUpdate(Lease before, Lease current) {
                        check(current);
                    }

                    @Override
                    public void onDelete(Lease gone, boolean finalStateUnknown) {
                        // Whoever creates it next shows up in onAdd.
                    }

                    private void check(Lease current) {
                        String holder = current.getSpec() == null
                                ? null
                                : current.getSpec().getHolderIdentity();
                        if (holder != null && !holder.isEmpty() && !holder.equals(lease.identity())) {
                            lost.accept(holder);
                        }
                    }
                }));
    }

    @Override
    public void close() {
        informer.close();
    }
}
