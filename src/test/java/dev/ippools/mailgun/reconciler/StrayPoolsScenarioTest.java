package dev.ippools.mailgun.reconciler;

import static dev.ippools.mailgun.reconciler.Manifests.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ippools.mailgun.account.AccountKey;
import dev.ippools.mailgun.account.AccountListener;
import dev.ippools.mailgun.account.MailgunClients;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ConditionTypes;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.client.MailgunCallListener;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.MailgunClientOptions;
import dev.ippools.mailgun.client.http.OkHttpMailgunClient;
import dev.ippools.mailgun.client.model.NewPool;
import dev.ippools.mailgun.plan.OwnershipMarker;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Duplicate and orphaned pools (architecture §10): found, reported, and removed only when safe. */
@EnableKubernetesMockClient(crud = true)
class StrayPoolsScenarioTest {

    KubernetesClient client;
    OperatorHarness h;
    MailgunClient mailgun;
    final AtomicReference<String> counts = new AtomicReference<>("");

    void start(boolean deleteOrphans) {
        h = new OperatorHarness(client, OperatorHarness.sampleFixture());
        h.start(h.settings(
                OperatorHarness.reconcileSettings().withDeleteOrphanedPools(deleteOrphans),
                new MailgunClients(500, 100, MailgunCallListener.NONE)));
        h.runtime.accounts().addListener(new AccountListener() {
            @Override
            public void strayPools(AccountKey account, int duplicates, int orphans) {
                counts.set(duplicates + " duplicates, " + orphans + " orphans");
            }
        });
        mailgun = OkHttpMailgunClient.create(MailgunClientOptions.builder()
                .baseUrl(h.emulator.url())
                .apiKey(OperatorHarness.API_KEY)
                .build());
    }

    @AfterEach
    void tearDown() {
        mailgun.close();
        h.close();
    }

    /** A pool as a lost-then-repeated create would leave it: marked for {@code uid}. */
    private String markedPool(String name, String uid, String... ips) {
        return mailgun.createPool(new NewPool(name, OwnershipMarker.stamp("copy", uid), List.of(ips)))
                .poolId();
    }

    private boolean exists(String poolId) {
        return h.emulator.state().pools().stream().anyMatch(p -> p.id().equals(poolId));
    }

    @Test
    void duplicatesAreReportedAndTheEmptyUnlinkedOneIsDeleted() {
        start(false);
        h.apply(yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: a}
        spec: {ips: [198.51.100.10]}
        """, IpPool.class));
        h.awaitPoolReady("a", "True/Available");
        String uid = h.pool("a").getMetadata().getUid();

        String empty = markedPool("a-copy-1", uid);
        String full = markedPool("a-copy-2", uid, "198.51.100.11");

        await().atMost(Duration.ofSeconds(20)).until(() -> !exists(empty));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> OperatorHarness.condition(h.pool("a"), ConditionTypes.READY)
                        .orElseThrow()
                        .getMessage()
                        .contains(full));
        assertThat(OperatorHarness.ready(h.pool("a"))).isEqualTo("True/Available");
        assertThat(exists(full)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(counts::get, "1 duplicates, 0 orphans"::equals);
        List<Event> events =
                client.v1().events().inNamespace(OperatorHarness.NS).list().getItems();
        assertThat(events)
                .filteredOn(e -> "Warning".equals(e.getType()))
                .extracting(Event::getReason)
                .contains("DuplicatePool", "DuplicatePoolDeleted");
        assertThat(events)
                .filteredOn(e -> "DuplicatePool".equals(e.getReason()))
                .singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains(full));
    }

    @Test
    void orphansAreOnlyCountedWithoutTheFlag() {
        start(false);
        String empty = markedPool("gone-1", "uid-of-a-deleted-ippool");
        markedPool("gone-2", "uid-of-a-deleted-ippool", "198.51.100.11");
        // Any resource of the account makes the operator poll it.
        h.apply(yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: a}
        spec: {ips: [198.51.100.10]}
        """, IpPool.class));

        await().atMost(Duration.ofSeconds(20)).until(counts::get, "0 duplicates, 2 orphans"::equals);
        assertThat(exists(empty)).isTrue();
    }

    @Test
    void withTheFlagEmptyUnlinkedOrphansAreDeleted() {
        start(true);
        String empty = markedPool("gone-1", "uid-of-a-deleted-ippool");
        String full = markedPool("gone-2", "uid-of-a-deleted-ippool", "198.51.100.11");
        String foreign = mailgun.createPool(new NewPool("by-hand", "made by hand", List.of()))
                .poolId();
        h.apply(yaml("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: a}
        spec: {ips: [198.51.100.10]}
        """, IpPool.class));

        await().atMost(Duration.ofSeconds(20)).until(() -> !exists(empty));
        await().atMost(Duration.ofSeconds(10)).until(counts::get, "0 duplicates, 1 orphans"::equals);
        assertThat(exists(full)).isTrue();
        assertThat(exists(foreign)).isTrue();
    }
}
