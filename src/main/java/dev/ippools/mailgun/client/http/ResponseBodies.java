package dev.ippools.mailgun.client.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/** Decoding of 2xx bodies: lenient where Mailgun's sources disagree (reference §5). */
final class ResponseBodies {

    private ResponseBodies() {}

    /** Turns the JSON of a 2xx answer into what the operation returns. */
    @FunctionalInterface
    interface BodyReader<T> {
        T read(JsonNode root) throws IOException;
    }

    /** Thrown by readers when a 2xx body lacks what the operation needs. */
    static final class ShapeException extends IOException {
        ShapeException(String message) {
            super(message);
        }
    }

    /** The parsed body; a blank body is a missing node, so readers say what they lacked. */
    static JsonNode parse(String text) throws JsonProcessingException {
        if (text.isBlank()) {
            return MissingNode.getInstance();
        }
        JsonNode root = MailgunJson.MAPPER.readTree(text);
        return root == null ? MissingNode.getInstance() : root;
    }

    static void requireObject(JsonNode root) throws ShapeException {
        if (!root.isObject()) {
            throw new ShapeException(root.isMissingNode() ? "its body is empty" : "its body is not a JSON object");
        }
    }

    static <T> T as(JsonNode root, Class<T> type) throws IOException {
        requireObject(root);
        return MailgunJson.MAPPER.treeToValue(root, type);
    }

    static boolean isTrue(Boolean value) {
        return Boolean.TRUE.equals(value);
    }

    static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    static List<String> strings(List<String> list) {
        return nullToEmpty(list).stream().filter(Objects::nonNull).toList();
    }
}
