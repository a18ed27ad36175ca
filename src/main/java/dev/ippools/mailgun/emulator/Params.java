package dev.ippools.mailgun.emulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Request parameters merged from the query string and the body, in arrival order. Fields may
 * repeat; Mailgun reads both places on every method, DELETE included.
 */
final class Params {

    private final Map<String, List<String>> values = new LinkedHashMap<>();

    void add(String name, String value) {
        values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }

    /** The first non-blank value, trimmed, or null. */
    String first(String name) {
        for (String value : values.getOrDefault(name, List.of())) {
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return null;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** Every value of a repeated field, trimmed, blanks dropped. */
    List<String> all(String name) {
        List<String> out = new ArrayList<>();
        for (String value : values.getOrDefault(name, List.of())) {
            if (value != null && !value.isBlank()) {
                out.add(value.trim());
            }
        }
        return out;
    }

    /** Values of repeated fields that may also hold comma-separated lists, de-duplicated. */
    List<String> list(String... names) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : names) {
            for (String value : all(name)) {
                Arrays.stream(value.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .forEach(out::add);
            }
        }
        return List.copyOf(out);
    }

    /** 400 when both parameters are given: they are alternatives. */
    void requireNotBoth(String name, String other) {
        if (first(name) != null && first(other) != null) {
            throw ApiException.badRequest("specify either " + name + " or " + other + ", not both");
        }
    }

    /** An integer parameter, or {@code fallback} when absent; 400 when it is no integer. */
    int integer(String name, int fallback) {
        String value = first(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be an integer");
        }
    }

    /** A boolean as SDKs send it: true/false (Go, Java) or 1/0 (PHP); null when absent. */
    Boolean bool(String name) {
        String value = first(name);
        if (value == null) {
            return null;
        }
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true":
            case "1":
                return true;
            case "false":
            case "0":
                return false;
            default:
                throw ApiException.badRequest("invalid value for " + name + ": " + value);
        }
    }

    Map<String, List<String>> asMap() {
        return values;
    }
}
