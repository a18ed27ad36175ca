package dev.ippools.mailgun.client.http;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encodes a path segment so that everything but RFC 3986 unreserved characters is escaped;
 * okhttp leaves {@code :} alone, but Mailgun expects IPv6 as {@code 2001%3Adb8%3A%3A1}.
 */
final class PathSegments {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PathSegments() {}

    static String encode(String segment) {
        StringBuilder out = new StringBuilder(segment.length());
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (isUnreserved(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '-'
                || c == '.'
                || c == '_'
                || c == '~';
    }
}
