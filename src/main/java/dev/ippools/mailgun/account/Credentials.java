package dev.ippools.mailgun.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What it takes to talk to one Mailgun account. {@link #toString()} never shows the key.
 *
 * @param baseUrl the API root, e.g. {@code https://api.mailgun.net}
 * @param subaccountId sent as {@code X-Mailgun-On-Behalf-Of}, or null for the primary account
 */
public record Credentials(String apiKey, String baseUrl, String subaccountId) {

    public static final String US = "https://api.mailgun.net";
    public static final String EU = "https://api.eu.mailgun.net";

    public Credentials {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("the Mailgun API key is empty");
        }
        baseUrl = baseUrl == null || baseUrl.isBlank() ? US : stripSlash(baseUrl.trim());
        subaccountId = subaccountId == null || subaccountId.isBlank() ? null : subaccountId.trim();
    }

    /**
     * Maps the Secret's optional {@code region} (us|eu) and {@code baseUrl} to an API root. The
     * message of a bad region names the key, never the value (it comes from a Secret).
     */
    public static String baseUrlFor(String region, String baseUrl) {
        if (baseUrl != null && !baseUrl.isBlank()) {
            return baseUrl.trim();
        }
        if (!isRegion(region)) {
            throw new IllegalArgumentException("region must be us or eu");
        }
        return region != null && region.trim().equalsIgnoreCase("eu") ? EU : US;
    }

    /** Whether {@code region} is absent (us), us or eu. */
    public static boolean isRegion(String region) {
        return region == null
                || region.isBlank()
                || region.trim().equalsIgnoreCase("us")
                || region.trim().equalsIgnoreCase("eu");
    }

    public AccountKey key() {
        return new AccountKey(baseUrl, subaccountId, fingerprint(apiKey));
    }

    @Override
    public String toString() {
        return "Credentials[" + key() + "]";
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    // A short hash tells accounts apart in logs and caches without revealing the key.
    private static String fingerprint(String apiKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
