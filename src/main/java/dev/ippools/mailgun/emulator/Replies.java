package dev.ippools.mailgun.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** HTTP answers of the emulator, JSON by default, and the one ObjectMapper that writes them. */
final class Replies {

    static final String JSON = "application/json; charset=utf-8";

    /** An answer ready to send. */
    record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {

        /** No answer at all: the connection is closed (journaled with status 0). */
        static final Reply RESET = new Reply(0, "", new byte[0], Map.of());

        void send(HttpExchange exchange) throws IOException {
            if (status == 0) {
                // Closing an exchange that sent no headers drops the connection.
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", contentType);
            headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        }
    }

    private final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    ObjectMapper mapper() {
        return mapper;
    }

    Reply json(int status, Object body) {
        return new Reply(status, JSON, bytes(body), Map.of());
    }

    /** Mailgun's error and status shape: {@code {"message": text}}. */
    Reply message(int status, String text) {
        return json(status, Map.of("message", text));
    }

    byte[] bytes(Object body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
