package dev.ippools.mailgun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.cli.ImportCommand;
import dev.ippools.mailgun.cli.PlanCommand;
import dev.ippools.mailgun.emulator.JournalEntry;
import dev.ippools.mailgun.plan.OwnershipMarker;
import dev.ippools.mailgun.runtime.OperatorRuntime;
import dev.ippools.mailgun.status.Conditions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Bringing a hand-made account under management on a real API server: import, plan, apply, and a
 * second cluster's operator (another owner id, orphan deletion on) that must leave it alone.
 */
@WithApiServer
class ImportE2E {

    static ApiServer api;

    private static final Path FIXTURE = Path.of("src/test/resources/fixtures/import-account.yaml");
    private static final String EMPTY_POOL = "64b0c0ffee00000000000004";

    private record Run(int exit, String out, String err) {}

    private static Run run(Callable<Integer> command, String... args) {
        CommandLine commandLine = new CommandLine(command);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static List<JournalEntry> writes(EmulatedAccount mailgun) {
        return mailgun.emulator.journal().entries().stream()
                .filter(e -> !e.method().equals("GET"))
                .toList();
    }

    @Test
    void importPlanApplyChangesOnlyMarkersAndAnotherOwnerNeverTouchesThePools(@TempDir Path tmp) throws Exception {
        String ns = api.newNamespace("import");
        String other = api.newNamespace("other-cluster");
        try (EmulatedAccount mailgun = EmulatedAccount.emulatorFor(api.admin, ns, EmulatedAccount.SECRET, FIXTURE)) {
            Path dir = tmp.resolve("imported");
            Run imported = run(
                    new ImportCommand(),
                    "--emulator-url",
                    mailgun.emulator.url(),
                    "--api-key",
                    EmulatedAccount.API_KEY,
                    "-n",
                    ns,
                    "--output-dir",
                    dir.toString());
            assertThat(imported.exit()).as(imported.err()).isZero();

            Run plan = run(
                    new PlanCommand(),
                    "-f",
                    dir.toString(),
                    "--emulator-url",
                    mailgun.emulator.url(),
                    "--api-key",
                    EmulatedAccount.API_KEY);
            assertThat(plan.out()).as(plan.err()).contains("Plan: 5 Mailgun calls, 0 waits, 0 conflicts, 0 problems.");
            assertThat(writes(mailgun)).isEmpty();

            try (OperatorRuntime operator = OperatorRuntime.start(
                    api.newAdminClient(),
                    mailgun.settings(ns, EmulatedAccount.SECRET, Set.of(ns), s -> s.withOwnerId("cluster-a")))) {
                api.kubectl("apply", "--server-side", "-n", ns, "-f", dir.toString())
                        .assertSuccess();
                for (String pool :
                        List.of("bulk", "marketing", "marketing-000003", "pool-" + EMPTY_POOL, "transactional-eu")) {
                    mailgun.awaitReady(api.admin, IpPool.class, ns, pool);
                }
                for (String domain : List.of(
                        "alerts.example.com",
                        "billing.example.com",
                        "bulk.example.com",
                        "mail.example.com",
                        "news.example.com",
                        "receipts.example.com")) {
                    mailgun.awaitReady(api.admin, DomainPoolBinding.class, ns, domain);
                }
            }
            // the only writes: each managed pool's marker, stamped once with this owner id. (Rarely a
            // reconcile re-plans the stamp from a read made just before it landed, and Mailgun refuses
            // that PATCH as changing nothing: counted apart, it changes nothing either.)
            List<JournalEntry> writes = writes(mailgun);
            assertThat(writes).allSatisfy(w -> assertThat(w.endpoint()).isEqualTo("PATCH /v3/ip_pools/{pool_id}"));
            assertThat(writes.stream().filter(w -> w.status() < 300).map(JournalEntry::path))
                    .containsExactlyInAnyOrder(
                            "/v3/ip_pools/64b0c0ffee00000000000001",
                            "/v3/ip_pools/64b0c0ffee00000000000002",
                            "/v3/ip_pools/64b0c0ffee00000000000003",
                            "/v3/ip_pools/" + EMPTY_POOL,
                            "/v3/ip_pools/64b0c0ffee00000000000005");
            int writesOfA = writes.size();
            String description =
                    mailgun.emulator.state().pool(EMPTY_POOL).orElseThrow().description();
            assertThat(OwnershipMarker.ownerId(description)).contains("cluster-a");
            assertThat(OwnershipMarker.userText(description)).isEqualTo("Reserved");

            // another cluster: its own owner id, orphan deletion on, an IpPool naming A's pool
            api.admin
                    .secrets()
                    .inNamespace(other)
                    .resource(api.admin
                            .secrets()
                            .inNamespace(ns)
                            .withName(EmulatedAccount.SECRET)
                            .get()
                            .edit()
                            .editMetadata()
                            .withNamespace(other)
                            .withResourceVersion(null)
                            .withUid(null)
                            .endMetadata()
                            .build())
                    .create();
            try (OperatorRuntime second = OperatorRuntime.start(
                    api.newAdminClient(),
                    mailgun.settings(
                            other,
                            EmulatedAccount.SECRET,
                            Set.of(other),
                            s -> s.withOwnerId("cluster-b").withDeleteOrphanedPools(true)))) {
                Path taken = Files.writeString(tmp.resolve("taken.yaml"), """
            apiVersion: mailgun.ippools.dev/v1alpha1
            kind: IpPool
            metadata: {name: taken}
            spec:
              name: bulk
              description: Bulk mail
              ips: [198.51.100.14, 198.51.100.15]
              poolId: 64b0c0ffee00000000000005
            """);
                api.kubectl("apply", "--server-side", "-n", other, "-f", taken.toString())
                        .assertSuccess();
                IpPool refused = mailgun.awaitReady(api.admin, IpPool.class, other, "taken", "False/OwnedElsewhere");
                assertThat(Conditions.find(refused.getStatus().conditions(), "Ready")
                                .orElseThrow()
                                .getMessage())
                        .contains("owner id cluster-a (this one is cluster-b)");
                // several polls and sweeps: A's empty, unlinked pool looks orphaned to B, but is A's
                Thread.sleep(Duration.ofSeconds(3).toMillis());
            }
            assertThat(writes(mailgun)).as("writes of the second cluster").hasSize(writesOfA);
            assertThat(mailgun.emulator.state().pool(EMPTY_POOL)).isPresent();
        }
    }

    @Test
    void anAdoptionThatWouldChangeThePoolWaitsUntilAccepted(@TempDir Path tmp) throws Exception {
        String ns = api.newNamespace("adopt");
        try (EmulatedAccount mailgun = EmulatedAccount.emulatorFor(api.admin, ns);
                OperatorRuntime operator =
                        OperatorRuntime.start(api.newAdminClient(), mailgun.settings(ns, Set.of(ns)))) {
            // the sample account's hand-made pool holds .16 and .17: this spec would drop .17
            Path manifest = tmp.resolve("legacy.yaml");
            String spec = """
          apiVersion: mailgun.ippools.dev/v1alpha1
          kind: IpPool
          metadata: {name: legacy}
          spec:
            name: legacy-transactional
            description: Created by hand before the operator was installed
            ips: [198.51.100.16]
            poolId: 64b0c0ffee00000000000001
          """;
            Files.writeString(manifest, spec);
            api.kubectl("apply", "--server-side", "-n", ns, "-f", manifest.toString())
                    .assertSuccess();

            IpPool waiting = mailgun.awaitReady(api.admin, IpPool.class, ns, "legacy", "False/AdoptionWouldChange");
            assertThat(Conditions.find(waiting.getStatus().conditions(), "Ready")
                            .orElseThrow()
                            .getMessage())
                    .contains(
                            "IPs [198.51.100.17] are in the pool but not in the spec",
                            "the domains linked to it would move to other IPs",
                            "spec.adoption: Overwrite");
            assertThat(Conditions.find(waiting.getStatus().conditions(), "Synced")
                            .orElseThrow()
                            .getReason())
                    .isEqualTo("Terminal");
            assertThat(writes(mailgun)).isEmpty();

            Files.writeString(manifest, spec + "  adoption: Overwrite\n");
            api.kubectl("apply", "--server-side", "-n", ns, "-f", manifest.toString())
                    .assertSuccess();
            mailgun.awaitReady(api.admin, IpPool.class, ns, "legacy");
            assertThat(mailgun.emulator
                            .state()
                            .pool("64b0c0ffee00000000000001")
                            .orElseThrow()
                            .ips())
                    .containsExactly("198.51.100.16");
        }
    }
}
