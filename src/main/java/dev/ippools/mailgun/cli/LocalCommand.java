package dev.ippools.mailgun.cli;

import dev.ippools.mailgun.local.ConditionTable;
import dev.ippools.mailgun.local.LocalEnvironment;
import dev.ippools.mailgun.local.ResourceRow;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code local}: a real Kubernetes API server, the CRDs, the Mailgun emulator, the operator and
 * the samples on this machine, with a live table of the resources' conditions, until Ctrl-C.
 */
@Command(
        name = "local",
        mixinStandardHelpOptions = true,
        description = {
            "Run everything on this machine: a local Kubernetes API server (etcd + kube-apiserver),"
                    + " the CRDs, the Mailgun emulator with the sample account, the operator and the"
                    + " samples. Prints a kubeconfig for kubectl and a live table of the resources.",
            "The API server binaries come from ~/.kubeapitest (or $KUBE_API_TEST_DIR): run"
                    + " `bash .ci/envtest-binaries.sh` once, or pass --download."
        })
public final class LocalCommand implements Callable<Integer> {

    static final Duration REFRESH = Duration.ofSeconds(2);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--port",
            defaultValue = "8025",
            description = "Port of the Mailgun emulator; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--no-samples", description = "Start empty: do not apply the samples.")
    private boolean noSamples;

    @Option(
            names = "--download",
            description = "Let kube-api-test download etcd, kube-apiserver and kubectl when none are installed"
                    + " (needs internet access).")
    private boolean download;

    @Option(
            names = "--kubeconfig",
            paramLabel = "<file>",
            description = "Where to write the kubeconfig; left there on exit (default: a new temporary"
                    + " directory, deleted on exit).")
    private Path kubeconfig;

    @Option(
            names = "--log-level",
            paramLabel = "<level>",
            defaultValue = "warn",
            description = "Log level of the operator and its libraries: trace, debug, info, warn, error"
                    + " or off (default: ${DEFAULT-VALUE}, so the table stays readable).")
    private String logLevel;

    private final StopHandshake stopping = new StopHandshake();
    // The thread inside LocalEnvironment.start, interrupted by stop(); guarded by this.
    private Thread starting;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long startNanos = System.nanoTime();
        if (!Logging.isLevel(logLevel)) {
            err.println(
                    "local: --log-level must be one of trace, debug, info, warn, error, off, not '" + logLevel + "'");
            err.flush();
            return 2;
        }
        Logging.configure(Logging.Format.TEXT, logLevel);
        // Registered before anything starts: Ctrl-C while the API server comes up must still stop
        // it, or etcd and kube-apiserver would outlive the JVM; STOP_TIMEOUT covers a slow start.
        stopping.installHook("mailgun-local-shutdown", STOP_TIMEOUT, this::stop);
        try {
            LocalEnvironment environment;
            synchronized (this) {
                starting = Thread.currentThread();
            }
            try {
                environment = LocalEnvironment.start(
                        new LocalEnvironment.Options(port, !noSamples, download, kubeconfig), step -> {
                            out.println("==> " + step);
                            out.flush();
                        });
            } catch (IllegalStateException | UncheckedIOException | KubernetesClientException e) {
                if (stopping.isRequested()) {
                    out.println("Stopped before everything was up.");
                    out.flush();
                    return 0;
                }
                err.println("local: " + e.getMessage());
                err.flush();
                return 1;
            } finally {
                synchronized (this) {
                    starting = null;
                    if (stopping.isRequested()) {
                        Thread.interrupted(); // stop()'s own interrupt: stopping follows below
                    }
                }
            }
            runUntilStopped(out, err, environment, startNanos);
            out.println("Stopped.");
            out.flush();
            return 0;
        } finally {
            stopping.finished();
        }
    }

    private void runUntilStopped(PrintWriter out, PrintWriter err, LocalEnvironment environment, long startNanos) {
        try {
            if (!stopping.isRequested()) {
                printWelcome(out, environment);
                watch(out, err, environment, startNanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            out.println("==> Stopping the operator, the emulator and the API server");
            out.flush();
            environment.close();
        }
    }

    /**
     * Asks a running {@link #call()} to stop everything and return; a start in progress is cut
     * short (Ctrl-C also reaches etcd and kube-apiserver, whose start would otherwise be waited for
     * until it times out).
     */
    public void stop() {
        stopping.request(0);
        synchronized (this) {
            if (starting != null) {
                starting.interrupt();
            }
        }
    }

    private void printWelcome(PrintWriter out, LocalEnvironment environment) {
        Optional<Path> kubectl = environment.kubectl();
        out.println();
        out.println("Kubernetes API server is up. In another terminal:");
        out.println("  export KUBECONFIG=" + environment.kubeconfig().toAbsolutePath());
        if (kubectl.isPresent()) {
            out.println("  alias kubectl=" + kubectl.get().toAbsolutePath() + "   # or any kubectl of your own");
        }
        out.println("  kubectl get ippools,domainpoolbindings");
        out.println("Mailgun emulator: " + environment.emulatorUrl()
                + " (API key: the emulator's built-in default, see README)");
        out.println("Press Ctrl-C to stop.");
        out.println();
        out.flush();
    }

    /** Prints the table when it changed, every {@link #REFRESH}, until asked to stop. */
    private void watch(PrintWriter out, PrintWriter err, LocalEnvironment environment, long startNanos)
            throws InterruptedException {
        String previous = null;
        boolean allReadyReported = false;
        do {
            List<ResourceRow> rows;
            try {
                rows = environment.rows();
            } catch (KubernetesClientException e) {
                if (Thread.currentThread().isInterrupted() || causedByInterrupt(e)) {
                    throw new InterruptedException("interrupted while listing resources");
                }
                err.println("local: cannot list resources: " + e.getMessage());
                err.flush();
                continue;
            }
            String table = ConditionTable.render(rows);
            if (!table.equals(previous)) {
                out.println(
                        "[" + LocalTime.now().truncatedTo(ChronoUnit.SECONDS).format(CLOCK) + "]");
                out.print(table);
                out.println();
                previous = table;
            }
            if (!allReadyReported && !rows.isEmpty() && rows.stream().allMatch(ResourceRow::isReady)) {
                allReadyReported = true;
                double seconds = (System.nanoTime() - startNanos) / 1e9;
                out.printf("All %d resources Ready, %.1f s after start.%n%n", rows.size(), seconds);
            }
            out.flush();
        } while (!stopping.awaitRequest(REFRESH));
    }

    private static boolean causedByInterrupt(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof InterruptedIOException) {
                return true;
            }
        }
        return false;
    }
}
