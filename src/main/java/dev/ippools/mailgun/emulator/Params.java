package dev.ippools.mailgun.emulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
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

  Map<String, List<String>> asMap() {
    return values;
  }
}
