package dev.ippools.mailgun.cli;

import dev.ippools.mailgun.account.AccountState;
import dev.ippools.mailgun.account.Credentials;
import dev.ippools.mailgun.account.MailgunAccounts;
import dev.ippools.mailgun.account.MailgunClients;
import dev.ippools.mailgun.account.Snapshot;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.MailgunException;
import dev.ippools.mailgun.client.model.AccountDomain;
import dev.ippools.mailgun.client.model.MailgunPool;
import dev.ippools.mailgun.preview.AccountImport;
import dev.ippools.mailgun.preview.AccountImport.DomainEntry;
import dev.ippools.mailgun.preview.AccountImport.PoolEntry;
import dev.ippools.mailgun.preview.ManifestException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code import}: the IpPool and DomainPoolBinding manifests that bring an existing Mailgun
 * account under management without changing it. Reads Mailgun, never writes.
 */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Print IpPool and DomainPoolBinding manifests for what a Mailgun account holds: one IpPool"
                    + " per pool (spec.poolId, name, description without the operator's marker, IPs), one"
                    + " DomainPoolBinding per domain linked to a pool or holding dedicated IPs. Pools"
                    + " inherited from a parent account are managementPolicy Observe. Imported resources"
                    + " leave Mailgun as it is when deleted (deletionPolicy/onDelete Orphan).",
            "",
            "Review the result with plan, then apply it. Renamed resources and skipped domains are"
                    + " reported on stderr.",
            ""
        })
public final class ImportCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(
            names = {"-n", "--namespace"},
            defaultValue = "default",
            description = "Namespace of the manifests (default: ${DEFAULT-VALUE}).")
    private String namespace;

    @Option(
            names = "--account-ref",
            paramLabel = "<secret>",
            description =
                    "Secret name to write as spec.accountRef (default: none, the operator's" + " default account).")
    private String accountRef;

    @Option(
            names = "--pool",
            paramLabel = "<id or name>",
            description = "Import only this pool (Mailgun id or name); repeat for more. Default: all.")
    private List<String> pools = new ArrayList<>();

    @Option(
            names = "--domain",
            paramLabel = "<domain>",
            description = "Import only this domain's binding; repeat for more. Default: all.")
    private List<String> domains = new ArrayList<>();

    @Option(
            names = "--output-dir",
            paramLabel = "<dir>",
            description = "Write one file per resource into this folder instead of YAML on stdout.")
    private Path outputDir;

    @Option(
            names = "--allowed-base-urls",
            paramLabel = "<url,...>",
            defaultValue = "${env:MAILGUN_ALLOWED_BASE_URLS:-https://api.mailgun.net," + "https://api.eu.mailgun.net}",
            description =
                    "API base URLs a Secret file or --base-url may name, as for plan." + " Default: ${DEFAULT-VALUE}.")
    private String allowedBaseUrls;

    @ArgGroup(exclusive = true, multiplicity = "0..1", heading = "%nMailgun account (one of):%n")
    private PlanCommand.AccountOptions account;

    private final UnaryOperator<String> environment;
    private final Function<Credentials, MailgunClient> clients;

    public ImportCommand() {
        this(System::getenv, MailgunClients.withDefaults());
    }

    ImportCommand(UnaryOperator<String> environment, Function<Credentials, MailgunClient> clients) {
        this.environment = environment;
        this.clients = clients;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Credentials credentials = PlanCommand.resolve(
                            account, environment, PlanCommand.policy(allowedBaseUrls), allowedBaseUrls)
                    .credentials();
            AccountImport.Result result = read(credentials);
            result.notes().forEach(n -> err.println("import: " + n));
            if (outputDir == null) {
                out.print(AccountImport.yaml(result.resources()));
            } else {
                write(result.resources());
                err.println("import: wrote " + result.resources().size() + " files to " + outputDir);
            }
            out.flush();
            err.flush();
            return 0;
        } catch (ManifestException | IllegalArgumentException | UncheckedIOException e) {
            return fail(err, e.getMessage());
        } catch (MailgunException e) {
            return fail(err, "cannot read the Mailgun account: " + e.getMessage());
        }
    }

    /** One bulk read, each linked pool's domains, and each domain's IPs. */
    private AccountImport.Result read(Credentials credentials) {
        try (MailgunAccounts accounts =
                new MailgunAccounts(clients, Clock.systemUTC(), Duration.ofMinutes(1), Duration.ofHours(1))) {
            AccountState state = accounts.account(credentials);
            state.wantDelegations();
            state.refresh();
            Snapshot snapshot = state.snapshot();
            MailgunClient client = state.client();
            List<PoolEntry> poolEntries = new ArrayList<>();
            for (MailgunPool pool : snapshot.pools()) {
                List<String> linked =
                        pool.linked() ? client.getPool(pool.poolId()).linkedDomains() : List.of();
                poolEntries.add(new PoolEntry(
                        pool.poolId(),
                        pool.name(),
                        pool.description(),
                        pool.ips(),
                        pool.inherited(),
                        snapshot.delegations().getOrDefault(pool.poolId(), Set.of()),
                        linked));
            }
            Set<String> dedicated = new HashSet<>(snapshot.ips().items());
            List<DomainEntry> domainEntries = new ArrayList<>();
            for (AccountDomain domain : client.listAllDomains()) {
                if (!domains.isEmpty() && !domains.contains(domain.name())) {
                    continue;
                }
                List<String> ips = client.legacyListDomainIps(domain.name()).stream()
                        .filter(dedicated::contains)
                        .toList();
                domainEntries.add(new DomainEntry(domain.name(), ips));
            }
            return AccountImport.build(
                    poolEntries,
                    domainEntries,
                    new AccountImport.Options(namespace, accountRef, Set.copyOf(pools), Set.copyOf(domains)));
        }
    }

    private void write(List<HasMetadata> resources) {
        try {
            Files.createDirectories(outputDir);
            for (HasMetadata resource : resources) {
                Files.writeString(
                        outputDir.resolve(AccountImport.fileName(resource)),
                        AccountImport.yaml(List.of(resource)),
                        StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + outputDir + ": " + e.getMessage(), e);
        }
    }

    private static int fail(PrintWriter err, String message) {
        err.println("import: " + message);
        err.flush();
        return 1;
    }
}
