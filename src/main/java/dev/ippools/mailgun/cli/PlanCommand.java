package dev.ippools.mailgun.cli;

import dev.ippools.mailgun.account.AccountState;
import dev.ippools.mailgun.account.Credentials;
import dev.ippools.mailgun.account.MailgunAccounts;
import dev.ippools.mailgun.account.MailgunClients;
import dev.ippools.mailgun.client.MailgunApiException;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.mapping.AccountPolicy;
import dev.ippools.mailgun.client.MailgunException;
import dev.ippools.mailgun.emulator.EmulatorConfig;
import dev.ippools.mailgun.plan.ObservedAccount;
import dev.ippools.mailgun.preview.AccountSecretFile;
import dev.ippools.mailgun.preview.JsonReport;
import dev.ippools.mailgun.preview.ManifestException;
import dev.ippools.mailgun.preview.ManifestReader;
import dev.ippools.mailgun.preview.ManifestSet;
import dev.ippools.mailgun.preview.Preview;
import dev.ippools.mailgun.preview.PreviewReport;
import dev.ippools.mailgun.preview.TextReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
      ""
    },
    footer = {
      "",
      "Exit codes:",
      "  0  no changes: Mailgun matches the manifests (waits are not changes)",
      "  2  changes: the operator would call Mailgun",
      "  1  invalid manifests or conflicts (the operator would not converge), or an",
      "     error: unreadable file, bad credentials, Mailgun unreachable"
    })
public final class PlanCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

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
      paramLabel = "text|json",
      converter = OutputConverter.class,
      description = "text (default) or json, for CI bots.")
  private Output output;

  @Option(
      names = "--allowed-base-urls",
      paramLabel = "<url,...>",
      defaultValue = "${env:MAILGUN_ALLOWED_BASE_URLS:-https://api.mailgun.net,"
          + "https://api.eu.mailgun.net}",
      description = "API base URLs a Secret file or --base-url may name, comma-separated (env"
          + " MAILGUN_ALLOWED_BASE_URLS), as for the operator; --emulator-url is allowed as given."
          + " Default: ${DEFAULT-VALUE}.")
  private String allowedBaseUrls;

  @ArgGroup(exclusive = true, multiplicity = "0..1", heading = "%nMailgun account (one of):%n")
  private AccountOptions account;

  private final UnaryOperator<String> environment;
  private final Function<Credentials, MailgunClient> clients;

  public PlanCommand() {
    this(System::getenv, MailgunClients.withDefaults());
  }

  /** For tests: {@code environment} stands in for {@link System#getenv(String)}. */
  PlanCommand(UnaryOperator<String> environment, Function<Credentials, MailgunClient> clients) {
    this.environment = environment;
    this.clients = clients;
  }

  enum Output {
    TEXT,
    JSON
  }

  static final class AccountOptions {
    @Option(
        names = "--account-secret-file",
        paramLabel = "<secret.yaml>",
        description =
            "A Kubernetes Secret manifest with apiKey and the optional region (us|eu), baseUrl,"
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
      AccountSecretFile.Account resolved = credentials();
      ObservedAccount observed =
          manifests.manifests().isEmpty()
              ? new ObservedAccount(null, null, false, null, null)
              : observe(resolved.credentials(), manifests);
      PreviewReport report = Preview.plan(manifests, observed, resolved.secretName());
      if (output == Output.JSON) {
        out.println(JsonReport.render(report));
      } else {
        // only YAML that is no Kubernetes object at all may be a mistake worth a word
        manifests.skipped().stream()
            .filter(s -> !s.kubernetes())
            .forEach(s -> err.println("plan: skipped " + s.source() + ": " + s.reason()));
        TextReport.lines(report).forEach(out::println);
      }
      out.flush();
      err.flush();
      return report.exitCode();
    } catch (ManifestException | IllegalArgumentException e) {
      return fail(err, e.getMessage());
    } catch (AccountUnreadable e) {
      return fail(err, e.getMessage());
    }
  }

  private ObservedAccount observe(Credentials credentials, ManifestSet manifests) {
    try (MailgunAccounts accounts =
        new MailgunAccounts(
            clients, Clock.systemUTC(), Duration.ofMinutes(1), Duration.ofHours(1))) {
      AccountState state = accounts.account(credentials);
      return Preview.observe(state, manifests);
    } catch (MailgunException e) {
      String hint =
          e instanceof MailgunApiException api && api.isUnauthorized()
              ? "; check the API key and the region (a key works only in its own region)"
              : "";
      throw new AccountUnreadable(
          "cannot read the Mailgun account at "
              + credentials.baseUrl()
              + ": "
              + e.getMessage()
              + hint);
    }
  }

  /** The account to read; the key comes from a file or the environment and is never printed. */
  private AccountSecretFile.Account credentials() {
    if (account == null) {
      throw new IllegalArgumentException(
          "no Mailgun account: give --account-secret-file <secret.yaml>, --emulator-url <url>"
              + " [--api-key <key>], or --api-key-env <VAR> [--region us|eu]");
    }
    if (account.secretFile != null) {
      return AccountSecretFile.read(account.secretFile, policy());
    }
    if (account.emulator != null) {
      String key =
          account.emulator.apiKey == null
              ? EmulatorConfig.DEFAULT_API_KEY
              : account.emulator.apiKey;
      return new AccountSecretFile.Account(null, new Credentials(key, account.emulator.url, null));
    }
    EnvironmentKeyOptions env = account.environmentKey;
    String key = environment.apply(env.variable);
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException(
          "environment variable "
              + env.variable
              + " is not set or empty; it must hold the"
              + " Mailgun API key");
    }
    String baseUrl = Credentials.baseUrlFor(env.region, env.baseUrl);
    if (!policy().allowsBaseUrl(baseUrl)) {
      throw new IllegalArgumentException(
          "the API base URL is outside --allowed-base-urls (" + allowedBaseUrls + ")");
    }
    return new AccountSecretFile.Account(
        null, new Credentials(key.trim(), baseUrl, env.subaccountId));
  }

  private AccountPolicy policy() {
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
            "'" + value + "' is not an output format; use text or json");
      }
    }
  }
}
