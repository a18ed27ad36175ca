package dev.ippools.mailgun.preview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.ippools.mailgun.plan.ObservedAccount;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedDomain;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedIp;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import dev.ippools.mailgun.plan.OwnershipMarker;
import dev.ippools.mailgun.plan.Plans;
import dev.ippools.mailgun.plan.ResourceKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Manifest reading and planning without HTTP: an observed account built by hand. */
class PreviewTest {

    private static final String IP1 = "10.0.0.1";
    private static final String IP2 = "10.0.0.2";
    private static final String IP3 = "10.0.0.3";
    private static final String CREATED = "000000000000000000000a01";
    private static final String HAND_MADE = "000000000000000000000b01";
    private static final String INHERITED = "000000000000000000000c01";
    private static final String ADOPTED = "000000000000000000000d01";

    @TempDir
    Path dir;

    @Test
    void listsAreExpandedAndEachManifestGetsAPlaceholderUidAndItsOrder() throws IOException {
        Path file = write("""
            apiVersion: v1
            kind: List
            items:
              - apiVersion: mailgun.ippools.dev/v1alpha1
                kind: IpPool
                metadata: {name: b, namespace: team-b}
              - apiVersion: mailgun.ippools.dev/v1alpha1
                kind: IpPool
                metadata: {name: a}
            ---
            apiVersion: mailgun.ippools.dev/v1alpha1
            kind: Other
            metadata: {name: x}
            """);

        ManifestSet set = new ManifestReader("team-a").read(List.of(file));

        assertThat(set.pools())
                .extracting(Manifest::key, Manifest::source)
                .containsExactly(
                        tuple(new ResourceKey("team-b", "b"), file + "#1.items[0]"),
                        tuple(new ResourceKey("team-a", "a"), file + "#1.items[1]"));
        assertThat(set.pools().get(0).resource().getMetadata().getUid()).isEqualTo("plan:team-b/b");
        assertThat(set.pools())
                .extracting(m -> m.resource().getMetadata().getCreationTimestamp())
                .containsExactly("1970-01-01T00:00:00Z", "1970-01-01T00:00:01Z");
        assertThat(set.skipped())
                .containsExactly(new ManifestSet.Skipped(
                        file + "#2", "Other (mailgun.ippools.dev/v1alpha1) is not planned", true));
        assertThat(OwnershipMarker.stamp("x", ManifestReader.placeholderUid(new ResourceKey("n", "a.b"))))
                .endsWith("uid=plan:n/a.b]");
    }

    @Test
    void onlyPoolsTheOperatorCreatedAreMatchedByNameAndMarker() throws IOException {
        Path file = write(pool("created", "pool", IP1, "")
                + pool("hand-made", "pool", IP2, "")
                + pool("inherited", "pool", IP3, "")
                + pool("adopted", "Bulk", null, "  poolId: " + ADOPTED + "\n  adoption: Overwrite\n"));
        ObservedAccount account = account(
                new ObservedPool(
                        CREATED, "created", OwnershipMarker.stamp("pool", "uid-1"), Set.of(IP1), false, false, null),
                new ObservedPool(HAND_MADE, "hand-made", "made by hand", Set.of(), false, false, null),
                new ObservedPool(
                        INHERITED, "inherited", OwnershipMarker.stamp("x", "uid-2"), Set.of(), true, false, null),
                new ObservedPool(ADOPTED, "adopted", "old", Set.of(), false, false, null));

        PreviewReport report = plan(file, account, null);

        assertThat(lines(report, 0)).containsExactly("(no lines)");
        assertThat(report.knownPoolId(report.resources().get(0))).isEqualTo(CREATED);
        assertThat(lines(report, 1)).containsExactly("POST /v3/ip_pools name=hand-made ips=[10.0.0.2]");
        assertThat(lines(report, 2)).containsExactly("POST /v3/ip_pools name=inherited ips=[10.0.0.3]");
        assertThat(lines(report, 3))
                .containsExactly(
                        "PATCH /v3/ip_pools/"
                                + ADOPTED
                                + " description=Bulk [managed-by: mailgun-ip-pool-operator uid=<metadata.uid>]",
                        "note: adopting pool " + ADOPTED + " (spec.poolId)");
    }

    @Test
    void aBindingLinksToAPoolThatThisPlanFillsInsteadOfWaiting() throws IOException {
        Path file = write(pool("created", "pool", IP2, "") + """
                apiVersion: mailgun.ippools.dev/v1alpha1
                kind: DomainPoolBinding
                metadata: {name: mail}
                spec:
                  domain: mail.example.com
                  poolRef: {name: created}
                  accountRef: {secretName: eu}
                """);
        ObservedAccount account = account(new ObservedPool(
                CREATED, "created", OwnershipMarker.stamp("pool", "uid-1"), Set.of(), false, false, null));

        PreviewReport report = plan(file, account, "mailgun");

        assertThat(lines(report, 0)).containsExactly("PUT /v3/ip_pools/" + CREATED + "/ips/10.0.0.2");
        assertThat(lines(report, 1))
                .containsExactly(
                        "PATCH /v3/ip_pools/" + CREATED + " link_domain=mail.example.com",
                        "note: spec.accountRef names Secret eu; planned against the account given to the plan"
                                + " command");
        assertThat(lines(plan(file, account, "eu"), 1))
                .containsExactly("PATCH /v3/ip_pools/" + CREATED + " link_domain=mail.example.com");
    }

    private PreviewReport plan(Path file, ObservedAccount account, String secretName) {
        return ClusterPreview.planManifests(new ManifestReader("default").read(List.of(file)), account, secretName);
    }

    private static List<String> lines(PreviewReport report, int index) {
        List<String> lines = Plans.lines(report.resources().get(index).plan()).stream()
                .map(report::readable)
                .toList();
        return lines.isEmpty() ? List.of("(no lines)") : lines;
    }

    private static ObservedAccount account(ObservedPool... pools) {
        Map<String, ObservedPool> byId = new LinkedHashMap<>();
        for (ObservedPool p : pools) {
            byId.put(p.id(), p);
        }
        Map<String, ObservedIp> ips = new LinkedHashMap<>();
        for (String ip : List.of(IP1, IP2, IP3)) {
            ips.put(ip, new ObservedIp(ip, true, false, true));
        }
        return new ObservedAccount(
                byId,
                ips,
                true,
                Map.of(),
                Map.of("mail.example.com", new ObservedDomain("mail.example.com", Set.of(IP3), null)));
    }

    private static String pool(String name, String description, String ip, String more) {
        return "apiVersion: mailgun.ippools.dev/v1alpha1\nkind: IpPool\nmetadata: {name: "
                + name
                + "}\nspec:\n  description: "
                + description
                + "\n  ips: ["
                + (ip == null ? "" : ip)
                + "]\n"
                + more
                + "---\n";
    }

    private Path write(String content) throws IOException {
        return Files.writeString(dir.resolve("manifests.yaml"), content);
    }
}
