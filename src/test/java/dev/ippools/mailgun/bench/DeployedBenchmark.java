package dev.ippools.mailgun.bench;

import static dev.ippools.mailgun.bench.BenchWorkload.NS;
import static dev.ippools.mailgun.bench.BenchWorkload.byEndpoint;
import static dev.ippools.mailgun.bench.BenchWorkload.seconds;

import dev.ippools.mailgun.e2e.Podman;
import dev.ippools.mailgun.emulator.EmulatorConfig;
import dev.ippools.mailgun.emulator.JournalEntry;
import dev.ippools.mailgun.emulator.MailgunEmulator;
import dev.ippools.mailgun.local.LocalApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Not a test: the scale benchmark as deployed. The image {@code .ci/image.sh} builds runs under
 * podman as the chart runs the pod (its security settings and environment, a CPU and memory limit,
 * no swap) against a real kube-apiserver and the emulator in this JVM, limited to 10 calls/s as
 * Mailgun would. N pools and M bindings are applied at once; the driver then behaves like a
 * kubelet (restarts the container when it exits) and reports Mailgun calls against the batched
 * floor, time to all Ready, the container's CPU (cgroup cpuacct), peak RSS (VmHWM and the memory
 * cgroup's peak), GC pauses and heap from the operator's /metrics, OOM kills (kernel log), restarts,
 * a class histogram mid-convergence and at the end, and the steady state.
 *
 * <p>Run: {@code .ci/bench-deployed.sh 1000 5000 --cpus 1 --memory 512m} (arguments: pools,
 * bindings, poll interval in seconds; options {@code --cpus}, {@code --memory}, {@code
 * --restart-at=<s>}, {@code --histogram-at=<s>}, {@code --jvm-options="..."}, {@code --jfr},
 * {@code --timeout=<min>}, {@code --archive=<image archive>}).
 */
public final class DeployedBenchmark {

