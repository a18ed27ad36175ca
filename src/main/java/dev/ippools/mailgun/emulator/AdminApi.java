package dev.ippools.mailgun.emulator;

import static dev.ippools.mailgun.emulator.Json.obj;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.ippools.mailgun.emulator.Replies.Reply;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The unauthenticated admin API under {@code /_emulator}: journal, faults, state, settle, reset and
 * config, for tests and local use.
 */
final class AdminApi {

    static final String PREFIX = "/_emulator";

    private final MailgunEmulator emulator;
    private final Replies replies;

    AdminApi(MailgunEmulator emulator, Replies replies) {
        this.emulator = emulator;
        this.replies = replies;
    }

    static boolean isAdminPath(String rawPath) {
        return rawPath.equals(PREFIX) || rawPath.startsWith(PREFIX + "/");
    }

    Reply answer(HttpExchange exchange, String rawPath) throws IOException {
        String path = rawPath.substring(PREFIX.length());
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        byte[] body = exchange.getRequestBody().readAllBytes();
        try {
            switch (method + " " + path) {
                case "GET /journal":
                    return replies.json(200, emulator.journal().entries());
                case "DELETE /journal":
                    emulator.journal().clear();
                    return replies.message(200, "journal cleared");
                case "GET /faults":
                    return replies.json(200, emulator.faults().list());
                case "POST /faults":
                    Fault fault = readFault(body);
                    emulator.faults().add(fault);
                    return replies.json(200, obj("message", "fault added", "fault", fault));
                case "DELETE /faults":
                    emulator.faults().clear();
                    return replies.message(200, "faults cleared");
                case "GET /state":
                    return replies.json(200, emulator.state());
                case "POST /settle":
                    int applied = emulator.settle();
                    return replies.json(200, obj("message", "settled", "applied", applied));
                case "POST /reset":
                    emulator.reset();
                    return replies.message(200, "reset");
                case "GET /config":
                    return replies.json(200, configJson());
                case "PUT /config":
                    updateConfig(body);
                    return replies.json(200, configJson());
                default:
                    return replies.message(404, "not found");
            }
        } catch (ApiException e) {
            return replies.message(e.status(), e.getMessage());
        }
    }

    private Fault readFault(byte[] body) {
        try {
            return replies.mapper().readValue(body, Fault.class);
        } catch (IOException e) {
            throw ApiException.badRequest("invalid fault: " + rootMessage(e));
        }
    }

    private void updateConfig(byte[] body) {
        JsonNode tree;
        try {
            tree = replies.mapper().readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("invalid config: " + rootMessage(e));
        }
        if (tree == null || !tree.isObject()) {
            throw ApiException.badRequest("config must be a JSON object");
        }
        JsonNode delay = tree.get("propagationDelayMs");
        JsonNode failMidway = tree.get("failDelegationMidway");
        JsonNode stages = tree.get("warmupStages");
        JsonNode stageMs = tree.get("warmupStageDurationMs");
        if (delay != null && (!delay.canConvertToLong() || delay.asLong() < 0)) {
            throw ApiException.badRequest("propagationDelayMs must be a non-negative integer");
        }
        if (stages != null && (!stages.canConvertToInt() || stages.asInt() < 1)) {
            throw ApiException.badRequest("warmupStages must be a positive integer");
        }
        if (stageMs != null && (!stageMs.canConvertToLong() || stageMs.asLong() < 1)) {
            throw ApiException.badRequest("warmupStageDurationMs must be a positive integer");
        }
        if (failMidway != null && !failMidway.isBoolean()) {
            throw ApiException.badRequest("failDelegationMidway must be true or false");
        }
        if (delay != null) {
            emulator.setPropagationDelay(Duration.ofMillis(delay.asLong()));
        }
        if (failMidway != null) {
            emulator.setFailDelegationMidway(failMidway.asBoolean());
        }
        if (stages != null || stageMs != null) {
            EmulatorSnapshot now = emulator.state();
            emulator.setWarmupPlan(
                    stages != null ? stages.asInt() : now.warmupStages(),
                    stageMs != null ? Duration.ofMillis(stageMs.asLong()) : now.warmupStageDuration());
        }
    }

    private Map<String, Object> configJson() {
        EmulatorSnapshot snapshot = emulator.state();
        return obj(
                "propagationDelayMs",
                snapshot.propagationDelay().toMillis(),
                "failDelegationMidway",
                snapshot.failDelegationMidway(),
                "warmupStages",
                snapshot.warmupStages(),
                "warmupStageDurationMs",
                snapshot.warmupStageDuration().toMillis());
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
}
