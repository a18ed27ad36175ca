package dev.ippools.mailgun.emulator;

import static dev.ippools.mailgun.emulator.ApiException.badRequest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Mailgun's two ways of paging: {@code skip}/{@code limit} with a {@code search} filter (domains,
 * IP domains), and opaque cursor tokens (pool domains).
 */
final class Paging {

    private static final Pattern CURSOR = Pattern.compile("^\\{\"cursor\":\"([0-9a-f]*)\"}$");

    /** A skip/limit window, read and checked from the request parameters. */
    record Window(int skip, int limit) {

        static Window of(Params params) {
            int limit = params.integer("limit", 100);
            int skip = params.integer("skip", 0);
            if (limit < 1 || limit > 1000) {
                throw badRequest("limit must be between 1 and 1000");
            }
            if (skip < 0) {
                throw badRequest("skip must not be negative");
            }
            return new Window(skip, limit);
        }

        <T> Stream<T> page(List<T> items) {
            return items.stream().skip(skip).limit(limit);
        }
    }

    private Paging() {}

    /** Names that contain any word of the {@code search} parameter; all names without one. */
    static Predicate<String> search(Params params) {
        String search = params.first("search");
        if (search == null) {
            return name -> true;
        }
        List<String> words = Arrays.stream(search.toLowerCase(Locale.ROOT).split("\\s+"))
                .filter(w -> !w.isEmpty())
                .toList();
        return name -> words.isEmpty() || words.stream().anyMatch(name::contains);
    }

    static String encodeCursor(String cursor) {
        String json = "{\"cursor\":\"" + cursor + "\"}";
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor in a page token; accepts standard and URL-safe Base64, padded or not. */
    static String decodeCursor(String token) {
        if (token == null) {
            return "";
        }
        try {
            String normalized = token.replace('+', '-').replace('/', '_').replace("=", "");
            String json = new String(Base64.getUrlDecoder().decode(normalized), StandardCharsets.UTF_8);
            var matcher = CURSOR.matcher(json);
            if (!matcher.matches()) {
                throw badRequest("invalid page token");
            }
            return matcher.group(1);
        } catch (IllegalArgumentException e) {
            throw badRequest("invalid page token");
        }
    }
}
