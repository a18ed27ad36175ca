package dev.ippools.mailgun.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Mailgun emulator: Mailgun's HTTP API on a local port, backed by an in-memory account
 * loaded from a fixture, plus an unauthenticated admin API under {@code /_emulator} (journal,
 * faults, state, settle, reset, config). Thread-safe.
 *
 * <pre>{@code
 * try (MailgunEmulator mailgun = MailgunEmulator.start(EmulatorConfig.defaults())) {
 *   String baseUrl = mailgun.url(); // http://127.0.0.1:PORT, key "emulator-key"
 * }
 * }</pre>
 */
public final class MailgunEmulator implements AutoCloseable {

  static final String ADMIN_PREFIX = "/_emulator";
  private static final Logger LOG = LoggerFactory.getLogger(MailgunEmulator.class);
  private static final String JSON = "application/json; charset=utf-8";
  private static final int THREADS = 8;
  private static final int RATE_LIMIT = 100;

  /** The state and the routes over it; swapped whole on reset. */
  private record Runtime(EmulatorState state, Router router) {}

  private record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {}

  private final EmulatorConfig config;
  private final ObjectMapper mapper;
  private final Journal journal = new Journal();
  private final Faults faults;
  private final HttpServer server;
  private final ExecutorService executor;
  private volatile Runtime runtime;

