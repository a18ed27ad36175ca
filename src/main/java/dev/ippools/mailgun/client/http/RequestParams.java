package dev.ippools.mailgun.client.http;

import dev.ippools.mailgun.client.model.Replacement;
import java.util.Objects;
import okhttp3.HttpUrl;

/** Checks of caller arguments before anything goes out, and the optional query parameters. */
final class RequestParams {

    private RequestParams() {}

    static String requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    /** A value that becomes a path segment: {@code .} or {@code ..} would change the path. */
    static void requireSegment(String value, String name) {
        requireText(value, name);
        if (value.equals(".") || value.equals("..")) {
            throw new IllegalArgumentException(name + " must not be '.' or '..'");
        }
    }

    /** Adds {@code name=value} unless the value is null (null leaves a parameter out). */
    static void addIfPresent(HttpUrl.Builder url, String name, Object value) {
        if (value != null) {
            url.addQueryParameter(name, value.toString());
        }
    }

    static void addReplacement(HttpUrl.Builder url, Replacement replacement, boolean exactlyOne) {
        Replacement r = replacement == null ? Replacement.NONE : replacement;
        if (r.ip() != null && r.poolId() != null) {
            throw new IllegalArgumentException("give a replacement ip or a replacement pool, not both");
        }
        if (exactlyOne && r.isNone()) {
            throw new IllegalArgumentException(
                    "Mailgun needs exactly one replacement (an ip, 'shared' or a pool) here");
        }
        if (r.ip() != null) {
            url.addQueryParameter("ip", requireText(r.ip(), "replacement ip"));
        }
        if (r.poolId() != null) {
            url.addQueryParameter("pool_id", requireText(r.poolId(), "replacement poolId"));
        }
    }
}
