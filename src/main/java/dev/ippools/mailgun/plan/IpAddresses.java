package dev.ippools.mailgun.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * IPv4 and IPv6 literals: validation, the canonical spelling (RFC 5952 for IPv6) used to compare
 * addresses, and a numeric order. Parsed by hand because {@code InetAddress.getByName} would
 * resolve anything that is not a literal through DNS.
 */
public final class IpAddresses {

    /** IPv4 before IPv6, then numerically; strings that are no address sort last, as text. */
    public static final Comparator<String> ORDER = IpAddresses::compare;

    // Plans compare every pool's IPs on every reconcile: each spelling is parsed once. An account
    // has thousands of IPs at most; past the bound the memo starts again rather than grow.
    private static final int PARSED_KEPT = 50_000;
    private static final byte[] NOT_AN_IP = new byte[0];
    private static final Map<String, byte[]> PARSED = new ConcurrentHashMap<>();
    private static final Map<String, String> CANONICAL = new ConcurrentHashMap<>();

    private IpAddresses() {}

    /** The canonical spelling of an address, or empty when {@code text} is no IP literal. */
    public static Optional<String> canonical(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String known = CANONICAL.get(text);
        if (known != null) {
            return Optional.of(known);
        }
        byte[] bytes = parse(text);
        if (bytes == null) {
            return Optional.empty();
        }
        String canonical = format(bytes);
        if (CANONICAL.size() >= PARSED_KEPT) {
            CANONICAL.clear();
        }
        CANONICAL.put(text, canonical);
        return Optional.of(canonical);
    }

    public static boolean isValid(String text) {
        return parse(text) != null;
    }

    /** The canonical spelling when valid, else the text unchanged (for observed values). */
    static String canonicalOrSelf(String text) {
        return canonical(text).orElse(text);
    }

    private static int compare(String a, String b) {
        byte[] x = parse(a);
        byte[] y = parse(b);
        if (x == null || y == null) {
            if (x != null) {
                return -1;
            }
            if (y != null) {
                return 1;
            }
            return String.valueOf(a).compareTo(String.valueOf(b));
        }
        if (x.length != y.length) {
            return Integer.compare(x.length, y.length);
        }
        for (int i = 0; i < x.length; i++) {
            int c = Integer.compare(x[i] & 0xff, y[i] & 0xff);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** The address's bytes, or null; callers must not change the array. */
    private static byte[] parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        byte[] known = PARSED.get(text);
        if (known == null) {
            byte[] parsed = text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text);
            known = parsed == null ? NOT_AN_IP : parsed;
            if (PARSED.size() >= PARSED_KEPT) {
                PARSED.clear();
            }
            PARSED.put(text, known);
        }
        return known == NOT_AN_IP ? null : known;
    }

    private static byte[] parseV4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            // leading zeros are rejected: some parsers read them as octal
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
                return null;
            }
            int value = 0;
            for (int k = 0; k < part.length(); k++) {
                char c = part.charAt(k);
                if (c < '0' || c > '9') {
                    return null;
                }
                value = value * 10 + (c - '0');
            }
            if (value > 255) {
                return null;
            }
            out[i] = (byte) value;
        }
        return out;
    }

    private static byte[] parseV6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        List<Integer> head;
        List<Integer> tail;
        if (gap < 0) {
            head = groups(text, true);
            tail = List.of();
            if (head == null || head.size() != 8) {
                return null;
            }
        } else {
            head = groups(text.substring(0, gap), false);
            tail = groups(text.substring(gap + 2), true);
            if (head == null || tail == null || head.size() + tail.size() > 7) {
                return null;
            }
        }
        int[] words = new int[8];
        for (int i = 0; i < head.size(); i++) {
            words[i] = head.get(i);
        }
        for (int i = 0; i < tail.size(); i++) {
            words[8 - tail.size() + i] = tail.get(i);
        }
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[2 * i] = (byte) (words[i] >> 8);
            out[2 * i + 1] = (byte) words[i];
        }
        return out;
    }

    /** Colon-separated 16-bit groups; the last one may be a dotted IPv4 address (two groups). */
    private static List<Integer> groups(String part, boolean ipv4AllowedAtEnd) {
        List<Integer> out = new ArrayList<>();
        if (part.isEmpty()) {
            return out;
        }
        String[] items = part.split(":", -1);
        for (int i = 0; i < items.length; i++) {
            String group = items[i];
            if (i == items.length - 1 && ipv4AllowedAtEnd && group.indexOf('.') >= 0) {
                byte[] v4 = parseV4(group);
                if (v4 == null) {
                    return null;
                }
                out.add(((v4[0] & 0xff) << 8) | (v4[1] & 0xff));
                out.add(((v4[2] & 0xff) << 8) | (v4[3] & 0xff));
                continue;
            }
            if (group.isEmpty() || group.length() > 4) {
                return null;
            }
            int value = 0;
            for (int k = 0; k < group.length(); k++) {
                int digit = hexDigit(group.charAt(k));
                if (digit < 0) {
                    return null;
                }
                value = value * 16 + digit;
            }
            out.add(value);
        }
        return out;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static String format(byte[] bytes) {
        if (bytes.length == 4) {
            return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
        }
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        // RFC 5952: compress the longest run of two or more zero groups, the first one on a tie
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (words[i] != 0) {
                i++;
                continue;
            }
            int end = i;
            while (end < 8 && words[end] == 0) {
                end++;
            }
            if (end - i > bestLength) {
                bestStart = i;
                bestLength = end - i;
            }
            i = end;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(words[i]));
        }
        return out.toString();
    }
}
