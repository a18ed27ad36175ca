package dev.ippools.mailgun.mapping;

import dev.ippools.mailgun.account.AccountKey;
import dev.ippools.mailgun.account.Credentials;
import dev.ippools.mailgun.api.v1alpha1.AccountReference;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Finds the Mailgun credentials of a resource: its {@code accountRef} Secret in its own namespace,
 * or the operator's default account. Failures are values with a message a person can act on; the
 * key itself never appears in one.
 */
public final class CredentialsResolver {

    private final BiFunction<String, String, Secret> secrets;
    private final BiFunction<String, String, Secret> lastRead;
    private final DefaultAccount defaultAccount;
    private final AccountPolicy policy;
    private final Resolved direct;
    private final Map<String, CachedResolution> cache = new ConcurrentHashMap<>();

    /**
     * @param secrets looks a Secret up by namespace and name (cached reads), null when absent
     * @param policy who may use the default account, which base URLs a Secret may name
     */
    public CredentialsResolver(
            BiFunction<String, String, Secret> secrets, DefaultAccount defaultAccount, AccountPolicy policy) {
        this(secrets, secrets, defaultAccount, policy);
    }

    /**
     * @param lastRead the last read of a Secret however old, for {@link #resolveSibling}
     */
    public CredentialsResolver(
            BiFunction<String, String, Secret> secrets,
            BiFunction<String, String, Secret> lastRead,
            DefaultAccount defaultAccount,
            AccountPolicy policy) {
        this.secrets = secrets;
        this.lastRead = lastRead;
        this.defaultAccount = defaultAccount;
        this.policy = policy;
        this.direct = defaultAccount.credentials() == null
                ? null
                : checked(defaultAccount.credentials(), "the operator's default account");
    }

    public AccountPolicy policy() {
        return policy;
    }

    public Resolved resolve(String namespace, AccountReference ref) {
        return resolve(namespace, ref, secrets);
    }

    /**
     * As {@link #resolve}, from the last read of the Secret: which account a sibling resource is on
     * does not need a fresh read (its own reconcile makes that).
     */
    public Resolved resolveSibling(String namespace, AccountReference ref) {
        return resolve(namespace, ref, lastRead);
    }

    private Resolved resolve(String namespace, AccountReference ref, BiFunction<String, String, Secret> source) {
        if (ref != null) {
            return fromSecret(source, namespace, ref.secretName(), "spec.accountRef");
        }
        if (!policy.mayUseDefaultAccount(namespace)) {
            return Resolved.failed(
                    ApiConstants.ReadyReasons.ACCOUNT_NOT_ALLOWED,
                    "namespace " + namespace + " may not use the operator's default Mailgun account"
                            + " (its --default-account-namespaces do not list it): set"
                            + " spec.accountRef.secretName to a Secret in this namespace, or ask the operator's"
                            + " administrators to allow the namespace");
        }
        if (direct != null) {
            return direct;
        }
        if (defaultAccount.secretName() != null) {
            return fromSecret(
                    source, defaultAccount.secretNamespace(), defaultAccount.secretName(), "the operator default");
        }
        return Resolved.failed(
                ApiConstants.ReadyReasons.ERROR,
                "no Mailgun account: set spec.accountRef.secretName, or configure the operator's default"
                        + " account Secret");
    }

    /** Whether a Secret is the one the default account comes from. */
    public boolean isDefaultSecret(String namespace, String name) {
        return name.equals(defaultAccount.secretName()) && namespace.equals(defaultAccount.secretNamespace());
    }

    private Resolved fromSecret(BiFunction<String, String, Secret> source, String namespace, String name, String via) {
        Secret secret = source.apply(namespace, name);
        if (secret == null) {
            return missing(namespace, name, via);
        }
        // Sibling resources resolve the same Secret over and over: decode and hash it once per version.
        String version = secret.getMetadata().getResourceVersion();
        String cacheKey = namespace + "/" + name;
        CachedResolution cached = cache.get(cacheKey);
        if (version != null && cached != null && version.equals(cached.version()) && via.equals(cached.via())) {
            return cached.resolved();
        }
        Resolved resolved = decode(namespace, name, secret, policy);
        if (version != null) {
            cache.put(cacheKey, new CachedResolution(version, via, resolved));
        }
        return resolved;
    }

