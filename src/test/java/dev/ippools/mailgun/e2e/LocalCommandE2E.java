package dev.ippools.mailgun.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ippools.mailgun.cli.LocalCommand;
import dev.ippools.mailgun.local.LocalApiServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The {@code local} command in this JVM: it starts a real API server and everything else, prints
 * a kubeconfig that works and a table that reaches Ready, and stops its processes when asked.
 */
class LocalCommandE2E {

    static final Pattern KUBECONFIG = Pattern.compile("export KUBECONFIG=(\\S+)");
    static final Set<String> SAMPLES = Set.of("transactional", "mail-example-com", "news-example-com");

    /** A running {@code local} command on its own thread, with what it printed so far. */
    static final class Local {
        final LocalCommand command = new LocalCommand();
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final AtomicInteger exitCode = new AtomicInteger(-1);
        final Thread thread;

        Local(String... args) {
            CommandLine cli =
                    new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
            thread = new Thread(() -> exitCode.set(cli.execute(args)), "local-command");
            thread.start();
        }

        String output() {
            return out.toString();
        }

        void awaitOutput(String text) {
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> !thread.isAlive() || output().contains(text));
            assertThat(output()).as("stderr: %s", err).contains(text);
        }

        int awaitExit() throws InterruptedException {
            thread.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(thread.isAlive())
                    .as("local did not stop; output: %s", output())
                    .isFalse();
            return exitCode.get();
        }
    }

    /** The kube-apiserver and etcd processes this JVM started. */
    static Set<ProcessHandle> apiServerProcesses() {
        return ProcessHandle.current()
                .descendants()
                .filter(p -> p.info()
                        .command()
                        .map(c -> c.endsWith("/kube-apiserver") || c.endsWith("/etcd"))
                        .orElse(false))
                .collect(Collectors.toSet());
    }

    static Set<ProcessHandle> startedSince(Set<ProcessHandle> before) {
        Set<ProcessHandle> started = new HashSet<>(apiServerProcesses());
        started.removeAll(before);
        return started;
    }

    /** NAME to READY column of the last table printed. */
    static Map<String, String> lastTable(String output) {
        int header = output.lastIndexOf("KIND ");
        if (header < 0) {
            return Map.of();
        }
        List<String[]> rows = new ArrayList<>();
        for (String line : output.substring(header).lines().skip(1).toList()) {
            if (line.isBlank()) {
                break;
            }
            rows.add(line.trim().split("\\s+"));
        }
        return rows.stream().collect(Collectors.toMap(r -> r[1], r -> r[2], (a, b) -> b));
    }

    static boolean allSamplesReady(String output) {
        Map<String, String> table = lastTable(output);
        return table.keySet().equals(SAMPLES) && table.values().stream().allMatch("True"::equals);
    }

    @Test
    void theSamplesReachReadyAndStopLeavesNoProcessBehind() throws Exception {
        Set<ProcessHandle> before = apiServerProcesses();
        long start = System.nanoTime();
        Local local = new Local("--port", "0");

        local.awaitOutput("Press Ctrl-C to stop.");
        Set<ProcessHandle> started = startedSince(before);
        assertThat(started).as("kube-apiserver and etcd").hasSize(2).allMatch(ProcessHandle::isAlive);
        Matcher kubeconfig = KUBECONFIG.matcher(local.output());
        assertThat(kubeconfig.find()).isTrue();
        Path kubeconfigFile = Path.of(kubeconfig.group(1));
        assertThat(kubeconfigFile).isRegularFile();
        assertThat(local.output()).contains("Mailgun emulator: http://127.0.0.1:");

        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !local.thread.isAlive() || allSamplesReady(local.output()));
        assertThat(allSamplesReady(local.output())).as(local.output()).isTrue();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("local: all samples Ready %.1f s after start%n", seconds);
        assertThat(local.output()).containsPattern("All 3 resources Ready, [0-9.]+ s after start");

        // The printed kubeconfig works with the matching kubectl.
        Path kubectl = LocalApiServer.kubectl().orElseThrow();
        Process get = new ProcessBuilder(
                        kubectl.toString(),
                        "--kubeconfig",
                        kubeconfigFile.toString(),
                        "get",
                        "ippools,domainpoolbindings",
                        "-n",
                        "default")
                .redirectErrorStream(true)
                .start();
        String listed = new String(get.getInputStream().readAllBytes());
        assertThat(get.waitFor()).as(listed).isZero();
        assertThat(listed).contains("transactional", "mail-example-com", "news-example-com");

        local.command.stop();
        assertThat(local.awaitExit()).isZero();
        assertThat(local.output()).contains("Stopped.");
        for (ProcessHandle p : started) {
            p.onExit().get(30, TimeUnit.SECONDS);
            assertThat(p.isAlive()).as("pid %d", p.pid()).isFalse();
        }
        assertThat(Files.exists(kubeconfigFile)).isFalse();
    }

    @Test
    void withoutSamplesItStartsEmptyAndAnInterruptStopsIt() throws Exception {
        Set<ProcessHandle> before = apiServerProcesses();
        Local local = new Local("--port", "0", "--no-samples");

        local.awaitOutput("Press Ctrl-C to stop.");
        local.awaitOutput("KIND ");
        Set<ProcessHandle> started = startedSince(before);
        assertThat(started).hasSize(2);
        assertThat(local.output()).doesNotContain("Applying the samples");
        assertThat(lastTable(local.output())).isEmpty();

        local.thread.interrupt();
        assertThat(local.awaitExit()).isZero();
        for (ProcessHandle p : started) {
            p.onExit().get(30, TimeUnit.SECONDS);
        }
        assertThat(started).noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void aStopWhileTheApiServerStartsStopsAtOnceAndLeavesNothingRunning() throws Exception {
        Set<ProcessHandle> before = apiServerProcesses();
        Local local = new Local("--port", "0");
        local.awaitOutput("==> Starting a Kubernetes API server");
        // etcd comes first; stop as soon as it runs, long before the API server is ready.
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> !startedSince(before).isEmpty());
        Set<ProcessHandle> started = startedSince(before);

        long stopAt = System.nanoTime();
        local.command.stop();

        assertThat(local.awaitExit()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - stopAt)).isLessThan(Duration.ofSeconds(20));
        assertThat(local.output()).contains("Stopped before everything was up.").doesNotContain("Press Ctrl-C");
        for (ProcessHandle p : started) {
            p.onExit().get(30, TimeUnit.SECONDS);
            assertThat(p.isAlive()).as("pid %d", p.pid()).isFalse();
        }
    }
}
