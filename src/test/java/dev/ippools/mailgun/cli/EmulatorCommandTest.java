package dev.ippools.mailgun.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ippools.mailgun.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Runs the {@code emulator} command in-process and talks to it over HTTP. */
class EmulatorCommandTest {

    private static final Pattern URL = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
    private final HttpClient client = HttpClient.newHttpClient();

    /** A running command, its output, and its exit code once it returns. */
    private record Running(EmulatorCommand command, Thread thread, StringWriter out, AtomicInteger exit) {
        String url() {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> URL.matcher(out.toString()).find());
            Matcher m = URL.matcher(out.toString());
            assertThat(m.find()).isTrue();
            return m.group(1);
        }

        int stop() throws InterruptedException {
            command.stop();
            thread.join(10_000);
            assertThat(thread.isAlive()).isFalse();
            return exit.get();
        }
    }

    private static Running start(Map<String, String> env, String... args) {
        EmulatorCommand command = new EmulatorCommand(env::get);
        CommandLine commandLine = new CommandLine(command);
        StringWriter out = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        AtomicInteger exit = new AtomicInteger(-1);
        Thread thread = new Thread(() -> exit.set(commandLine.execute(args)), "emulator-command-test");
        thread.setDaemon(true);
        thread.start();
        return new Running(command, thread, out, exit);
    }

    @Test
    void servesTheFixtureWithTheGivenKeyAndNeverPrintsIt() throws Exception {
        Running running = start(
                Map.of(),
                "--port",
                "0",
                "--fixture",
                "config/samples/emulator-fixture.yaml",
                "--api-key",
                "cli-secret-key",
                "--propagation-delay",
                "2s");
        String url = running.url();
        HttpResponse<String> pools = get(url + "/v3/ip_pools", "cli-secret-key");
        assertThat(pools.statusCode()).isEqualTo(200);
        assertThat(pools.body()).contains("legacy-transactional");
        assertThat(get(url + "/v3/ip_pools", "wrong").statusCode()).isEqualTo(401);
        assertThat(get(url + "/_emulator/config", null).body()).contains("\"propagationDelayMs\":2000");

        assertThat(running.stop()).isZero();
        assertThat(running.out().toString())
                .doesNotContain("cli-secret-key")
                .contains("API key: from --api-key")
                .contains("Mailgun emulator stopped.");
    }

    @Test
    void keyComesFromTheEnvironmentThenTheBuiltInDefault() throws Exception {
        Running fromEnv = start(Map.of(EmulatorCommand.API_KEY_ENV, "env-secret-key"), "--port", "0");
        assertThat(get(fromEnv.url() + "/v3/ips", "env-secret-key").statusCode())
                .isEqualTo(200);
        assertThat(fromEnv.stop()).isZero();
        assertThat(fromEnv.out().toString())
                .contains("API key: from $MAILGUN_EMULATOR_API_KEY")
                .doesNotContain("env-secret-key");

        Running builtIn = start(Map.of(), "--port", "0");
        assertThat(get(builtIn.url() + "/v3/ips", "emulator-key").statusCode()).isEqualTo(200);
        assertThat(builtIn.stop()).isZero();
        assertThat(builtIn.out().toString())
                .contains("the built-in default key")
                .doesNotContain("emulator-key");
    }

    @Test
    void aBrokenFixtureFailsWithAMessage() {
        EmulatorCommand command = new EmulatorCommand(name -> null);
        CommandLine commandLine = new CommandLine(command);
        StringWriter err = new StringWriter();
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute("--port", "0", "--fixture", "does/not/exist.yaml");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("cannot read emulator fixture does/not/exist.yaml");
        assertThat(commandLine.execute("--propagation-delay", "soon")).isEqualTo(2);
    }

    @Test
    void isASubcommandOfTheJar() {
        assertThat(new CommandLine(new Main()).getSubcommands()).containsKey("emulator");
        assertThat(new EmulatorCommand.DurationConverter().convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(new EmulatorCommand.DurationConverter().convert("PT1M")).isEqualTo(Duration.ofMinutes(1));
    }

    private HttpResponse<String> get(String url, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (key != null) {
            String token = Base64.getEncoder().encodeToString(("api:" + key).getBytes(StandardCharsets.UTF_8));
            request.header("Authorization", "Basic " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