  private MailgunEmulator(EmulatorConfig config) throws IOException {
    this.config = config;
    this.mapper =
        new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    this.faults = new Faults(config.faultSeed());
    this.runtime =
        newRuntime(config.fixture(), config.propagationDelay(), config.failDelegationMidway());
    AtomicInteger threadCount = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            THREADS,
            r -> {
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
      throw new UncheckedIOException(
          "cannot start the Mailgun emulator on port " + config.port(), e);
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
    runtime =
        newRuntime(config.fixture(), current.propagationDelay(), current.failDelegationMidway());
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

  private void handle(HttpExchange exchange) {
    try {
      String rawPath = exchange.getRequestURI().getRawPath();
      Reply reply;
      if (rawPath.equals(ADMIN_PREFIX) || rawPath.startsWith(ADMIN_PREFIX + "/")) {
        reply = admin(exchange, rawPath.substring(ADMIN_PREFIX.length()));
      } else {
        reply = api(exchange, rawPath);
      }
      send(exchange, reply);
    } catch (IOException | RuntimeException e) {
      LOG.warn("emulator failed to answer {} {}", exchange.getRequestMethod(), e.toString());
    } finally {
      exchange.close();
    }
  }

  private Reply api(HttpExchange exchange, String rawPath) {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String query = exchange.getRequestURI().getRawQuery();
    String onBehalfOf = exchange.getRequestHeaders().getFirst("X-Mailgun-On-Behalf-Of");
    if (onBehalfOf != null && onBehalfOf.isBlank()) {
      onBehalfOf = null;
    }
    Runtime current = runtime;
    List<String> segments = segments(rawPath);
    Router.Match match = segments == null ? null : current.router().match(method, segments);
    Reply reply = answer(exchange, current, method, rawPath, query, onBehalfOf, match);
    journal.record(
        method,
        rawPath,
        match == null ? null : match.route().endpoint(),
        query,
        reply.status(),
        onBehalfOf,
        config.clock().instant());
    return reply;
  }

  private Reply answer(
      HttpExchange exchange,
      Runtime current,
      String method,
      String rawPath,
      String query,
      String onBehalfOf,
      Router.Match match) {
    Optional<Fault> fault = faults.pick(method, rawPath);
    if (fault.isPresent()) {
      pause(fault.get().latencyMs());
      if (fault.get().status() != null) {
        return faultReply(fault.get());
      }
    }
    if (!authorized(exchange)) {
      return new Reply(
          401,
          "text/plain; charset=utf-8",
          "Forbidden".getBytes(StandardCharsets.UTF_8),
          Map.of("Www-Authenticate", "Basic realm=\"MG API\""));
    }
    if (match == null) {
      return message(404, "not found");
    }
    try {
      Params params = new Params();
      RequestBodies.parseUrlEncoded(query, params);
      JsonNode json;
      try {
        json =
            RequestBodies.parseBody(
                exchange.getRequestHeaders().getFirst("Content-Type"),
                exchange.getRequestBody(),
                params,
                mapper);
      } catch (java.net.ProtocolException | java.io.EOFException e) {
        throw ApiException.badRequest("malformed request body");
      }
      String baseUrl = "http://" + host(exchange);
      Object body =
          current
              .state()
              .locked(
                  () -> {
                    Account acting = acting(current.state(), onBehalfOf);
                    Router.Call call =
                        new Router.Call(acting, match.variables(), params, json, baseUrl, rawPath);
                    return match.route().handler().handle(call);
                  });
      return json(200, body);
    } catch (ApiException e) {
      return message(e.status(), e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      // A bug in the emulator: answer (and journal) a 500 rather than dropping the connection.
      LOG.warn("emulator error on {} {}", method, rawPath, e);
      return message(500, "emulator error: " + e);
    }
  }

  private static Account acting(EmulatorState state, String onBehalfOf) {
    if (onBehalfOf == null) {
      return state.primary();
    }
    return state
        .account(onBehalfOf.trim())
        .orElseThrow(() -> ApiException.notFound("account not found"));
  }

  private boolean authorized(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    byte[] given;
    try {
      given = Base64.getDecoder().decode(header.substring(6).trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    byte[] expected = ("api:" + config.apiKey()).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, expected);
  }

  private Reply faultReply(Fault fault) {
    int status = fault.status();
    if (status == 429) {
      long reset = config.clock().instant().getEpochSecond() + fault.resetAfterSeconds();
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("X-RateLimit-Limit", String.valueOf(RATE_LIMIT));
      headers.put("X-RateLimit-Remaining", "0");
      headers.put("X-RateLimit-Reset", String.valueOf(reset));
      return new Reply(429, JSON, bytes(Map.of("message", "Too Many Requests")), headers);
    }
    return message(status, reasonPhrase(status));
  }

  private static String reasonPhrase(int status) {
    return switch (status) {
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      case 400 -> "Bad Request";
      case 403 -> "Forbidden";
      case 404 -> "not found";
      case 409 -> "Conflict";
      default -> "injected fault";
    };
  }

  private static void pause(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String host(HttpExchange exchange) {
    String host = exchange.getRequestHeaders().getFirst("Host");
    return host == null || host.isBlank() ? url().substring("http://".length()) : host;
  }

  /** Percent-decoded path segments; null when the encoding is malformed. */
  static List<String> segments(String rawPath) {
    List<String> out = new ArrayList<>();
    for (String segment : rawPath.split("/")) {
      if (segment.isEmpty()) {
        continue;
      }
      try {
        // '+' is literal in a path; only %XX escapes are decoded.
        out.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- admin API

  private Reply admin(HttpExchange exchange, String path) throws IOException {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    byte[] body = exchange.getRequestBody().readAllBytes();
    try {
      switch (method + " " + path) {
        case "GET /journal":
          return json(200, journal.entries());
        case "DELETE /journal":
          journal.clear();
          return message(200, "journal cleared");
        case "GET /faults":
          return json(200, faults.list());
        case "POST /faults":
          Fault fault = readFault(body);
          faults.add(fault);
          return json(200, Json.obj("message", "fault added", "fault", fault));
        case "DELETE /faults":
          faults.clear();
          return message(200, "faults cleared");
        case "GET /state":
          return json(200, state());
        case "POST /settle":
          int applied = settle();
          return json(200, Json.obj("message", "settled", "applied", applied));
        case "POST /reset":
          reset();
          return message(200, "reset");
        case "GET /config":
          return json(200, configJson());
        case "PUT /config":
          updateConfig(body);
          return json(200, configJson());
        default:
          return message(404, "not found");
      }
    } catch (ApiException e) {
      return message(e.status(), e.getMessage());
    }
  }

  private Fault readFault(byte[] body) {
    try {
      return mapper.readValue(body, Fault.class);
    } catch (IOException e) {
      throw ApiException.badRequest("invalid fault: " + rootMessage(e));
    }
  }

  private void updateConfig(byte[] body) {
    JsonNode tree;
    try {
      tree = mapper.readTree(body);
    } catch (IOException e) {
      throw ApiException.badRequest("invalid config: " + rootMessage(e));
    }
    if (tree == null || !tree.isObject()) {
      throw ApiException.badRequest("config must be a JSON object");
    }
    JsonNode delay = tree.get("propagationDelayMs");
    JsonNode failMidway = tree.get("failDelegationMidway");
    if (delay != null && (!delay.canConvertToLong() || delay.asLong() < 0)) {
      throw ApiException.badRequest("propagationDelayMs must be a non-negative integer");
    }
    if (failMidway != null && !failMidway.isBoolean()) {
      throw ApiException.badRequest("failDelegationMidway must be true or false");
    }
    if (delay != null) {
      setPropagationDelay(Duration.ofMillis(delay.asLong()));
    }
    if (failMidway != null) {
      setFailDelegationMidway(failMidway.asBoolean());
    }
  }

  private Map<String, Object> configJson() {
    EmulatorSnapshot snapshot = state();
    return Json.obj(
        "propagationDelayMs",
        snapshot.propagationDelay().toMillis(),
        "failDelegationMidway",
        snapshot.failDelegationMidway());
  }

  /** Our own validation message if one is wrapped in Jackson's exception, else Jackson's. */
  private static String rootMessage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException) {
        return t.getMessage();
      }
    }
    return e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
  }

  // ---------------------------------------------------------------- replies

  private Reply json(int status, Object body) {
    return new Reply(status, JSON, bytes(body), Map.of());
  }

  private Reply message(int status, String text) {
    return json(status, Map.of("message", text));
  }

  private byte[] bytes(Object body) {
    try {
      return mapper.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void send(HttpExchange exchange, Reply reply) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", reply.contentType());
    reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    exchange.sendResponseHeaders(
        reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
    if (reply.body().length > 0) {
      exchange.getResponseBody().write(reply.body());
    }
  }
}
