package dev.ippools.mailgun.client.model;

/**
 * What Mailgun moves linked domains to: a dedicated {@code ip}, the word {@code shared}, or a
 * {@code poolId}. At most one is set; {@link #NONE} sends neither.
 */
public record Replacement(String ip, String poolId) {
    public static final Replacement NONE = new Replacement(null, null);

    public static Replacement ip(String ip) {
        return new Replacement(ip, null);
    }

    public static Replacement shared() {
        return new Replacement("shared", null);
    }

    public static Replacement pool(String poolId) {
        return new Replacement(null, poolId);
    }

    public boolean isNone() {
        return ip == null && poolId == null;
    }
}