    private static final String CONTAINER = "operator";
    private static final double EMULATOR_RATE = 10.0;
    private static final Duration LIST_EVERY = Duration.ofSeconds(2);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);
    private static final int MAX_RESTARTS = 5;
    private static final int STEADY_INTERVALS = 6;
    private static final Path CPUACCT = Path.of("/sys/fs/cgroup/cpuacct");
    private static final Path MEMORY = Path.of("/sys/fs/cgroup/memory");
    private static final Pattern LOADED = Pattern.compile("Loaded image(?:\\(s\\))?: (\\S+)");
    /**
     * The operator's own log lines (text or JSON) and the JVM's last words, not the thread dumps and
     * histograms SIGQUIT printed in between.
     */
    private static final Pattern OPERATOR_LINE =
            Pattern.compile("^(?:\\d{4}-\\d\\d-\\d\\dT|\\{|Exception|Error|Terminating|java\\.)");

    private static final Pattern KERNEL_TIME = Pattern.compile("^\\[\\s*(\\d+\\.\\d+)\\]");

    private final Options options;
    private final Podman podman;
    private final MailgunEmulator emulator;
    private final HttpClient http = HttpClient.newHttpClient();
    private final int httpPort;
    private final List<String> runArgs = new ArrayList<>();

    /** The running container's cgroup (cpuacct and memory controllers) and java's host pid. */
    private String cgroup;

    private long pid;
    private double uptimeAtStart;

    /** CPU, GC and peaks of the runs before this one (a restart starts a fresh cgroup and JVM). */
    private double cpuOfEndedRuns;

    private double lastCpu;
    private double gcSecondsOfEndedRuns;
    private long gcCountOfEndedRuns;
    private Metrics lastMetrics = Metrics.NONE;

    /** The last metrics read from any run, for the report when the last run died. */
    private Metrics latestMetrics = Metrics.NONE;

    private long peakHwmKib;
    private long peakCgroupBytes;
    private int restarts;
    private int oomKills;
    private final List<String> exits = new ArrayList<>();

    private DeployedBenchmark(Options options, Podman podman, MailgunEmulator emulator, int httpPort) {
        this.options = options;
        this.podman = podman;
        this.emulator = emulator;
        this.httpPort = httpPort;
    }

    record Options(
            int pools,
            int bindings,
            Duration poll,
            String cpus,
            String memory,
            double restartAt,
            double histogramAt,
            String jvmOptions,
            boolean jfr,
            Duration timeout,
            Path archive) {

        static Options parse(String[] args) {
            List<String> numbers = new ArrayList<>();
            Map<String, String> named = new java.util.HashMap<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("--")) {
                    numbers.add(a);
                } else if (a.contains("=")) {
                    named.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
                } else if (a.equals("--jfr")) {
                    named.put("jfr", "true");
                } else if (i + 1 < args.length) {
                    named.put(a.substring(2), args[++i]);
                } else {
                    throw new IllegalArgumentException(a + " needs a value");
                }
            }
            List<String> known =
                    List.of("cpus", "memory", "restart-at", "histogram-at", "jvm-options", "jfr", "timeout", "archive");
            named.keySet().stream().filter(k -> !known.contains(k)).findFirst().ifPresent(k -> {
                throw new IllegalArgumentException("unknown option --" + k + "; known: " + known);
            });
            int pools = numbers.size() > 0 ? Integer.parseInt(numbers.get(0)) : 1000;
            int bindings = numbers.size() > 1 ? Integer.parseInt(numbers.get(1)) : 5000;
            Duration poll = Duration.ofSeconds(numbers.size() > 2 ? Integer.parseInt(numbers.get(2)) : 5);
            // Half the floor time by default: mid-convergence when the operator keeps to the floor.
            double floorSeconds = BenchWorkload.floor(pools, bindings) / EMULATOR_RATE;
            return new Options(
                    pools,
                    bindings,
                    poll,
                    named.getOrDefault("cpus", "1"),
                    named.getOrDefault("memory", "512m"),
                    Double.parseDouble(named.getOrDefault("restart-at", "-1")),
                    Double.parseDouble(named.getOrDefault("histogram-at", String.valueOf(floorSeconds / 2))),
                    named.getOrDefault("jvm-options", ""),
                    named.containsKey("jfr"),
                    Duration.ofMinutes(Long.parseLong(named.getOrDefault("timeout", "30"))),
                    Path.of(named.getOrDefault("archive", "target/mailgun-ip-pool-operator-image.tar")));
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (!Files.exists(options.archive())) {
            throw new IllegalStateException("no " + options.archive() + ": build it with bash .ci/image.sh");
        }
        List<AutoCloseable> resources = new ArrayList<>();
        // Ctrl-C: the container, podman's storage and the API server go too. The benchmark stops
        // first, or it would take the removed container for an exited one and start it again.
        Thread benchmark = Thread.currentThread();
        Thread cleanup = new Thread(
                () -> {
                    benchmark.interrupt();
                    try {
                        benchmark.join(30_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    closeAll(resources);
                },
                "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            run(options, resources);
        } finally {
            closeAll(resources);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running.
            }
        }
    }

    private static synchronized <T extends AutoCloseable> T keep(List<AutoCloseable> resources, T resource) {
        resources.add(resource);
        return resource;
    }

    private static synchronized void closeAll(List<AutoCloseable> resources) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                System.err.println("cleanup: " + e);
            }
        }
        resources.clear();
    }

    private static void run(Options options, List<AutoCloseable> resources) throws Exception {
        System.out.printf(
                "Deployed benchmark: %d pools, %d bindings, --cpus %s --memory %s, poll interval %ss%n",
                options.pools(),
                options.bindings(),
                options.cpus(),
                options.memory(),
                options.poll().toSeconds());
        LocalApiServer apiServer = keep(resources, LocalApiServer.start(!LocalApiServer.binariesInstalled()));
        KubernetesClient client = keep(resources, apiServer.newClient());
        Podman podman = keep(resources, Podman.start());
        MailgunEmulator emulator = keep(
                resources,
                MailgunEmulator.start(EmulatorConfig.defaults()
                        .withPort(0)
                        .withFixture(BenchWorkload.fixture(options.pools(), options.bindings()))
                        .withApiKey("bench-key")));
        emulator.setRateLimit(EMULATOR_RATE);

        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NS)
                        .endMetadata()
                        .build())
                .create();
        BenchWorkload.installCrds(client);
        client.secrets()
                .inNamespace(NS)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("mailgun")
                        .withNamespace(NS)
                        .endMetadata()
                        .withStringData(Map.of("apiKey", "bench-key", "baseUrl", emulator.url()))
                        .build())
                .create();

        String loaded = podman.run(
                        Duration.ofMinutes(5),
                        "load",
                        "--input",
                        options.archive().toAbsolutePath().toString())
                .assertSuccess()
                .output();
        Matcher name = LOADED.matcher(loaded);
        if (!name.find()) {
            throw new IllegalStateException("podman load named no image: " + loaded);
        }
        Path kubeconfig = podman.selfContainedKubeconfig(
                apiServer.writeKubeconfig(podman.file("admin-kubeconfig")), "kubeconfig");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        DeployedBenchmark bench = new DeployedBenchmark(options, podman, emulator, port);
        bench.measure(client, name.group(1), kubeconfig);
    }

    private void measure(KubernetesClient client, String image, Path kubeconfig) throws Exception {
        Path jfrDir = null;
        List<String> javaOptions = new ArrayList<>(List.of("-XX:+PrintClassHistogram"));
        if (options.jfr()) {
            jfrDir = Path.of(
                            "target",
                            "bench-deployed-jfr-"
                                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))
                    .toAbsolutePath();
            Files.createDirectories(jfrDir);
            // The container's user (65532) writes the recording.
            Files.setPosixFilePermissions(jfrDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            javaOptions.add("-XX:StartFlightRecording=filename=/jfr/operator.jfr,settings=profile,dumponexit=true");
        }
        if (!options.jvmOptions().isBlank()) {
            javaOptions.add(options.jvmOptions().trim());
        }
        runArgs.addAll(List.of("run", "--detach", "--name", CONTAINER));
        runArgs.addAll(Podman.AS_THE_CHART_RUNS_IT);
        runArgs.addAll(
                List.of("--cpus", options.cpus(), "--memory", options.memory(), "--memory-swap", options.memory()));
        runArgs.addAll(List.of("--volume", kubeconfig + ":/etc/mailgun/kubeconfig:ro"));
        if (jfrDir != null) {
            runArgs.addAll(List.of("--volume", jfrDir + ":/jfr"));
        }
        // templates/deployment.yaml with values.yaml's defaults, but for the poll interval (an
        // argument), leader election (one replica) and the port (a free one on the host network).
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("KUBECONFIG", "/etc/mailgun/kubeconfig");
        env.put("WATCH_NAMESPACES", NS);
        env.put("DEFAULT_ACCOUNT_SECRET", "mailgun");
        env.put("DEFAULT_ACCOUNT_NAMESPACES", "");
        env.put("MAILGUN_ALLOWED_BASE_URLS", emulator.url());
        env.put("POD_NAMESPACE", NS);
        env.put("POD_NAME", "mailgun-ip-pool-operator-bench");
        env.put("POLL_INTERVAL", options.poll().toSeconds() + "s");
        env.put("RELINK_POLL_INTERVAL", "5s");
        env.put("CREATE_OUTCOME_WAIT", "2m");
        env.put("DELETE_ORPHANED_POOLS", "false");
        env.put("MAILGUN_RATE_LIMIT", "10");
        env.put("MAILGUN_RATE_BURST", "20");
        env.put("HTTP_PORT", String.valueOf(httpPort));
        env.put("HTTP_BIND_ADDRESS", "127.0.0.1");
        env.put("LOG_FORMAT", "text");
        env.put("LOG_LEVEL", "info");
        env.put("LEADER_ELECTION", "false");
        // Adds to the options jlink baked into the image (MaxRAMPercentage etc.).
        env.put("JAVA_TOOL_OPTIONS", String.join(" ", javaOptions));
        env.forEach((k, v) -> runArgs.addAll(List.of("--env", k + "=" + v)));
        runArgs.add(image);
        System.out.printf("  operator: JAVA_TOOL_OPTIONS=%s%n", env.get("JAVA_TOOL_OPTIONS"));

        podman.run(runArgs.toArray(String[]::new)).assertSuccess();
        onStart();
        awaitMetrics(Duration.ofMinutes(3));
        double cpuAtStartup = cpu();
        System.out.printf("  operator up: %.1f s of CPU to start, RSS %d MiB%n", cpuAtStartup, vmKib("VmRSS") / 1024);

        long start = System.nanoTime();
        double cpuAtApply = cpu();
        Map<String, Double> apiRequestsAtApply = apiServerRequests(client);
        BenchWorkload.createAll(client, options.pools(), options.bindings());
        double applied = seconds(start);
        System.out.printf("  applied %d resources in %.1f s%n", options.pools() + options.bindings(), applied);

        String midHistogram = null;
        String forcedRestart = null;
        double nextProgress = PROGRESS_EVERY.toSeconds();
        long[] ready = new long[4];
        boolean converged = false;
        String gaveUp = null;
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("stopped");
            }
            double now = seconds(start);
            if (!running()) {
                if (!restartAfterExit(now)) {
                    gaveUp = "gave up after " + restarts + " restarts";
                    break;
                }
            }
            sample();
            if (options.restartAt() >= 0 && forcedRestart == null && now >= options.restartAt()) {
                forcedRestart = forceRestart(now);
            }
            if (midHistogram == null && now >= options.histogramAt()) {
                midHistogram = String.format("at %.0f s: %s", now, histogram());
            }
            try {
                ready = BenchWorkload.ready(client);
            } catch (KubernetesClientException e) {
                System.out.println("  (listing resources failed, trying again: " + e.getMessage() + ")");
            }
            if (ready[0] == options.pools() && ready[2] == options.bindings()) {
                converged = true;
                break;
            }
            if (now >= nextProgress) {
                nextProgress += PROGRESS_EVERY.toSeconds();
                System.out.printf(
                        "  %5.0f s: Ready %d/%d pools, %d/%d bindings; %d calls; RSS %d MiB; CPU %.1f s%n",
                        now,
                        ready[0],
                        options.pools(),
                        ready[2],
                        options.bindings(),
                        emulator.journal().size(),
                        vmKib("VmRSS") / 1024,
                        totalCpu());
            }
            if (now > options.timeout().toSeconds()) {
                gaveUp = "not all Ready within " + options.timeout().toMinutes() + " min";
                break;
            }
            Thread.sleep(LIST_EVERY.toMillis());
        }
        double convergedAt = seconds(start);
        sample();
        double cpuToConverge = totalCpu() - cpuAtApply;
        Metrics atConvergence = latestMetrics;
        Map<String, Double> apiRequests = apiServerRequests(client);
        apiRequestsAtApply.forEach((k, v) -> apiRequests.merge(k, -v, Double::sum));
        List<JournalEntry> toConverge = emulator.journal().entries();

        String steady = null;
        double steadyCpuPercent = Double.NaN;
        double steadyCallsPerPoll = Double.NaN;
        long steadyWrites = -1;
        if (converged) {
            Thread.sleep(options.poll().toMillis());
            emulator.journal().clear();
            double cpu0 = totalCpu();
            long steadyStart = System.nanoTime();
            Thread.sleep(options.poll().toMillis() * STEADY_INTERVALS);
            double window = seconds(steadyStart);
            double cpu1 = totalCpu();
            List<JournalEntry> calls = emulator.journal().entries();
            steadyCallsPerPoll = calls.size() / (window / options.poll().toSeconds());
            steadyWrites = BenchWorkload.writes(calls);
            steadyCpuPercent = (cpu1 - cpu0) / window * 100;
            steady = String.format(
                    "%d calls in %.1f s = %.2f per poll interval, %d writes, CPU %.2f%% of a core; %s",
                    calls.size(), window, steadyCallsPerPoll, steadyWrites, steadyCpuPercent, byEndpoint(calls));
        }
        String endHistogram = running() ? histogram() : "(container not running)";
        sample();

        Path jfrFile = null;
        if (jfrDir != null && running()) {
            // SIGTERM, as the kubelet stops a pod: the JVM dumps the recording on exit.
            podman.run(Duration.ofMinutes(3), "stop", "--time", "120", CONTAINER);
            jfrFile = jfrDir.resolve("operator.jfr");
            // What the JVM printed on exit too (-XX:+PrintNMTStatistics, say), beside the profile.
            Files.writeString(
                    jfrDir.resolve("operator.log"),
                    podman.run(Duration.ofMinutes(2), "logs", CONTAINER).output());
        }

        long floor = BenchWorkload.floor(options.pools(), options.bindings());
        double floorSeconds = floor / EMULATOR_RATE;
        long calls = toConverge.size();
        long refused = toConverge.stream().filter(e -> e.status() == 429).count();
        Map<String, Long> convergeByEndpoint = byEndpoint(toConverge);
        double afterApply = convergedAt - applied;
        boolean halfCpu = Double.parseDouble(options.cpus()) <= 0.5;
        double callTarget = halfCpu ? 1.3 : 1.2;

        System.out.printf(
                "%nDeployed benchmark: %d pools, %d bindings, 1 account, poll interval %ss, image %s under"
                        + " podman --cpus %s --memory %s (no swap), operator at the chart's defaults (10 calls/s,"
                        + " burst 20), emulator limit %.0f calls/s, real kube-apiserver %s%n",
                options.pools(),
                options.bindings(),
                options.poll().toSeconds(),
                image,
                options.cpus(),
                options.memory(),
                EMULATOR_RATE,
                client.getKubernetesVersion().getGitVersion());
        System.out.printf("  JAVA_TOOL_OPTIONS           %s%n", String.join(" ", javaOptions));
        System.out.printf("  resources applied in        %8.1f s%n", applied);
        System.out.printf(
                "  all Ready after             %8s (%s)%n",
                converged ? String.format("%.1f s", convergedAt) : "never",
                converged ? String.format("%.1f s after the apply completed", afterApply) : gaveUp);
        System.out.printf(
                "  Mailgun calls to converge   %8d (%d of them 429), %.2fx the batched floor of %d%n",
                calls, refused, (double) calls / floor, floor);
        System.out.printf("  floor time at %.0f calls/s  %8.1f s%n", EMULATOR_RATE, floorSeconds);
        System.out.printf("  calls to converge by endpoint%n");
        convergeByEndpoint.forEach((k, v) -> System.out.printf("    %-40s %6d%n", k, v));
        long creates = toConverge.stream()
                .filter(e -> "POST /v3/ip_pools".equals(e.endpoint()) && e.status() == 200)
                .count();
        long linkPatches = toConverge.stream()
                .filter(e -> "PATCH /v3/ip_pools/{pool_id}".equals(e.endpoint()) && e.status() == 200)
                .count();
        System.out.printf(
                "  pools created               %8d for %d pools (%s), %d link PATCHes for %d pools with bindings%n",
                creates,
                options.pools(),
                creates >= options.pools()
                        ? (creates - options.pools()) + " duplicates"
                        : (options.pools() - creates) + " not created",
                linkPatches,
                Math.min(options.pools(), options.bindings()));
        BenchWorkload.printTimeline(toConverge);
        System.out.printf("  operator CPU to start       %8.1f s (cgroup cpuacct.usage)%n", cpuAtStartup);
        System.out.printf(
                "  operator CPU to converge    %8.1f s (cgroup cpuacct.usage, apply start to %s)%n",
                cpuToConverge, converged ? "all Ready" : "giving up");
        System.out.printf("  operator CPU in total       %8.1f s%n", totalCpu());
        System.out.printf(
                "  peak RSS                    %8.1f MiB (java's VmHWM); memory cgroup peak %.1f MiB"
                        + " (memory.max_usage_in_bytes, page cache included)%n",
                peakHwmKib / 1024.0, peakCgroupBytes / 1024.0 / 1024.0);
        System.out.printf(
                "  GC pauses                   %8.2f s in %d pauses (jvm_gc_pause_seconds, all runs)%n",
                gcSecondsOfEndedRuns + lastMetrics.gcSeconds(), gcCountOfEndedRuns + lastMetrics.gcCount());
        System.out.printf(
                "  %-27s heap %.1f of %.1f MiB used, %d live threads (/metrics)%n",
                converged ? "at all Ready" : "when it gave up",
                atConvergence.heapUsed() / 1048576.0,
                atConvergence.heapMax() / 1048576.0,
                atConvergence.threads());
        System.out.printf("  %-27s %s%n", "reconciles (/metrics)", atConvergence.work());
        System.out.printf(
                "  %-27s %s%n",
                "API server requests",
                apiRequests.entrySet().stream()
                        .filter(e -> e.getValue() > 0)
                        .map(e -> e.getKey() + " " + Math.round(e.getValue()))
                        .collect(Collectors.joining(", ")));
        System.out.printf(
                "  container exits             %d restarts, %d OOM kills%s%n",
                restarts, oomKills, exits.isEmpty() ? "" : ": " + String.join("; ", exits));
        if (forcedRestart != null) {
            System.out.printf("  forced restart              %s%n", forcedRestart);
        }
        System.out.printf(
                "  steady state                %s%n", steady == null ? "not measured (not converged)" : steady);
        System.out.printf(
                "  class histogram mid-convergence %s%n",
                midHistogram == null ? "(all Ready before it was due)" : midHistogram);
        System.out.printf("  class histogram at the end  %s%n", endHistogram);
        if (jfrFile != null) {
            System.out.printf(
                    "  JFR recording               %s (%s)%n",
                    jfrFile, Files.exists(jfrFile) ? Files.size(jfrFile) / 1024 + " KiB" : "missing");
        }

        System.out.printf("  targets (issue 21)%n");
        target(
                String.format("calls <= %.1fx the floor (%d)", callTarget, (long) (callTarget * floor)),
                String.format("%d (%.2fx)", calls, (double) calls / floor),
                converged && calls <= callTarget * floor);
        target(
                String.format("all Ready <= 1.5x the floor time (%.0f s) after the apply", 1.5 * floorSeconds),
                converged ? String.format("%.1f s", afterApply) : "never",
                converged && afterApply <= 1.5 * floorSeconds);
        target(
                "operator CPU to converge <= 60 s",
                String.format("%.1f s", cpuToConverge),
                converged && cpuToConverge <= 60);
        target("no OOM kill", String.valueOf(oomKills), oomKills == 0);
        target("no restart", String.valueOf(restarts), restarts == 0);
        if (steady == null) {
            target("steady state 2 calls per poll interval, 0 writes, < 1% of a core", "not measured", false);
        } else {
            target(
                    "steady state 2 calls per poll interval",
                    String.format("%.2f", steadyCallsPerPoll),
                    steadyCallsPerPoll <= 2.0);
            target("steady state 0 writes", String.valueOf(steadyWrites), steadyWrites == 0);
            target("steady state < 1% of a core", String.format("%.2f%%", steadyCpuPercent), steadyCpuPercent < 1.0);
        }
    }

    private static void target(String what, String measured, boolean met) {
        System.out.printf("    %-58s %14s  %s%n", what, measured, met ? "met" : "missed");
    }

    // --- the container, as a kubelet sees it

    private boolean running() {
        return podman.run("inspect", "--format", "{{.State.Status}}", CONTAINER)
                .stdout()
                .strip()
                .equals("running");
    }

    /** Reads the new run's cgroup and pid. */
    private void onStart() throws IOException {
        String[] state = podman.run("inspect", "--format", "{{.State.Pid}} {{.State.CgroupPath}} {{.Id}}", CONTAINER)
                .assertSuccess()
                .stdout()
                .strip()
                .split(" ");
        pid = Long.parseLong(state[0]);
        cgroup = state.length > 2 && !state[1].isBlank() && Files.exists(CPUACCT.resolve(strip(state[1])))
                ? strip(state[1])
                : findCgroup(state[state.length - 1]);
        uptimeAtStart = uptime();
        lastCpu = 0;
        lastMetrics = Metrics.NONE;
    }

    private static String strip(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }

    /** The cgroup directory named after the container id (cgroupfs: libpod_parent/libpod-<id>). */
    private static String findCgroup(String id) throws IOException {
        try (var dirs = Files.walk(CPUACCT, 4)) {
            return dirs.filter(Files::isDirectory)
                    .filter(d -> d.getFileName().toString().contains(id))
                    .map(d -> CPUACCT.relativize(d).toString())
                    .findFirst()
                    .orElseThrow(
                            () -> new IllegalStateException("no cgroup for container " + id + " under " + CPUACCT));
        }
    }

    /**
     * The container exited on its own: record how, show its last words, and start it again as the
     * kubelet would, up to {@link #MAX_RESTARTS} times.
     */
    private boolean restartAfterExit(double now) throws Exception {
        endRun();
        String code = podman.run("inspect", "--format", "{{.State.ExitCode}}", CONTAINER)
                .stdout()
                .strip();
        List<String> oom = oomKillLines();
        if (!oom.isEmpty()) {
            oomKills++;
        }
        exits.add(String.format("at %.0f s exit %s%s", now, code, oom.isEmpty() ? "" : " (OOM kill)"));
        System.out.printf(
                "  %5.0f s: the operator exited with %s, %s%n",
                now,
                code,
                oom.isEmpty() ? "no memory-cgroup OOM kill in the kernel log" : "killed by the memory cgroup:");
        oom.forEach(l -> System.out.println("    kernel: " + l));
        System.out.println("    its last log lines:");
        List<String> logged = podman.run("logs", "--tail", "5000", CONTAINER)
                .output()
                .lines()
                .filter(l -> OPERATOR_LINE.matcher(l).find())
                .toList();
        logged.subList(Math.max(0, logged.size() - 15), logged.size()).forEach(l -> System.out.println("    | " + l));
        if (restarts >= MAX_RESTARTS) {
            return false;
        }
        restarts++;
        podman.run("start", CONTAINER).assertSuccess();
        onStart();
        return true;
    }

    /** SIGKILL mid-convergence and start again: does the restarted operator repeat writes? */
    private String forceRestart(double now) throws Exception {
        sample();
        long callsBefore = emulator.journal().size();
        podman.run("kill", "--signal", "KILL", CONTAINER);
        podman.run("wait", CONTAINER);
        endRun();
        podman.run("start", CONTAINER).assertSuccess();
        onStart();
        String what = String.format("SIGKILL at %.0f s after %d calls, started again", now, callsBefore);
        System.out.println("  " + what);
        return what;
    }

    /** Adds the ended run's last CPU and GC readings to the totals. */
    private void endRun() {
        cpuOfEndedRuns += lastCpu;
        gcSecondsOfEndedRuns += lastMetrics.gcSeconds();
        gcCountOfEndedRuns += lastMetrics.gcCount();
        lastCpu = 0;
        lastMetrics = Metrics.NONE;
    }

    /** Kernel lines since this run started that report a memory-cgroup OOM kill of its java. */
    private List<String> oomKillLines() throws Exception {
        Process dmesg = new ProcessBuilder("dmesg").redirectErrorStream(true).start();
        String out = new String(dmesg.getInputStream().readAllBytes());
        dmesg.waitFor();
        List<String> found = new ArrayList<>();
        for (String line : out.split("\n")) {
            Matcher t = KERNEL_TIME.matcher(line);
            if (t.find()
                    && Double.parseDouble(t.group(1)) >= uptimeAtStart - 1
                    && (line.contains("Memory cgroup out of memory") || line.contains("oom-kill"))
                    // By pid: a restarted container keeps its cgroup, and the kernel names both.
                    && (line.contains("pid=" + pid + ",") || line.contains("process " + pid + " "))) {
                found.add(line.strip());
            }
        }
        return found;
    }

    private static double uptime() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
    }

    // --- measurements

    /** Updates the running container's CPU, peaks and metrics; quiet when it just exited. */
    private void sample() {
        try {
            lastCpu = Long.parseLong(Files.readString(CPUACCT.resolve(cgroup).resolve("cpuacct.usage"))
                            .strip())
                    / 1e9;
            peakCgroupBytes = Math.max(
                    peakCgroupBytes,
                    Long.parseLong(Files.readString(MEMORY.resolve(cgroup).resolve("memory.max_usage_in_bytes"))
                            .strip()));
            peakHwmKib = Math.max(peakHwmKib, vmKib("VmHWM"));
        } catch (IOException | RuntimeException e) {
            // The container is gone between the check and the read: the next poll sees it.
        }
        Metrics m = Metrics.scrape(http, httpPort);
        if (m != null) {
            lastMetrics = m;
            latestMetrics = m;
        }
    }

    private double cpu() {
        sample();
        return lastCpu;
    }

    private double totalCpu() {
        sample();
        return cpuOfEndedRuns + lastCpu;
    }

    private long vmKib(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            // exited
        }
        return 0;
    }

    private void awaitMetrics(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (Metrics.scrape(http, httpPort) == null) {
            if (!running()) {
                throw new IllegalStateException("the operator exited on start:\n"
                        + podman.run("logs", "--tail", "40", CONTAINER).output());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no /metrics on port " + httpPort + " after " + timeout + ":\n"
                        + podman.run("logs", "--tail", "40", CONTAINER).output());
            }
            Thread.sleep(500);
        }
    }

    /**
     * SIGQUIT: with -XX:+PrintClassHistogram the JVM prints a thread dump and a class histogram to
     * stdout. Returns the thread count and the top 15 lines.
     */
    private String histogram() throws Exception {
        String marker = "Full thread dump";
        int before = countOf(podman.run("logs", CONTAINER).stdout(), marker);
        podman.run("kill", "--signal", "QUIT", CONTAINER).assertSuccess();
        String logs = "";
        for (int i = 0; i < 60; i++) {
            Thread.sleep(1000);
            logs = podman.run(Duration.ofMinutes(2), "logs", CONTAINER).stdout();
            int dump = logs.lastIndexOf(marker);
            if (countOf(logs, marker) > before && logs.indexOf("Total ", logs.indexOf(" num ", dump)) > 0) {
                break;
            }
        }
        int dump = logs.lastIndexOf(marker);
        if (dump < 0 || countOf(logs, marker) <= before) {
            return "(no thread dump in the log)";
        }
        int table = logs.indexOf(" num ", dump);
        long threads = logs.substring(dump, table < 0 ? logs.length() : table)
                .lines()
                .filter(l -> l.startsWith("\""))
                .count();
        StringBuilder out = new StringBuilder(threads + " threads in the dump");
        if (table >= 0) {
            List<String> lines = logs.substring(table).lines().toList();
            for (int i = 0; i < Math.min(lines.size(), 17); i++) {
                out.append("\n      ").append(lines.get(i));
            }
            lines.stream()
                    .filter(l -> l.startsWith("Total "))
                    .findFirst()
                    .ifPresent(l -> out.append("\n      ").append(l));
        }
        return out.toString();
    }

    private static int countOf(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /**
     * The API server's requests on the operator's kinds and Events by verb (apiserver_request_total,
     * from its /metrics): the benchmark's own creates and lists are among them.
     */
    private static Map<String, Double> apiServerRequests(KubernetesClient client) {
        Pattern label = Pattern.compile("(\\w+)=\"([^\"]*)\"");
        Map<String, Double> requests = new TreeMap<>();
        try {
            client.raw("/metrics")
                    .lines()
                    .filter(l -> l.startsWith("apiserver_request_total{"))
                    .forEach(l -> {
                        Map<String, String> labels = new java.util.HashMap<>();
                        Matcher m = label.matcher(l.substring(0, l.lastIndexOf('}')));
                        while (m.find()) {
                            labels.put(m.group(1), m.group(2));
                        }
                        String resource = labels.getOrDefault("resource", "");
                        if (!List.of("ippools", "domainpoolbindings", "events").contains(resource)) {
                            return;
                        }
                        String sub = labels.getOrDefault("subresource", "");
                        String key = labels.get("verb") + " " + resource + (sub.isEmpty() ? "" : "/" + sub);
                        requests.merge(key, Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)), Double::sum);
                    });
        } catch (RuntimeException e) {
            requests.put("(unreadable: " + e.getMessage() + ")", 0.0);
        }
        return requests;
    }

    /** What the operator's /metrics says about its JVM. */
    record Metrics(
            double gcSeconds,
            long gcCount,
            double heapUsed,
            double heapMax,
            long threads,
            Map<String, Double> reconcilesByKind,
            Map<String, Double> reconcileSecondsByKind,
            Map<String, Double> eventsByKind) {

        static final Metrics NONE = new Metrics(0, 0, 0, 0, 0, Map.of(), Map.of(), Map.of());

        /** Reconciles, their time and events per kind, as JOSDK's Micrometer metrics count them. */
        String work() {
            return reconcilesByKind.keySet().stream()
                    .sorted()
                    .map(kind -> String.format(
                            "%s %.0f reconciles (%.1f s in them), %.0f events",
                            kind,
                            reconcilesByKind.get(kind),
                            reconcileSecondsByKind.getOrDefault(kind, 0.0),
                            eventsByKind.getOrDefault(kind, 0.0)))
                    .collect(Collectors.joining("; "));
        }

        static Metrics scrape(HttpClient http, int port) {
            String body;
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    return null;
                }
                body = response.body();
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            return new Metrics(
                    sum(body, "jvm_gc_pause_seconds_sum", ""),
                    (long) sum(body, "jvm_gc_pause_seconds_count", ""),
                    sum(body, "jvm_memory_used_bytes", "area=\"heap\""),
                    sum(body, "jvm_memory_max_bytes", "area=\"heap\""),
                    (long) sum(body, "jvm_threads_live_threads", ""),
                    byLabel(body, "operator_sdk_reconciliations_started_total", "kind"),
                    byLabel(body, "operator_sdk_controllers_execution_reconcile_seconds_sum", "kind"),
                    byLabel(body, "operator_sdk_events_received_total", "kind"));
        }

        /** A metric's samples summed per value of one label (its name or any name ending in it). */
        private static Map<String, Double> byLabel(String body, String metric, String label) {
            Pattern value = Pattern.compile("[{,](?:\\w*_)?" + label + "=\"([^\"]*)\"");
            Map<String, Double> sums = new TreeMap<>();
            body.lines().filter(l -> l.startsWith(metric + "{")).forEach(l -> {
                Matcher m = value.matcher(l);
                String key = m.find() ? m.group(1) : "?";
                sums.merge(key, Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)), Double::sum);
            });
            return sums;
        }

        /** The sum of a metric's non-negative samples whose labels contain {@code label}. */
        private static double sum(String body, String metric, String label) {
            return body.lines()
                    .filter(l -> l.startsWith(metric + "{") || l.startsWith(metric + " "))
                    .filter(l -> l.contains(label))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                    .filter(v -> v >= 0)
                    .sum();
        }
    }
}
