package dev.ippools.mailgun.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The event source that wakes resources of one kind from outside Kubernetes: a change found in
 * their Mailgun account (a poll or another resource's write), or a change of the Secret their
 * credentials come from.
 */
final class WakeUps<P extends HasMetadata> {

    private final SimpleInboundEventSource<P> source;

    WakeUps(String kind, AccountScope scope, SecretLookup secrets, Supplier<Stream<P>> resources) {
        this.source = new SimpleInboundEventSource<>(kind.toLowerCase(Locale.ROOT) + "-wake-ups");
        scope.accounts().onChange(w -> {
            if (kind.equals(w.kind())) {
                source.propagateEvent(new ResourceID(w.key().name(), w.key().namespace()));
            }
        });
        secrets.onChange(s ->
                SecretMapping.users(s, resources.get(), scope.credentials()).forEach(source::propagateEvent));
    }

    SimpleInboundEventSource<P> source() {
        return source;
    }
}
