package dev.ippools.mailgun.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ippools.mailgun.health.HealthCheck.Status;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code /healthz} (liveness), {@code /readyz} (readiness) and {@code /metrics} (Prometheus)
 * on the JDK's HTTP server: 200 when healthy, 503 with the reason when not.
 */
public final class ProbeServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProbeServer.class);
    private static final String TEXT = "text/plain; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;
    private final HealthCheck liveness;
    private final HealthCheck readiness;
    private final Supplier<String> metrics;
    private final String metricsContentType;

    private ProbeServer(
            HttpServer server,
            HealthCheck liveness,
            HealthCheck readiness,
            Supplier<String> metrics,
            String metricsContentType) {
        this.server = server;
        this.liveness = liveness;
        this.readiness = readiness;
        this.metrics = metrics;
        this.metricsContentType = metricsContentType;
        // Two threads: a slow scrape never holds up a probe.
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "probe-server");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Binds and starts serving.
     *
     * @param metrics the scrape body, computed per request
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static ProbeServer start(
            InetSocketAddress address,
            HealthCheck liveness,
            HealthCheck readiness,
            Supplier<String> metrics,
            String metricsContentType) {
        HttpServer http;
        try {
            http = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
        ProbeServer probes = new ProbeServer(http, liveness, readiness, metrics, metricsContentType);
        http.setExecutor(probes.executor);
        http.createContext("/", probes::handle);
        http.start();
        return probes;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, TEXT, "method not allowed\n");
                return;
            }
            switch (exchange.getRequestURI().getPath()) {
                case "/healthz" -> probe(exchange, liveness);
                case "/readyz" -> probe(exchange, readiness);
                case "/metrics" -> respond(exchange, 200, metricsContentType, metrics.get());
                default -> respond(exchange, 404, TEXT, "not found: try /healthz, /readyz or /metrics\n");
            }
        } catch (RuntimeException e) {
            log.warn("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            respond(exchange, 500, TEXT, "internal error: " + e + "\n");
        } finally {
            exchange.close();
        }
    }

    private static void probe(HttpExchange exchange, HealthCheck check) throws IOException {
        Status status = check.check();
        respond(exchange, status.healthy() ? 200 : 503, TEXT, status.detail() + "\n");
    }

    private static void respond(HttpExchange exchange, int code, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(code, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Stops accepting requests and ends the threads; a probe still running is cut off. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
