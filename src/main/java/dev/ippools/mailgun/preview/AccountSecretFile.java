package dev.ippools.mailgun.preview;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ippools.mailgun.account.Credentials;
import dev.ippools.mailgun.mapping.AccountPolicy;
import dev.ippools.mailgun.mapping.CredentialsResolver;
import dev.ippools.mailgun.mapping.CredentialsResolver.DefaultAccount;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Reads Mailgun credentials from a Kubernetes Secret manifest, the same Secret an IpPool's {@code
 * accountRef} or the operator's default account points at: {@code apiKey}, optional {@code region}
 * (us|eu), {@code baseUrl} and {@code subaccountId}, in {@code data} (base64) or {@code
 * stringData}. The operator's own resolver decodes it, so both read a Secret the same way. Messages
 * never contain the key.
 */
public final class AccountSecretFile {

    private AccountSecretFile() {}

    /** The Secret's name and the credentials it holds. */
    public record Account(String secretName, Credentials credentials) {}

    /**
     * @param policy the base URLs the Secret may name, as in the operator
     * @throws ManifestException the file holds no Secret, or the Secret no usable credentials
     */
    public static Account read(Path file, AccountPolicy policy) {
        if (!Files.isRegularFile(file)) {
            throw new ManifestException("no such file: " + file);
        }
        JsonNode document = ManifestReader.documents(file).stream()
                .filter(d -> d != null && "Secret".equals(d.path("kind").asText()))
                .findFirst()
                .orElseThrow(() -> new ManifestException(file + ": no Kubernetes Secret (kind: Secret) found"));
        Secret secret;
        try {
            secret = ManifestReader.SERIALIZATION.convertValue(document, Secret.class);
        } catch (RuntimeException e) {
            throw new ManifestException(file + ": the Secret cannot be read", e);
        }
        String namespace = secret.getMetadata() != null && secret.getMetadata().getNamespace() != null
                ? secret.getMetadata().getNamespace()
                : "default";
        String name = secret.getMetadata() != null && secret.getMetadata().getName() != null
                ? secret.getMetadata().getName()
                : "mailgun";
        CredentialsResolver.Resolved resolved;
        try {
            resolved = new CredentialsResolver(
                            (ns, n) -> secret,
                            DefaultAccount.secret(namespace, name),
                            policy.withDefaultAccountNamespaces(Set.of(AccountPolicy.ALL_NAMESPACES)))
                    .resolve(namespace, null);
        } catch (IllegalArgumentException e) {
            // Base64 errors name a character position, never the value
            throw new ManifestException(file + ": the Secret's data is not valid base64", e);
        }
        if (resolved.value().isEmpty()) {
            throw new ManifestException(file + ": " + resolved.problem());
        }
        return new Account(name, resolved.credentials());
    }
}
