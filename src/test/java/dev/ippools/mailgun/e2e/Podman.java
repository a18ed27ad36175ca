package dev.ippools.mailgun.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * podman with image storage of its own in a temporary directory, so tests neither see nor touch
 * the machine's images and containers. Configured as ../shared/toolchain.md found works here:
 * runc, the cgroupfs manager, no default ulimits; containers use the host's network, where the
 * API server and the emulator listen on loopback. Public for the deployed benchmark (bench), which
 * runs the image the same way.
 */
public final class Podman implements AutoCloseable {

    private static final String CONTAINERS_CONF = """
      [containers]
      default_ulimits = []
      pids_limit = 0
      log_driver = "k8s-file"
      [engine]
      cgroup_manager = "cgroupfs"
      events_logger = "file"
      runtime = "runc"
      """;

    /**
     * Host network, read-only root, uid 65532, no capabilities, no new privileges, a tmpfs /tmp for
     * the chart's emptyDir: the pod security of helm/mailgun-ip-pool-operator.
     */
    public static final List<String> AS_THE_CHART_RUNS_IT = List.of(
            "--network",
            "host",
            "--read-only",
            "--user",
            "65532:65532",
            "--cap-drop",
            "ALL",
            "--security-opt",
            "no-new-privileges",
            "--tmpfs",
            "/tmp");

    private static final YAMLMapper YAML = new YAMLMapper();

    private final Path dir;
    private final List<String> command;

    private Podman(Path dir) {
        this.dir = dir;
        // vfs: plain directories, nothing mounted that could outlive the test.
        this.command = List.of(
                "podman",
                "--root",
                dir.resolve("storage").toString(),
                "--runroot",
                dir.resolve("run").toString(),
                "--storage-driver",
                "vfs",
                "--tmpdir",
                dir.resolve("tmp").toString());
    }

    /** Whether podman runs here at all. */
    public static boolean installed() {
        try {
            Process p = new ProcessBuilder("podman", "--version")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public static Podman start() {
        try {
            Path dir = Files.createTempDirectory("mailgun-podman-");
            Files.writeString(dir.resolve("containers.conf"), CONTAINERS_CONF);
            return new Podman(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file in this instance's directory, e.g. for a bind mount. */
    public Path file(String name) {
        return dir.resolve(name);
    }

    /**
     * Runs {@code podman args...} and returns its exit code and output (stdout, then stderr). Paths
     * in {@code args} must be absolute.
     */
    public Result run(Duration timeout, String... args) {
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(dir, "podman-", ".out");
            Path err = Files.createTempFile(dir, "podman-", ".err");
            // In this instance's directory: conmon writes a file named "oom" into its working
            // directory when the memory cgroup kills the container. Paths in args are absolute.
            ProcessBuilder builder = new ProcessBuilder(full)
                    .directory(dir.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment()
                    .put("CONTAINERS_CONF", dir.resolve("containers.conf").toString());
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("podman did not finish in " + timeout + ": " + full + "\n"
                        + Files.readString(out) + Files.readString(err));
            }
            return new Result(
                    process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Result run(String... args) {
        return run(Duration.ofMinutes(2), args);
    }

    public record Result(int exitCode, String stdout, String stderr) {
        public String output() {
            return stdout + stderr;
        }

        public Result assertSuccess() {
            if (exitCode != 0) {
                throw new AssertionError("podman failed (" + exitCode + "): " + output());
            }
            return this;
        }
    }

    /**
     * The kubeconfig with its certificate files inlined, as a Secret-mounted one would be, readable
     * by the container's user (the admin credentials live only as long as the test), written to
     * {@code name} in this instance's directory for a bind mount.
     */
    public Path selfContainedKubeconfig(Path kubeconfig, String name) throws IOException {
        ObjectNode config = (ObjectNode) YAML.readTree(kubeconfig.toFile());
        for (JsonNode entry : config.path("clusters")) {
            inline((ObjectNode) entry.path("cluster"), "certificate-authority");
        }
        for (JsonNode entry : config.path("users")) {
            inline((ObjectNode) entry.path("user"), "client-certificate");
            inline((ObjectNode) entry.path("user"), "client-key");
        }
        Path target = file(name);
        YAML.writeValue(target.toFile(), config);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        return target;
    }

    private static void inline(ObjectNode node, String field) throws IOException {
        if (node.hasNonNull(field)) {
            byte[] content = Files.readAllBytes(Path.of(node.remove(field).asText()));
            node.put(field + "-data", Base64.getEncoder().encodeToString(content));
        }
    }

    /** Removes every container, then the storage. */
    @Override
    public void close() {
        run(Duration.ofMinutes(1), "rm", "--all", "--force", "--time", "0");
        try {
            // Layers hold read-only directories, which rm -rf (as root) removes and Files.delete not.
            new ProcessBuilder("rm", "-rf", dir.toString()).inheritIO().start().waitFor(2, TimeUnit.MINUTES);
        } catch (IOException e) {
            // A temporary directory: the OS cleans it up.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
