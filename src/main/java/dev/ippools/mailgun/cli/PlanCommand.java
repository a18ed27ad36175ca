package dev.ippools.mailgun.cli;

import dev.ippools.mailgun.account.AccountState;
import dev.ippools.mailgun.account.Credentials;
import dev.ippools.mailgun.account.MailgunAccounts;
import dev.ippools.mailgun.account.MailgunClients;
import dev.ippools.mailgun.client.MailgunApiException;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.MailgunException;
import dev.ippools.mailgun.emulator.EmulatorConfig;
import dev.ippools.mailgun.mapping.AccountPolicy;
import dev.ippools.mailgun.mapping.CredentialsResolver;
import dev.ippools.mailgun.mapping.CredentialsResolver.DefaultAccount;
import dev.ippools.mailgun.plan.ObservedAccount;
import dev.ippools.mailgun.preview.AccountSecretFile;
import dev.ippools.mailgun.preview.ClusterMerge;
import dev.ippools.mailgun.preview.ClusterPreview;
import dev.ippools.mailgun.preview.JsonReport;
import dev.ippools.mailgun.preview.ManifestException;
import dev.ippools.mailgun.preview.ManifestReader;
import dev.ippools.mailgun.preview.ManifestSet;
import dev.ippools.mailgun.preview.MarkdownReport;
import dev.ippools.mailgun.preview.PreviewReport;
import dev.ippools.mailgun.preview.TextReport;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code plan}: what the operator would call on Mailgun for a set of manifests, without writing
 * ({@code terraform plan} for GitOps pull requests).
 */
@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        exitCodeOnInvalidInput = PreviewReport.EXIT_INVALID,
        exitCodeOnExecutionException = PreviewReport.EXIT_INVALID,
        description = {
            "Show the Mailgun calls the operator would make for IpPool and DomainPoolBinding manifests,"
                    + " in order, against the live account (or the emulator). Reads Mailgun, never writes.",
            "",
            "Folders are read recursively (*.yaml, *.yml; multi-document files). Other kinds and YAML"
                    + " that is no Kubernetes object are skipped. Manifests are planned with the operator's"
                    + " own planner: pools first, then bindings; claims on the same IP or domain are decided"
                    + " in manifest order. A binding to a pool this plan creates links to"
                    + " \"(pool <name>, created by this plan)\".",
            "",
            "A manifest has no recorded pool id yet: a Mailgun pool whose description carries the"
                    + " operator's ownership marker and whose name is the IpPool's Mailgun name (spec.name,"
                    + " else metadata.name) counts as the pool the operator created for it. IpPools with"
                    + " spec.poolId use that pool.",
            "",
            "With --cluster the manifests are compared with the IpPools and DomainPoolBindings in the"
                    + " cluster (kubeconfig as for run): the ones of the manifests' namespaces (and of -n,"
                    + " when given) that no manifest names are planned as deleted, with their Mailgun"
                    + " effect. Each resource is planned against its own account: its spec.accountRef"
                    + " Secret, read from the cluster, or the default account (--default-account-secret, or"
                    + " one of the account options below). Objects keep the pool ids the operator recorded.",
            ""
        },
        footer = {
            "",
            "Exit codes:",
            "  0  no changes: Mailgun matches the manifests (waits are not changes)",
            "  2  changes: the operator would call Mailgun (with --cluster, also: a",
            "     resource is created or deleted); 0 with --allow-changes",
            "  1  invalid manifests, conflicts or deletions that would stay blocked (the",
            "     operator would not converge), or an error: unreadable file, bad",
            "     credentials, Mailgun or the cluster unreachable"
        })
