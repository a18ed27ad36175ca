package dev.ippools.mailgun.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.ippools.mailgun.emulator.Replies.Reply;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ProtocolException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mailgun's transport around the API handlers (Mailgun rule 20): injected faults, Basic auth, the
 * acting account from {@code X-Mailgun-On-Behalf-Of}, parameters from query and body, and a journal
 * entry for every call.
 */
final class ApiTransport {

    private static final Logger LOG = LoggerFactory.getLogger(ApiTransport.class);
    private static final int RATE_LIMIT = 100;

    private final MailgunEmulator emulator;
    private final Replies replies;

    ApiTransport(MailgunEmulator emulator, Replies replies) {
        this.emulator = emulator;
        this.replies = replies;
    }

    Reply answer(HttpExchange exchange, String rawPath) {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String query = exchange.getRequestURI().getRawQuery();
        String onBehalfOf = onBehalfOf(exchange);
        MailgunEmulator.Runtime current = emulator.runtime();
        List<String> segments = segments(rawPath);
        Router.Match match = segments == null ? null : current.router().match(method, segments);
        Reply reply = answer(exchange, current, method, rawPath, query, onBehalfOf, match);
        String endpoint = match == null ? null : match.route().endpoint();
        Instant now = emulator.config().clock().instant();
        String client = exchange.getRemoteAddress().getAddress().getHostAddress();
        emulator.journal()
                .record(seq -> new JournalEntry(
                        seq, method, rawPath, endpoint, query, reply.status(), onBehalfOf, now, client));
        return reply;
    }

    private Reply answer(
            HttpExchange exchange,
            MailgunEmulator.Runtime current,
            String method,
            String rawPath,
            String query,
            String onBehalfOf,
            Router.Match match) {
        Optional<Fault> fault = emulator.faults().pick(method, rawPath);
        if (fault.isPresent() && !fault.get().afterProcessing()) {
            Optional<Reply> instead = hit(fault.get());
            if (instead.isPresent()) {
                return instead.get();
            }
        }
        Reply reply = handle(exchange, current, method, rawPath, query, onBehalfOf, match);
        if (fault.isPresent() && fault.get().afterProcessing()) {
            return hit(fault.get()).orElse(reply);
        }
        return reply;
    }

    /** Waits the fault's latency; then the reply that replaces the real one, if any. */
    private Optional<Reply> hit(Fault fault) {
        pause(fault.latencyMs());
        if (fault.reset()) {
            return Optional.of(Reply.RESET);
        }
        return fault.status() == null ? Optional.empty() : Optional.of(faultReply(fault));
    }

    private Reply handle(
            HttpExchange exchange,
            MailgunEmulator.Runtime current,
            String method,
            String rawPath,
            String query,
            String onBehalfOf,
            Router.Match match) {
        if (!authorized(exchange)) {
            return new Reply(
                    401,
                    "text/plain; charset=utf-8",
                    "Forbidden".getBytes(StandardCharsets.UTF_8),
                    Map.of("Www-Authenticate", "Basic realm=\"MG API\""));
        }
        // Mailgun meters by key, after authentication, whatever the path.
        Optional<Map<String, String>> limited = emulator.rateLimits()
                .refuse(
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        emulator.config().clock().instant());
        if (limited.isPresent()) {
            return new Reply(429, Replies.JSON, replies.bytes(Map.of("message", "Too Many Requests")), limited.get());
        }
        if (match == null) {
            return replies.message(404, "not found");
        }
        try {
            Params params = new Params();
            RequestBodies.parseUrlEncoded(query, params);
            JsonNode json;
            try {
                json = RequestBodies.parseBody(
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        exchange.getRequestBody(),
                        params,
                        replies.mapper());
            } catch (ProtocolException | EOFException e) {
                throw ApiException.badRequest("malformed request body");
            }
            String baseUrl = "http://" + host(exchange);
            Object body = current.state().locked(() -> {
                Account acting = acting(current.state(), onBehalfOf);
                Router.Call call = new Router.Call(acting, match.variables(), params, json, baseUrl, rawPath);
                return match.route().handler().handle(call);
            });
            return replies.json(200, body);
        } catch (ApiException e) {
            return replies.message(e.status(), e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            // A bug in the emulator: answer (and journal) a 500 rather than dropping the connection.
            LOG.warn("emulator error on {} {}", method, rawPath, e);
            return replies.message(500, "emulator error: " + e);
        }
    }

    /** The {@code X-Mailgun-On-Behalf-Of} header; null when absent or blank. */
    private static String onBehalfOf(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("X-Mailgun-On-Behalf-Of");
        return header == null || header.isBlank() ? null : header;
    }

    private static Account acting(EmulatorState state, String onBehalfOf) {
        if (onBehalfOf == null) {
            return state.primary();
        }
        return state.account(onBehalfOf.trim()).orElseThrow(() -> ApiException.notFound("account not found"));
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
        byte[] expected = ("api:" + emulator.config().apiKey()).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, expected);
    }

    private Reply faultReply(Fault fault) {
        int status = fault.status();
        if (status == 429) {
            long reset = emulator.config().clock().instant().getEpochSecond() + fault.resetAfterSeconds();
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("X-RateLimit-Limit", String.valueOf(RATE_LIMIT));
            headers.put("X-RateLimit-Remaining", "0");
            headers.put("X-RateLimit-Reset", String.valueOf(reset));
            return new Reply(429, Replies.JSON, replies.bytes(Map.of("message", "Too Many Requests")), headers);
        }
        return replies.message(status, reasonPhrase(status));
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
        return host == null || host.isBlank() ? emulator.url().substring("http://".length()) : host;
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
}
