package dev.ippools.mailgun.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Secrets are read on demand, once per TTL for any number of users, and trimmed to the keys. */
@EnableKubernetesMockClient(crud = true)
class SecretLookupTest {

    KubernetesMockServer server;
    KubernetesClient client;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    private void create(String ns, String name, Map<String, String> data) {
        client.secrets()
                .inNamespace(ns)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(ns)
                        .endMetadata()
                        .withStringData(data)
                        .build())
                .create();
    }

    @Test
    void manyUsersOfOneSecretCostOneReadPerTtl() {
        create("team-a", "mailgun", Map.of("apiKey", "k1", "blob", "x".repeat(10_000)));
        SecretLookup lookup = new SecretLookup(client, Duration.ofSeconds(60), clock);
        int before = server.getRequestCount();

        for (int i = 0; i < 200; i++) {
            assertThat(lookup.apply("team-a", "mailgun")).isNotNull();
            assertThat(lookup.apply("team-a", "missing")).isNull();
        }
        assertThat(server.getRequestCount() - before).as("GETs for 400 lookups").isEqualTo(2);

        now.set(now.get().plusSeconds(61));
        lookup.apply("team-a", "mailgun");
        assertThat(server.getRequestCount() - before).isEqualTo(3);
    }

    @Test
    void onlyTheAccountKeysAreKept() {
        create("team-a", "mailgun", Map.of("apiKey", "k1", "region", "eu", "blob", "x".repeat(9)));
        Secret kept = new SecretLookup(client, Duration.ofSeconds(60), clock).apply("team-a", "mailgun");
        Map<String, String> all = new java.util.HashMap<>();
        if (kept.getData() != null) {
            all.putAll(kept.getData());
        }
        if (kept.getStringData() != null) {
            all.putAll(kept.getStringData());
        }
        assertThat(all).containsOnlyKeys("apiKey", "region");
    }

    @Test
    void aReadThatFindsTheSecretChangedTellsTheListeners() {
        SecretLookup lookup = new SecretLookup(client, Duration.ofSeconds(1), clock);
        List<String> changed = new ArrayList<>();
        lookup.onChange(s -> changed.add(s.getMetadata().getName()));
        assertThat(lookup.apply("team-a", "later")).isNull();

        create("team-a", "later", Map.of("apiKey", "k1"));
        now.set(now.get().plusSeconds(2));
        assertThat(lookup.apply("team-a", "later")).isNotNull();
        now.set(now.get().plusSeconds(2));
        lookup.apply("team-a", "later");

        assertThat(changed).containsExactly("later");
    }

    @Test
    void siblingsUseTheLastReadSoAReconcileRereadsOnlyItsOwnSecret() {
        for (int i = 0; i < 20; i++) {
            create("team-" + i, "mailgun", Map.of("apiKey", "k" + i));
        }
        SecretLookup lookup = new SecretLookup(client, Duration.ofSeconds(60), clock);
        for (int i = 0; i < 20; i++) {
            lookup.apply("team-" + i, "mailgun");
        }
        now.set(now.get().plusSeconds(120));
        int before = server.getRequestCount();

        // one reconcile: its own Secret fresh, the 19 siblings' Secrets as last read
        lookup.apply("team-0", "mailgun");
        for (int i = 1; i < 20; i++) {
            assertThat(lookup.lastRead("team-" + i, "mailgun")).isNotNull();
        }
        assertThat(server.getRequestCount() - before).isEqualTo(1);
    }
}