    private record CachedResolution(String version, String via, Resolved resolved) {}

    private static Resolved missing(String namespace, String name, String via) {
        return Resolved.failed(
                ApiConstants.ReadyReasons.ERROR,
                "Secret " + namespace + "/" + name + " (" + via + ") not found (or not readable by the"
                        + " operator); create it with the key " + AccountReference.API_KEY);
    }

    // Messages name the Secret and the key, never a value (architecture §9).
    private static Resolved decode(String namespace, String name, Secret secret, AccountPolicy policy) {
        String what = "Secret " + namespace + "/" + name;
        Map<String, String> data;
        try {
            data = decoded(secret);
        } catch (IllegalArgumentException e) {
            return Resolved.failed(
                    ApiConstants.ReadyReasons.INVALID, what + " holds data that is not" + " valid base64");
        }
        String apiKey = data.get(AccountReference.API_KEY);
        if (apiKey == null || apiKey.isBlank()) {
            return Resolved.failed(ApiConstants.ReadyReasons.ERROR, what + " has no key " + AccountReference.API_KEY);
        }
        String region = data.get(AccountReference.REGION);
        String baseUrl = data.get(AccountReference.BASE_URL);
        if ((baseUrl == null || baseUrl.isBlank()) && !Credentials.isRegion(region)) {
            return Resolved.failed(
                    ApiConstants.ReadyReasons.INVALID, what + ": key " + AccountReference.REGION + " must be us or eu");
        }
        String url = Credentials.baseUrlFor(region, baseUrl);
        if (!policy.allowsBaseUrl(url)) {
            String key = baseUrl == null || baseUrl.isBlank() ? AccountReference.REGION : AccountReference.BASE_URL;
            return Resolved.failed(
                    ApiConstants.ReadyReasons.INVALID,
                    what + ": key " + key + " names a Mailgun API base URL outside the operator's"
                            + " allow-list (--allowed-base-urls: " + String.join(", ", policy.allowedBaseUrls())
                            + "); nothing is sent to it");
        }
        return Resolved.ok(new Credentials(apiKey.trim(), url, data.get(AccountReference.SUBACCOUNT_ID)));
    }

    private Resolved checked(Credentials credentials, String what) {
        if (!policy.allowsBaseUrl(credentials.baseUrl())) {
            return Resolved.failed(
                    ApiConstants.ReadyReasons.INVALID,
                    what + " names a Mailgun API base URL outside the operator's allow-list" + " (--allowed-base-urls: "
                            + String.join(", ", policy.allowedBaseUrls()) + ")");
        }
        return Resolved.ok(credentials);
    }

    private static Map<String, String> decoded(Secret secret) {
        Map<String, String> out = new HashMap<>();
        if (secret.getData() != null) {
            secret.getData()
                    .forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            out.putAll(secret.getStringData());
        }
        return out;
    }

    /**
     * Where resources without an accountRef get their credentials: a Secret, or (local mode and
     * tests) credentials given directly.
     */
    public record DefaultAccount(String secretNamespace, String secretName, Credentials credentials) {
        public static DefaultAccount secret(String namespace, String name) {
            return new DefaultAccount(namespace, name, null);
        }

        public static DefaultAccount direct(Credentials credentials) {
            return new DefaultAccount(null, null, credentials);
        }

        public static DefaultAccount none() {
            return new DefaultAccount(null, null, null);
        }
    }

    /** Credentials, or why there are none ({@code reason}: the Ready reason to report). */
    public record Resolved(Credentials credentials, AccountKey key, String reason, String problem) {
        static Resolved ok(Credentials c) {
            return new Resolved(c, c.key(), null, null);
        }

        static Resolved failed(String reason, String problem) {
            return new Resolved(null, null, reason, problem);
        }

        public Optional<Credentials> value() {
            return Optional.ofNullable(credentials);
        }
    }
}