public final class PlanCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(
            names = {"-f", "--filename"},
            required = true,
            paramLabel = "<file or folder>",
            description = "Manifest file or folder; repeat for more.")
    private List<Path> paths;

    @Option(
            names = {"-n", "--namespace"},
            defaultValue = "default",
            description = "Namespace of manifests that set none (default: ${DEFAULT-VALUE}).")
    private String namespace;

    @Option(
            names = {"-o", "--output"},
            defaultValue = "text",
            paramLabel = "text|json|markdown",
            converter = OutputConverter.class,
            description = "text (default), json for CI bots, or markdown for a pull-request comment.")
    private Output output;

    @Option(
            names = "--cluster",
            description = "Compare with the cluster: plan creations, updates and deletions for every"
                    + " account the manifests and the cluster use.")
    private boolean cluster;

    @Option(
            names = "--kubeconfig",
            paramLabel = "<file>",
            defaultValue = "${env:KUBECONFIG}",
            description = "With --cluster: kubeconfig file (env KUBECONFIG). Default: ~/.kube/config if"
                    + " it exists, else the in-cluster service account.")
    private String kubeconfig;

    @Option(
            names = "--default-account-secret",
            paramLabel = "<[namespace/]name>",
            description = "With --cluster: the operator's default account Secret, for resources without"
                    + " spec.accountRef (as run's option; a bare name is in the kubeconfig's namespace).")
    private String defaultAccountSecret;

    @Option(
            names = "--allow-changes",
            description = "Exit 0 instead of 2 on changes, for runners that take every non-zero exit"
                    + " as a failure (an Argo CD hook Job, a container without a shell); 1 stays 1.")
    private boolean allowChanges;

    @Option(
            names = "--allowed-base-urls",
            paramLabel = "<url,...>",
            defaultValue = "${env:MAILGUN_ALLOWED_BASE_URLS:-" + OperatorSettings.MAILGUN_BASE_URLS + "}",
            description = "API base URLs a Secret file or --base-url may name, comma-separated (env"
                    + " MAILGUN_ALLOWED_BASE_URLS), as for the operator; --emulator-url is allowed as given."
                    + " Default: ${DEFAULT-VALUE}.")
    private String allowedBaseUrls;

    @ArgGroup(
            exclusive = true,
            multiplicity = "0..1",
            heading = "%nMailgun account (one of; with" + " --cluster: the default account):%n")
    private AccountOptions account;

    private final UnaryOperator<String> environment;
    private final Function<Credentials, MailgunClient> clients;
    private final Clock clock;

    public PlanCommand() {
        this(System::getenv, MailgunClients.withDefaults(), Clock.systemUTC());
    }

    /** For tests: {@code environment} stands in for {@link System#getenv(String)}. */
    PlanCommand(UnaryOperator<String> environment, Function<Credentials, MailgunClient> clients) {
        this(environment, clients, Clock.systemUTC());
    }

    PlanCommand(UnaryOperator<String> environment, Function<Credentials, MailgunClient> clients, Clock clock) {
        this.environment = environment;
        this.clients = clients;
        this.clock = clock;
    }

    enum Output {
        TEXT,
        JSON,
        MARKDOWN
    }

    static final class AccountOptions {
        @Option(
                names = "--account-secret-file",
                paramLabel = "<secret.yaml>",
                description = "A Kubernetes Secret manifest with apiKey and the optional region (us|eu), baseUrl,"
                        + " subaccountId, in data (base64) or stringData: the operator's account Secret.")
        Path secretFile;

        @ArgGroup(exclusive = false)
        EmulatorOptions emulator;

        @ArgGroup(exclusive = false)
        EnvironmentKeyOptions environmentKey;
    }

    static final class EmulatorOptions {
        @Option(
                names = "--emulator-url",
                required = true,
                paramLabel = "<url>",
                description = "Base URL of a Mailgun emulator (see the emulator command).")
        String url;

        @Option(
                names = "--api-key",
                paramLabel = "<key>",
                description = "The emulator's API key (default: the emulator's default key).")
        String apiKey;
    }

    static final class EnvironmentKeyOptions {
        @Option(
                names = "--api-key-env",
                required = true,
                paramLabel = "<VAR>",
                description = "Environment variable that holds the Mailgun API key.")
        String variable;

        @Option(names = "--region", paramLabel = "us|eu", description = "Mailgun region (default: us).")
        String region;

        @Option(names = "--base-url", paramLabel = "<url>", description = "API root; overrides region.")
        String baseUrl;

        @Option(
                names = "--subaccount-id",
                paramLabel = "<id>",
                description = "Act for this subaccount (X-Mailgun-On-Behalf-Of).")
        String subaccountId;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            ManifestSet manifests = new ManifestReader(namespace).read(paths);
            PreviewReport report;
            if (cluster) {
                report = planCluster(manifests);
            } else {
                if (defaultAccountSecret != null || matched("--kubeconfig")) {
                    throw new IllegalArgumentException("--default-account-secret and --kubeconfig need --cluster");
                }
                AccountSecretFile.Account resolved = credentials();
                ObservedAccount observed = manifests.manifests().isEmpty()
                        ? new ObservedAccount(null, null, false, null, null)
                        : observe(resolved.credentials(), manifests);
                report = ClusterPreview.planManifests(manifests, observed, resolved.secretName());
            }
            if (output == Output.JSON) {
                out.println(JsonReport.render(report));
            } else if (output == Output.MARKDOWN) {
                out.print(MarkdownReport.render(report));
            } else {
                // only YAML that is no Kubernetes object at all may be a mistake worth a word
                manifests.skipped().stream()
                        .filter(s -> !s.kubernetes())
                        .forEach(s -> err.println("plan: skipped " + s.source() + ": " + s.reason()));
                TextReport.lines(report).forEach(out::println);
            }
            out.flush();
            err.flush();
            int exit = report.exitCode();
            return allowChanges && exit == PreviewReport.EXIT_CHANGES ? PreviewReport.EXIT_NO_CHANGES : exit;
        } catch (ManifestException | IllegalArgumentException e) {
            return fail(err, e.getMessage());
        } catch (AccountUnreadable e) {
            return fail(err, e.getMessage());
        } catch (KubernetesClientException e) {
            return fail(err, "cannot read the cluster: " + e.getMessage());
        }
    }

    /**
     * The manifests against the cluster's IpPools and DomainPoolBindings, each resource planned
     * against its own account. Reads the cluster and Mailgun, writes neither.
     */
    private PreviewReport planCluster(ManifestSet manifests) {
        if (defaultAccountSecret != null && account != null) {
            throw new IllegalArgumentException(
                    "--default-account-secret and the account options both name the default account;" + " give one");
        }
        if (kubeconfig != null && kubeconfig.contains(File.pathSeparator)) {
            if (matched("--kubeconfig")) {
                throw new IllegalArgumentException("--kubeconfig takes one file; set KUBECONFIG for a list of files");
            }
        } else if (kubeconfig != null && !kubeconfig.isBlank() && !new File(kubeconfig).isFile()) {
            throw new IllegalArgumentException("--kubeconfig: no such file: " + kubeconfig);
        }
        Set<String> namespaces = new TreeSet<>();
        manifests.manifests().forEach(m -> namespaces.add(m.key().namespace()));
        if (matched("--namespace")) {
            namespaces.add(namespace);
        }
        try (KubernetesClient kube = RunCommand.kubernetesClient(kubeconfig);
                MailgunAccounts accounts =
                        new MailgunAccounts(clients, clock, Duration.ofMinutes(1), Duration.ofHours(1))) {
            List<ClusterPreview.Subject> subjects =
                    ClusterMerge.merge(manifests, ClusterMerge.Cluster.read(kube), namespaces, clock.instant());
            DefaultAccount defaultAccount = defaultAccount(kube);
            // Every namespace's view, as the operator's policy is not known here; Secrets may name only
            // allowed hosts, and an account given on the command line is allowed as given.
            AccountPolicy policy = AccountPolicy.anyNamespace(policy().allowedBaseUrls());
            if (defaultAccount.credentials() != null) {
                policy = policy.allowing(defaultAccount.credentials().baseUrl());
            }
            CredentialsResolver resolver = new CredentialsResolver(
                    (ns, name) -> kube.secrets().inNamespace(ns).withName(name).get(), defaultAccount, policy);
            List<ClusterPreview.AccountGroup> groups =
                    ClusterPreview.observe(subjects, resolver, accounts::account, label(defaultAccount));
            return ClusterPreview.plan(groups, manifests.skipped());
        }
    }

    /** The operator's default account: a Secret in the cluster, or one of the account options. */
    private DefaultAccount defaultAccount(KubernetesClient kube) {
        if (account != null) {
            return DefaultAccount.direct(credentials().credentials());
        }
        if (defaultAccountSecret == null || defaultAccountSecret.isBlank()) {
            return DefaultAccount.none();
        }
        String secret = defaultAccountSecret.trim();
        String[] parts = secret.split("/", -1);
        if (parts.length > 2 || Arrays.stream(parts).anyMatch(String::isBlank)) {
            throw new IllegalArgumentException(
                    "--default-account-secret must be <name> or <namespace>/<name>, not '" + secret + "'");
        }
        if (parts.length == 2) {
            return DefaultAccount.secret(parts[0], parts[1]);
        }
        String own = kube.getConfiguration().getNamespace();
        return DefaultAccount.secret(own == null || own.isBlank() ? "default" : own, secret);
    }

    private String label(DefaultAccount defaultAccount) {
        if (defaultAccount.secretName() != null) {
            return "default account: Secret " + defaultAccount.secretNamespace() + "/" + defaultAccount.secretName();
        }
        if (defaultAccount.credentials() != null) {
            return "default account: given to plan";
        }
        return "default account: none given (--default-account-secret)";
    }

    private boolean matched(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private ObservedAccount observe(Credentials credentials, ManifestSet manifests) {
        try (MailgunAccounts accounts =
                new MailgunAccounts(clients, Clock.systemUTC(), Duration.ofMinutes(1), Duration.ofHours(1))) {
            AccountState state = accounts.account(credentials);
            return ClusterPreview.observeManifests(state, manifests);
        } catch (MailgunException e) {
            String hint = e instanceof MailgunApiException api && api.isUnauthorized()
                    ? "; check the API key and the region (a key works only in its own region)"
                    : "";
            throw new AccountUnreadable(
                    "cannot read the Mailgun account at " + credentials.baseUrl() + ": " + e.getMessage() + hint);
        }
    }

    /** The account to read; the key comes from a file or the environment and is never printed. */
    private AccountSecretFile.Account credentials() {
        return resolve(account, environment, policy(), allowedBaseUrls);
    }

    /** The account the options name; shared with {@code import}. */
    static AccountSecretFile.Account resolve(
            AccountOptions account, UnaryOperator<String> environment, AccountPolicy policy, String allowedBaseUrls) {
        if (account == null) {
            throw new IllegalArgumentException(
                    "no Mailgun account: give --account-secret-file <secret.yaml>, --emulator-url <url>"
                            + " [--api-key <key>], or --api-key-env <VAR> [--region us|eu]");
        }
        if (account.secretFile != null) {
            return AccountSecretFile.read(account.secretFile, policy);
        }
        if (account.emulator != null) {
            String key = account.emulator.apiKey == null ? EmulatorConfig.DEFAULT_API_KEY : account.emulator.apiKey;
            return new AccountSecretFile.Account(null, new Credentials(key, account.emulator.url, null));
        }
        EnvironmentKeyOptions env = account.environmentKey;
        String key = environment.apply(env.variable);
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("environment variable "
                    + env.variable
                    + " is not set or empty; it must hold the"
                    + " Mailgun API key");
        }
        String baseUrl = Credentials.baseUrlFor(env.region, env.baseUrl);
        if (!policy.allowsBaseUrl(baseUrl)) {
            throw new IllegalArgumentException(
                    "the API base URL is outside --allowed-base-urls (" + allowedBaseUrls + ")");
        }
        return new AccountSecretFile.Account(null, new Credentials(key.trim(), baseUrl, env.subaccountId));
    }

    private AccountPolicy policy() {
        return policy(allowedBaseUrls);
    }

    static AccountPolicy policy(String allowedBaseUrls) {
        return new AccountPolicy(Set.of(), List.copyOf(AccountPolicy.list(allowedBaseUrls)));
    }

    private static int fail(PrintWriter err, String message) {
        err.println("plan: " + message);
        err.flush();
        return PreviewReport.EXIT_INVALID;
    }

    /** Mailgun could not be read; the message is safe to print. */
    private static final class AccountUnreadable extends RuntimeException {
        AccountUnreadable(String message) {
            super(message);
        }
    }

    static final class OutputConverter implements CommandLine.ITypeConverter<Output> {
        @Override
        public Output convert(String value) {
            try {
                return Output.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not an output format; use text, json or markdown");
            }
        }
    }
}
