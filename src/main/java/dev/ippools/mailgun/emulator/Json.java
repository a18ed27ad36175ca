package dev.ippools.mailgun.emulator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds answer bodies as ordered maps, in Mailgun's field order and date formats. */
final class Json {

    private static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private Json() {}

    /** An object from alternating keys and values, keeping their order. */
    static Map<String, Object> obj(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    static Map<String, Object> success() {
        return obj("message", "success");
    }

    /** The answer to a call whose work goes on in the background. */
    static Map<String, Object> started(String reference) {
        return obj("message", "started", "reference_id", reference);
    }

    /** Seconds precision, as in pool assignment metadata. */
    static String rfc3339(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** As in the domains API's {@code created_at}. */
    static String rfc1123(Instant instant) {
        return RFC_1123.format(instant);
    }
}
