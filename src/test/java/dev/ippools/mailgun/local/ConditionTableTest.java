package dev.ippools.mailgun.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBindingStatus;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.api.v1alpha1.IpPoolStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionTableTest {

    private static Condition condition(String type, String status, String reason) {
        return new ConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .build();
    }

    private static IpPool pool(String namespace, String name, IpPoolStatus status) {
        IpPool pool =
                (IpPool) BundledManifests.parse("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: IpPool
        metadata: {name: %s, namespace: %s}
        spec: {ips: [198.51.100.10]}
        """.formatted(name, namespace)).get(0);
        pool.setStatus(status);
        return pool;
    }

    private static DomainPoolBinding binding(String name, DomainPoolBindingStatus status) {
        DomainPoolBinding binding =
                (DomainPoolBinding) BundledManifests.parse("""
        apiVersion: mailgun.ippools.dev/v1alpha1
        kind: DomainPoolBinding
        metadata: {name: %s, namespace: default}
        spec: {domain: mail.example.com, poolRef: {name: transactional}}
        """.formatted(name)).get(0);
        binding.setStatus(status);
        return binding;
    }

    @Test
    void rowsCarryReadySyncedAndThePoolId() {
        IpPool ready = pool(
                "default",
                "transactional",
                new IpPoolStatus(
                        "64b0c0ffee0000000000000a",
                        1L,
                        List.of("198.51.100.10"),
                        List.of(),
                        false,
                        List.of(
                                condition("Ready", "True", "Available"),
                                condition("Synced", "True", "ReconcileSuccess"))));
        DomainPoolBinding waiting = binding(
                "mail-example-com",
                new DomainPoolBindingStatus(
                        null,
                        null,
                        1L,
                        List.of(condition("Ready", "False", "Waiting"), condition("Synced", "False", "Waiting"))));

        assertThat(ResourceRow.of(ready))
                .isEqualTo(new ResourceRow(
                        "IpPool", "transactional", "True", "Available", "True", "64b0c0ffee0000000000000a"));
        assertThat(ResourceRow.of(ready).isReady()).isTrue();
        assertThat(ResourceRow.of(waiting))
                .isEqualTo(new ResourceRow("DomainPoolBinding", "mail-example-com", "False", "Waiting", "False", ""));
        assertThat(ResourceRow.of(waiting).isReady()).isFalse();
    }

    @Test
    void aResourceWithoutStatusHasEmptyColumnsAndOtherNamespacesShowInTheName() {
        ResourceRow row = ResourceRow.of(pool("team-a", "bulk", null));

        assertThat(row).isEqualTo(new ResourceRow("IpPool", "team-a/bulk", "", "", "", ""));
        assertThat(row.isReady()).isFalse();
    }

    @Test
    void theTableAlignsColumnsAndShowsDashesForEmptyValues() {
        String table = ConditionTable.render(List.of(
                new ResourceRow("IpPool", "transactional", "True", "Available", "True", "64b0c0ffee0000000000000a"),
                new ResourceRow("DomainPoolBinding", "news-example-com", "", "", "", "")));

        assertThat(table).isEqualTo("""
        KIND                NAME               READY   REASON      SYNCED   POOL-ID
        IpPool              transactional      True    Available   True     64b0c0ffee0000000000000a
        DomainPoolBinding   news-example-com   -       -           -        -
        """);
    }

    @Test
    void anEmptyTableIsTheHeaderOnly() {
        assertThat(ConditionTable.render(List.of())).isEqualTo("KIND   NAME   READY   REASON   SYNCED   POOL-ID\n");
    }
}
