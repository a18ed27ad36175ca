package dev.ippools.mailgun.local;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.KubeAPITestException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real etcd + kube-apiserver on this machine, started by kube-api-test: the binaries in {@code
 * $KUBE_API_TEST_DIR} or {@code ~/.kubeapitest} ({@code .ci/envtest-binaries.sh} builds them), or
 * downloaded by kube-api-test when asked and none are there. Its data lives in temporary
 * directories removed on {@link #close()}.
 */
public final class LocalApiServer implements AutoCloseable {

    // Generous: etcd and kube-apiserver may share two cores with a build.
    private static final int STARTUP_TIMEOUT_MILLIS = 180_000;
    private static final Pattern VERSION_DIR = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)-(.+)$");

    private final KubeAPIServer server;
    private final String kubeconfigYaml;
    private boolean stopped;

    private LocalApiServer(KubeAPIServer server) {
        this.server = server;
        this.kubeconfigYaml = server.getKubeConfigYaml();
    }

    /**
     * Starts etcd and kube-apiserver and waits until the API serves the default namespace.
     *
     * @param download let kube-api-test download the binaries when none are installed
     * @throws IllegalStateException when they cannot start, with what to do about it
     */
    public static LocalApiServer start(boolean download) {
        KubeAPITestException failure = null;
        // kube-api-test picks free ports before etcd and kube-apiserver bind them; another process
        // may take one in between, so a failed start gets one more try on fresh ports.
        for (int attempt = 1; attempt <= 2; attempt++) {
            KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                    .withOfflineMode(!download)
                    .withUpdateKubeConfig(false)
                    .withWaitForEtcdHealthCheckOnStartup(true)
                    .withStartupTimeout(STARTUP_TIMEOUT_MILLIS)
                    .build());
            try {
                server.start();
                return new LocalApiServer(server);
            } catch (KubeAPITestException e) {
                stopQuietly(server);
                failure = e;
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
            }
        }
        throw new IllegalStateException(
                "cannot start etcd + kube-apiserver ("
                        + failure.getMessage()
                        + "); provide the binaries in "
                        + binaryRoot()
                        + "/k8s/<version>-linux-<arch>/ with `bash .ci/envtest-binaries.sh`"
                        + (download ? "" : ", or let kube-api-test download them (--download)"),
                failure);
    }

    /** Admin credentials (a client certificate in the kube-api-test directory) for this server. */
    public String kubeconfigYaml() {
        return kubeconfigYaml;
    }

    public Config config() {
        return Config.fromKubeconfig(kubeconfigYaml);
    }

    /** A new admin client; the caller closes it. */
    public KubernetesClient newClient() {
        return new KubernetesClientBuilder().withConfig(config()).build();
    }

    /** Writes the admin kubeconfig to {@code file}, readable by the owner only where POSIX. */
    public Path writeKubeconfig(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, kubeconfigYaml);
            // Elsewhere the file system's own permissions apply.
            if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the kubeconfig to " + file, e);
        }
    }

    /**
     * The kubectl kube-api-test uses: the one next to the newest installed kube-apiserver, the same
     * directory it picks the server from.
     */
    public static Optional<Path> kubectl() {
        Path k8s = binaryRoot().resolve("k8s");
        if (!Files.isDirectory(k8s)) {
            return Optional.empty();
        }
        String platform = "linux-" + arch();
        try (Stream<Path> dirs = Files.list(k8s)) {
            return dirs.filter(d -> versionOf(d, platform) != null)
                    .max(Comparator.comparing(d -> versionOf(d, platform), LocalApiServer::compareVersions))
                    .map(d -> d.resolve("kubectl"))
                    .filter(Files::isExecutable);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Where kube-api-test looks for its binaries and keeps its certificates. */
    /**
     * Whether etcd, kube-apiserver and kubectl are installed where kube-api-test looks. Tests start
     * offline when they are, and let kube-api-test download them when they are not, so a connected
     * machine needs no build script.
     */
    public static boolean binariesInstalled() {
        return kubectl()
                .map(k -> Files.isExecutable(k.resolveSibling("kube-apiserver"))
                        && Files.isExecutable(k.resolveSibling("etcd")))
                .orElse(false);
    }

    static Path binaryRoot() {
        String dir = System.getenv(KubeAPIServerConfigBuilder.KUBE_API_TEST_DIR);
        return dir != null && !dir.isBlank()
                ? Path.of(dir)
                : Path.of(System.getProperty("user.home"), KubeAPIServerConfigBuilder.DIRECTORY_NAME);
    }

    private static String arch() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
    }

    private static int[] versionOf(Path dir, String platform) {
        Matcher m = VERSION_DIR.matcher(dir.getFileName().toString());
        if (!m.matches() || !m.group(4).equals(platform)) {
            return null;
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
    }

    private static int compareVersions(int[] a, int[] b) {
        return Arrays.compare(a, b);
    }

    /** Stops kube-apiserver and etcd and removes etcd's data. Idempotent. */
    @Override
    public synchronized void close() {
        if (!stopped) {
            stopped = true;
            stopUninterrupted(server);
        }
    }

    private static void stopQuietly(KubeAPIServer server) {
        try {
            stopUninterrupted(server);
        } catch (RuntimeException e) {
            // Half started: whatever did start is gone or will be; the start failure is what matters.
        }
    }

    // kube-api-test waits for each process to exit and gives up on an interrupt, before etcd.
    private static void stopUninterrupted(KubeAPIServer server) {
        boolean interrupted = Thread.interrupted();
        try {
            server.stop();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
