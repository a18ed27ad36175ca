package dev.ippools.mailgun.cli;

import dev.ippools.mailgun.emulator.AccountFixture;
import dev.ippools.mailgun.emulator.EmulatorConfig;
import dev.ippools.mailgun.emulator.MailgunEmulator;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code emulator}: serves the Mailgun emulator on a port until stopped (Ctrl-C). */
@Command(
        name = "emulator",
        mixinStandardHelpOptions = true,
        description = {
            "Run a local, stateful Mailgun API emulator (IP pools, domain IPs, account IPs).",
            "Admin API (no auth): /_emulator/journal, /faults, /state, /settle, /reset, /config."
        })
public final class EmulatorCommand implements Callable<Integer> {

    static final String API_KEY_ENV = "MAILGUN_EMULATOR_API_KEY";

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--port",
            defaultValue = "8025",
            description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 for all).")
    private String host;

    @Option(
            names = "--fixture",
            paramLabel = "<file>",
            description = "Account fixture (YAML). Default: the bundled sample account.")
    private Path fixture;

    @Option(
            names = "--api-key",
            paramLabel = "<key>",
            description = "API key clients must send (user 'api'). Default: $"
                    + API_KEY_ENV
                    + ", else the built-in key from the README.")
    private String apiKey;

    @Option(
            names = "--propagation-delay",
            defaultValue = "0s",
            paramLabel = "<duration>",
            converter = DurationConverter.class,
            description = "Delay before domains reflect pool changes, e.g. 2s, 500ms, PT1M (default: 0s).")
    private Duration propagationDelay;

    @Option(
            names = "--rate-limit",
            defaultValue = "0",
            paramLabel = "<calls/s>",
            description = "Calls per second per API key, answered 429 with X-RateLimit-* headers beyond it, as"
                    + " Mailgun does (default: 0, no limit).")
    private double rateLimit;

    private final UnaryOperator<String> environment;
    private final StopHandshake stopping = new StopHandshake();

    public EmulatorCommand() {
        this(System::getenv);
    }

    /** For tests: {@code environment} stands in for {@link System#getenv(String)}. */
    EmulatorCommand(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String key = apiKey;
        String keySource = "from --api-key";
        if (key == null || key.isBlank()) {
            key = environment.apply(API_KEY_ENV);
            keySource = "from $" + API_KEY_ENV;
        }
        if (key == null || key.isBlank()) {
            key = EmulatorConfig.DEFAULT_API_KEY;
            keySource = "the built-in default key (see README)";
        }
        EmulatorConfig config;
        try {
            AccountFixture account = fixture == null ? AccountFixture.defaults() : AccountFixture.load(fixture);
            config = EmulatorConfig.defaults()
                    .withHost(host)
                    .withPort(port)
                    .withFixture(account)
                    .withApiKey(key)
                    .withPropagationDelay(propagationDelay);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            err.println("emulator: " + e.getMessage());
            err.flush();
            return 2;
        }
        if (rateLimit < 0 || Double.isNaN(rateLimit) || Double.isInfinite(rateLimit)) {
            err.println("emulator: --rate-limit must be 0 (no limit) or a positive number, not " + rateLimit);
            err.flush();
            return 2;
        }
        MailgunEmulator emulator;
        try {
            emulator = MailgunEmulator.start(config);
            emulator.setRateLimit(rateLimit);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            err.println("emulator: " + e.getMessage());
            err.flush();
            return 1;
        }
        stopping.installHook("mailgun-emulator-shutdown", Duration.ofSeconds(5), this::stop);
        try {
            out.printf(
                    "Mailgun emulator listening on %s (fixture: %s; API key: %s; propagation delay: %s;"
                            + " rate limit: %s)%n",
                    emulator.url(),
                    fixture == null ? "bundled sample" : fixture,
                    keySource,
                    propagationDelay.toMillis() + "ms",
                    rateLimit == 0 ? "none" : emulator.rateLimit() + " calls/s per key");
            out.println("Press Ctrl-C to stop.");
            out.flush();
            stopping.awaitRequest();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            emulator.close();
            stopping.finished();
        }
        out.println("Mailgun emulator stopped.");
        out.flush();
        return 0;
    }

    /** Asks a running {@link #call()} to close the emulator and return. */
    public void stop() {
        stopping.request(0);
    }

    /** Reads {@code 2s}, {@code 500ms}, {@code 1m}, {@code 1h}, bare milliseconds, or ISO-8601. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern SHORT = Pattern.compile("^(\\d+)\\s*(ms|s|m|h)?$");

        @Override
        public Duration convert(String value) {
            Matcher m = SHORT.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (m.matches()) {
                long amount = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "ms" : m.group(2);
                return switch (unit) {
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofMillis(amount);
                };
            }
            try {
                Duration parsed = Duration.parse(value.trim().toUpperCase(Locale.ROOT));
                if (parsed.isNegative()) {
                    throw new CommandLine.TypeConversionException("duration must not be negative");
                }
                return parsed;
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not a duration (examples: 2s, 500ms, PT1M)");
            }
        }
    }
}
