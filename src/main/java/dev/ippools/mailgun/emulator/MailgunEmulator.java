package dev.ippools.mailgun.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ippools.mailgun.emulator.Replies.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Mailgun emulator: Mailgun's HTTP API on a local port ({@link ApiTransport}, {@link
 * MailgunApi}), backed by an in-memory account loaded from a fixture, plus an unauthenticated admin
 * API under {@code /_emulator} ({@link AdminApi}: journal, faults, state, settle, reset, config).
 * Thread-safe.
 *
 * <pre>{@code
 * try (MailgunEmulator mailgun = MailgunEmulator.start(EmulatorConfig.defaults())) {
 *   String baseUrl = mailgun.url(); // http://127.0.0.1:PORT, key "emulator-key"
 * }
 * }</pre>
 */
public final class MailgunEmulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MailgunEmulator.class);
    private static final int THREADS = 8;

    /** The state and the routes over it; swapped whole on reset. */
    record Runtime(EmulatorState state, Router router) {}

    private final EmulatorConfig config;
    private final Replies replies = new Replies();
    private final AdminApi admin = new AdminApi(this, replies);
    private final ApiTransport transport = new ApiTransport(this, replies);
    private final Journal journal = new Journal();
    private final Faults faults;
    private final RateLimits rateLimits = new RateLimits();
    private final HttpServer server;
    private final ExecutorService executor;
    private volatile Runtime runtime;

    private MailgunEmulator(EmulatorConfig config) throws IOException {
        this.config = config;
        this.faults = new Faults(config.faultSeed());
        this.runtime = newRuntime(config.fixture(), config.propagationDelay(), config.failDelegationMidway());
        AtomicInteger threadCount = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "mailgun-emulator-" + threadCount.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
        LOG.debug("Mailgun emulator listening on {}", url());
    }

    /** Loads the fixture and starts listening; fails on an inconsistent fixture or a busy port. */
    public static MailgunEmulator start(EmulatorConfig config) {
        try {
            return new MailgunEmulator(config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Mailgun emulator on port " + config.port(), e);
        }
    }

    private Runtime newRuntime(AccountFixture fixture, Duration delay, boolean failMidway) {
        EmulatorState state = EmulatorState.load(fixture, config.clock(), delay);
        state.setFailDelegationMidway(failMidway);
        Router router = new Router();
        MailgunApi.register(router, state);
        return new Runtime(state, router);
    }

    /** Base URL of the API, e.g. {@code http://127.0.0.1:8025}. */
    public String url() {
        String host = config.host();
        if (host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        } else if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public Journal journal() {
        return journal;
    }

    public Faults faults() {
        return faults;
    }

    /**
     * Limits every API key to this many calls per second (429 with {@code X-RateLimit-*} headers
     * beyond it, as Mailgun does); 0 turns the limit off, as it starts. Survives {@link #reset()}.
     */
    public void setRateLimit(double callsPerSecond) {
        rateLimits.set(callsPerSecond);
    }

    /** The calls per second and key in force (a whole number), 0 when there is no limit. */
    public int rateLimit() {
        return rateLimits.perSecond();
    }

    RateLimits rateLimits() {
        return rateLimits;
    }

    /** Applies all pending background work now; returns how many operations ran. */
    public int settle() {
        return runtime.state().settle();
    }

    /** Delay for background work started from now on; zero applies it before answering. */
    public void setPropagationDelay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("propagation delay must not be negative");
        }
        runtime.state().setPropagationDelay(delay);
    }

    /**
     * The plan warm-ups started from now on follow: {@code stages} of {@code stageDuration} each
     * (running ones keep theirs).
     */
    public void setWarmupPlan(int stages, Duration stageDuration) {
        runtime.state().locked(() -> {
            runtime.state().setWarmupPlan(stages, stageDuration);
            return null;
        });
    }

    /** While on, delegation sagas started stop after half of their steps. */
    public void setFailDelegationMidway(boolean fail) {
        runtime.state().setFailDelegationMidway(fail);
    }

    public EmulatorSnapshot state() {
        return runtime.state().snapshot();
    }

    /** Reloads the fixture, dropping pending work; keeps the delay, journal and faults. */
    public void reset() {
        EmulatorSnapshot current = state();
        runtime = newRuntime(config.fixture(), current.propagationDelay(), current.failDelegationMidway());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- HTTP

    Runtime runtime() {
        return runtime;
    }

    EmulatorConfig config() {
        return config;
    }

    private void handle(HttpExchange exchange) {
        try {
            String rawPath = exchange.getRequestURI().getRawPath();
            Reply reply = AdminApi.isAdminPath(rawPath)
                    ? admin.answer(exchange, rawPath)
                    : transport.answer(exchange, rawPath);
            reply.send(exchange);
        } catch (IOException | RuntimeException e) {
            LOG.warn("emulator failed to answer {} {}", exchange.getRequestMethod(), e.toString());
        } finally {
            exchange.close();
        }
    }
}
