package dev.ippools.mailgun.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.cli.PlanCommand;
import dev.ippools.mailgun.emulator.JournalEntry;
import dev.ippools.mailgun.runtime.OperatorRuntime;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code plan --cluster} against a real API server: the samples applied with kubectl and made
 * Ready by the operator, then a pull request that changes the pool, adds one and drops a binding.
 */
@WithApiServer
class PlanClusterE2E {

    static ApiServer api;

    @Test
    void aPullRequestThatChangesAddsAndDropsResources(@TempDir Path tmp) throws IOException {
        String ns = api.newNamespace("plan");
        try (EmulatedAccount mailgun = EmulatedAccount.emulatorFor(api.admin, ns)) {
            try (OperatorRuntime operator =
                    OperatorRuntime.start(api.newAdminClient(), mailgun.settings(ns, Set.of(ns)))) {
                for (String kind : List.of("ippool", "domainpoolbinding")) {
                    api.kubectl(
                                    "apply",
                                    "--server-side",
                                    "-n",
                                    ns,
                                    "-f",
                                    "config/samples/mailgun.ippools.dev_v1alpha1_" + kind + ".yaml")
                            .assertSuccess();
                }
                mailgun.awaitReady(api.admin, IpPool.class, ns, "transactional");
                mailgun.awaitReady(api.admin, DomainPoolBinding.class, ns, "mail-example-com");
                mailgun.awaitReady(api.admin, DomainPoolBinding.class, ns, "news-example-com");
            }
            String poolId = EmulatedAccount.get(api.admin, IpPool.class, ns, "transactional")
                    .getStatus()
                    .poolId();
            long writes = writes(mailgun);
            Path pr = Files.createDirectories(tmp.resolve("pr"));
            Files.writeString(pr.resolve("pools.yaml"), """
          apiVersion: mailgun.ippools.dev/v1alpha1
          kind: IpPool
          metadata: {name: transactional}
          spec:
            description: Receipts and password resets
            ips: [198.51.100.10]
          ---
          apiVersion: mailgun.ippools.dev/v1alpha1
          kind: IpPool
          metadata: {name: bulk}
          spec: {ips: [198.51.100.13]}
          """);
            // the sample's first binding stays; news-example-com, the second, is dropped
            String bindings =
                    Files.readString(Path.of("config/samples/mailgun.ippools.dev_v1alpha1_domainpoolbinding.yaml"));
            Files.writeString(pr.resolve("bindings.yaml"), bindings.substring(0, bindings.indexOf("\n---") + 1));

            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine plan = new CommandLine(new PlanCommand());
            plan.setOut(new PrintWriter(out, true));
            plan.setErr(new PrintWriter(err, true));
            int exit = plan.execute(
                    "-f",
                    pr.toString(),
                    "-n",
                    ns,
                    "--cluster",
                    "--kubeconfig",
                    api.kubeconfig.toString(),
                    "--default-account-secret",
                    ns + "/" + EmulatedAccount.SECRET,
                    "--allowed-base-urls",
                    mailgun.emulator.url());

            assertThat(exit).as(out + "\n" + err).isEqualTo(2);
            assertThat(out.toString()).doesNotContain("note: domain news.example.com keeps its IPs");
            assertThat(out.toString().lines().toList())
                    .contains(
                            "IpPool " + ns + "/transactional (update, Updating, pool " + poolId + ")",
                            "  DELETE /v3/ip_pools/" + poolId + "/ips/198.51.100.11",
                            "IpPool " + ns + "/bulk (create, Creating)",
                            "  POST /v3/ip_pools name=bulk ips=[198.51.100.13]",
                            "DomainPoolBinding " + ns + "/mail-example-com (no-op, Available, pool " + poolId + ")",
                            "DomainPoolBinding " + ns + "/news-example-com (delete, Deleted, cluster)",
                            "  effect: domain news.example.com keeps its IPs: a domain always needs at least one",
                            "Resources: 1 to create, 1 to update, 1 to delete.");
            // a preview: nothing was written to Mailgun or the cluster
            assertThat(writes(mailgun)).isEqualTo(writes);
            assertThat(api.admin
                            .resources(DomainPoolBinding.class)
                            .inNamespace(ns)
                            .list()
                            .getItems())
                    .hasSize(2);
        }
    }

    private static long writes(EmulatedAccount mailgun) {
        List<JournalEntry> entries = mailgun.emulator.journal().entries();
        return entries.stream().filter(e -> !e.method().equals("GET")).count();
    }
}
