package dev.ippools.mailgun.reconciler;

import static dev.ippools.mailgun.reconciler.Manifests.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;

/** Which sibling updates wake the resources that plan with them. */
class DesiredCacheTest {

    private static IpPool pool(String spec, String status, String deletion) {
        return yaml("""
                apiVersion: mailgun.ippools.dev/v1alpha1
                kind: IpPool
                metadata: {name: p, namespace: team, uid: u1, creationTimestamp: "2026-01-01T00:00:00Z"%s}
                spec: %s
                status: %s
                """.formatted(deletion, spec, status), IpPool.class);
    }

    private static DomainPoolBinding binding(String spec, String status) {
        return yaml("""
                apiVersion: mailgun.ippools.dev/v1alpha1
                kind: DomainPoolBinding
                metadata: {name: b, namespace: team, uid: u2, creationTimestamp: "2026-01-01T00:00:00Z"}
                spec: %s
                status: %s
                """.formatted(spec, status), DomainPoolBinding.class);
    }

    private static String conditions(String reason, String message) {
        return "{conditions: [{type: Ready, status: 'False', reason: %s, message: '%s', lastTransitionTime: '2026-01-01T00:00:00Z'}]}"
                .formatted(reason, message);
    }

    private static boolean changesPlans(HasMetadata newer, HasMetadata older) {
        return !DesiredCache.planView(newer).equals(DesiredCache.planView(older));
    }

    @Test
    void aPoolsStatusWriteWakesItsBindingsOnlyWhenPlansSeeIt() {
        String spec = "{ips: [10.0.0.1]}";
        IpPool creating = pool(spec, conditions("Progressing", "creating"), "");
        IpPool stillCreating = pool(spec, conditions("Progressing", "still creating"), "");
        IpPool created = pool(spec, "{poolId: abc, conditions: []}", "");

        assertThat(changesPlans(stillCreating, creating)).isFalse();
        assertThat(changesPlans(created, stillCreating)).as("poolId recorded").isTrue();
        assertThat(changesPlans(pool("{ips: [10.0.0.2]}", "{poolId: abc, conditions: []}", ""), created))
                .as("spec")
                .isTrue();
        assertThat(changesPlans(
                        pool(spec, "{poolId: abc, conditions: []}", ", deletionTimestamp: '2026-01-02T00:00:00Z'"),
                        created))
                .as("deleted")
                .isTrue();
    }

    @Test
    void aBindingsStatusWriteWakesItsPoolOnlyWhenPlansSeeIt() {
        String spec = "{domain: mail.example.com, poolRef: {name: p}}";
        DomainPoolBinding waiting = binding(spec, conditions("Progressing", "waiting for IpPool p"));
        DomainPoolBinding linking = binding(spec, conditions("Progressing", "linking"));
        DomainPoolBinding settled = binding(
                spec,
                "{linkedPoolId: abc, conditions: [{type: Ready, status: 'True', reason: Linked, message: ok,"
                        + " lastTransitionTime: '2026-01-01T00:00:00Z'}]}");
        DomainPoolBinding settledAgain = binding(
                spec,
                "{linkedPoolId: abc, conditions: [{type: Ready, status: 'True', reason: Linked, message: still ok,"
                        + " lastTransitionTime: '2026-01-01T00:00:00Z'}]}");

        assertThat(changesPlans(linking, waiting)).isFalse();
        assertThat(changesPlans(settled, linking))
                .as("settled: it may now move its domain")
                .isTrue();
        assertThat(changesPlans(settledAgain, settled)).isFalse();
        assertThat(changesPlans(binding("{domain: mail.example.com, poolRef: {name: q}}", "{}"), waiting))
                .as("spec")
                .isTrue();
    }
}
