package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.api.v1alpha1.AccountReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Need-to-know Secret reads (architecture §9): a Secret is read only when a resource or the default
 * account names it, with one GET, and kept for {@code ttl} in a small cache that holds just the
 * account keys. Unrelated Secrets are never listed, watched or held, so they cost no memory, and
 * the operator needs only {@code get} on Secrets. Sibling resources naming the same Secret share
 * one read per {@code ttl}: Secret reads per reconcile are O(1), not O(resources).
 *
 * <p>A read that finds the Secret changed (or appeared, or gone) tells the listeners, so the
 * resources using it are reconciled with the new credentials.
 */
public final class SecretLookup implements BiFunction<String, String, Secret>, AutoCloseable {

    /** The keys the operator reads; anything else in a Secret is dropped right after the GET. */
    static final Set<String> ACCOUNT_KEYS = Set.of(
            AccountReference.API_KEY,
            AccountReference.REGION,
            AccountReference.BASE_URL,
            AccountReference.SUBACCOUNT_ID);

    private final KubernetesClient client;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    private final List<Consumer<Secret>> listeners = new CopyOnWriteArrayList<>();

    /** A read: the trimmed Secret (null when absent or unreadable) and when it was made. */
    private record Entry(Secret secret, String version, Instant readAt) {}

    /** @param ttl how long a read is reused before the next GET */
    public SecretLookup(KubernetesClient client, Duration ttl, Clock clock) {
        this.client = client;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Nothing to start: reads happen on demand. */
    public void start() {}

    /** Called when a read finds a Secret added, changed or deleted since the previous read. */
    public void onChange(Consumer<Secret> listener) {
        listeners.add(listener);
    }

    @Override
    public Secret apply(String namespace, String name) {
        String key = namespace + "/" + name;
        Instant now = clock.instant();
        Entry cached = cache.get(key);
        if (cached != null && cached.readAt().plus(ttl).isAfter(now)) {
            return cached.secret();
        }
        Entry[] previous = new Entry[1];
        // one GET per Secret even when siblings ask at once
        Entry fresh = cache.compute(key, (k, old) -> {
            if (old != null && old.readAt().plus(ttl).isAfter(now)) {
                return old;
            }
            previous[0] = old;
            Secret secret = read(namespace, name);
            String version = secret == null ? null : secret.getMetadata().getResourceVersion();
            return new Entry(secret, version, now);
        });
        Entry old = previous[0];
        if (old != null && !Objects.equals(old.version(), fresh.version())) {
            Secret changed = fresh.secret() != null ? fresh.secret() : stub(namespace, name);
            listeners.forEach(l -> l.accept(changed));
        }
        return fresh.secret();
    }

    /**
     * The last read, however old, or a first read: what sibling resources need to tell which
     * account they are on, so a reconcile re-reads only its own Secret (O(1) reads, whatever the
     * number of siblings and their Secrets).
     */
    public Secret lastRead(String namespace, String name) {
        Entry cached = cache.get(namespace + "/" + name);
        return cached != null ? cached.secret() : apply(namespace, name);
    }

    /** Forgets every read (tests, and a stop). */
    @Override
    public void close() {
        cache.clear();
    }

    private Secret read(String namespace, String name) {
        Secret secret;
        try {
            secret = client.secrets().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                // not the operator's to read: the same as absent, and the message says which Secret
                return null;
            }
            throw e;
        }
        return secret == null ? null : trimmed(secret);
    }

    // Keep the account keys only: a referenced Secret with other large entries costs no memory.
    private static Secret trimmed(Secret secret) {
        Map<String, String> data = only(secret.getData());
        Map<String, String> stringData = only(secret.getStringData());
        return new SecretBuilder()
                .withMetadata(new ObjectMetaBuilder()
                        .withNamespace(secret.getMetadata().getNamespace())
                        .withName(secret.getMetadata().getName())
                        .withResourceVersion(secret.getMetadata().getResourceVersion())
                        .build())
                .withData(data)
                .withStringData(stringData)
                .build();
    }

    private static Map<String, String> only(Map<String, String> values) {
        if (values == null) {
            return null;
        }
        Map<String, String> out = new HashMap<>();
        values.forEach((k, v) -> {
            if (ACCOUNT_KEYS.contains(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static Secret stub(String namespace, String name) {
        return new SecretBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .endMetadata()
                .build();
    }
}
