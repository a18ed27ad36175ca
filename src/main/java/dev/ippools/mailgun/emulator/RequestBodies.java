package dev.ippools.mailgun.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.MultipartReader;
import okio.BufferedSource;
import okio.Okio;

/** Reads query strings and form, multipart and JSON bodies into {@link Params}. */
final class RequestBodies {

    private RequestBodies() {}

    static void parseUrlEncoded(String raw, Params into) {
        if (raw == null || raw.isEmpty()) {
            return;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            into.add(decode(name), decode(value));
        }
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("malformed url-encoded parameter");
        }
    }

    /**
     * Parses the body by content type into {@code into}; returns the JSON tree for JSON bodies (null
     * otherwise). Unknown or missing content types are read as url-encoded forms, which is what
     * clients that omit the header send.
     */
    static JsonNode parseBody(String contentType, InputStream body, Params into, ObjectMapper mapper)
            throws IOException {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("multipart/")) {
            parseMultipart(contentType, body, into);
            return null;
        }
        byte[] bytes = body.readAllBytes();
        if (bytes.length == 0) {
            return null;
        }
        if (type.contains("json")) {
            JsonNode tree;
            try {
                tree = mapper.readTree(bytes);
            } catch (IOException e) {
                throw ApiException.badRequest("malformed JSON body");
            }
            flattenJson(tree, into);
            return tree;
        }
        parseUrlEncoded(new String(bytes, StandardCharsets.UTF_8), into);
        return null;
    }

    private static void parseMultipart(String contentType, InputStream body, Params into) throws IOException {
        MediaType mediaType = MediaType.parse(contentType);
        String boundary = mediaType == null ? null : mediaType.parameter("boundary");
        if (boundary == null) {
            throw ApiException.badRequest("multipart body without boundary");
        }
        BufferedSource source = Okio.buffer(Okio.source(body));
        try (MultipartReader reader = new MultipartReader(source, boundary)) {
            for (MultipartReader.Part part = reader.nextPart(); part != null; part = reader.nextPart()) {
                String name = dispositionName(part.headers().get("Content-Disposition"));
                String value = part.body().readUtf8();
                part.close();
                if (name != null) {
                    into.add(name, value);
                }
            }
        } catch (ProtocolException | EOFException e) {
            throw ApiException.badRequest("malformed multipart body");
        }
    }

    /** The {@code name} parameter of a part's Content-Disposition header. */
    static String dispositionName(String disposition) {
        if (disposition == null) {
            return null;
        }
        for (String piece : disposition.split(";")) {
            String p = piece.trim();
            if (p.regionMatches(true, 0, "name=", 0, 5)) {
                String value = p.substring(5).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value;
            }
        }
        return null;
    }

    /** Top-level JSON fields become parameters; arrays become repeated fields. */
    private static void flattenJson(JsonNode tree, Params into) {
        if (tree == null || !tree.isObject()) {
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = tree.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (value.isArray()) {
                value.forEach(item -> into.add(field.getKey(), item.asText()));
            } else if (value.isValueNode() && !value.isNull()) {
                into.add(field.getKey(), value.asText());
            }
        }
    }
}
