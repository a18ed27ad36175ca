package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.mapping.CredentialsResolver;
import dev.ippools.mailgun.mapping.KindRules;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Which resources a Secret's change concerns: those naming it, or all on the default account. */
final class SecretMapping {
    private SecretMapping() {}

    static <R extends HasMetadata> Set<ResourceID> users(
            Secret secret, Stream<R> resources, CredentialsResolver credentials) {
        String ns = secret.getMetadata().getNamespace();
        String name = secret.getMetadata().getName();
        boolean isDefault = credentials.isDefaultSecret(ns, name);
        return resources
                .filter(r -> {
                    var ref = KindRules.accountRef(r);
                    return ref == null
                            ? isDefault
                            : ns.equals(r.getMetadata().getNamespace()) && name.equals(ref.secretName());
                })
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    }
}
