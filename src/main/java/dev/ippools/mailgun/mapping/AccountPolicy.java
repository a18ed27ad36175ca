package dev.ippools.mailgun.mapping;

import dev.ippools.mailgun.account.Credentials;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The operator's trust settings for accounts (architecture §9): which namespaces may use the
 * default account, and which Mailgun API base URLs a Secret may point the HTTP client at.
 *
 * @param defaultAccountNamespaces namespaces whose resources may use the default account; {@code
 *     *} allows all
 * @param allowedBaseUrls URL prefixes a Secret's {@code baseUrl} (or region) must match: same
 *     scheme, host and port, and a path under the prefix's path
 */
public record AccountPolicy(Set<String> defaultAccountNamespaces, List<String> allowedBaseUrls) {

    public static final String ALL_NAMESPACES = "*";

    /** Mailgun's US and EU API roots: the default allow-list. */
    public static final List<String> MAILGUN_BASE_URLS = List.of(Credentials.US, Credentials.EU);

    public AccountPolicy {
        defaultAccountNamespaces = Set.copyOf(defaultAccountNamespaces);
        allowedBaseUrls = List.copyOf(allowedBaseUrls);
        for (String prefix : allowedBaseUrls) {
            if (parse(prefix).isEmpty()) {
                throw new IllegalArgumentException(
                        "allowed base URL '" + prefix + "' is not an http(s) URL without query or user info");
            }
        }
    }

    /** Mailgun's hosts only, the default account for the given namespaces. */
    public static AccountPolicy mailgunOnly(Set<String> defaultAccountNamespaces) {
        return new AccountPolicy(defaultAccountNamespaces, MAILGUN_BASE_URLS);
    }

    /** Every namespace may use the default account; only {@code baseUrls} may be called. */
    public static AccountPolicy anyNamespace(List<String> baseUrls) {
        return new AccountPolicy(Set.of(ALL_NAMESPACES), baseUrls);
    }

    /** The same policy with one more allowed base URL (an emulator, say). */
    public AccountPolicy allowing(String baseUrl) {
        List<String> urls = new ArrayList<>(allowedBaseUrls);
        urls.add(baseUrl);
        return new AccountPolicy(defaultAccountNamespaces, urls);
    }

    public AccountPolicy withDefaultAccountNamespaces(Set<String> namespaces) {
        return new AccountPolicy(namespaces, allowedBaseUrls);
    }

    public boolean mayUseDefaultAccount(String namespace) {
        return defaultAccountNamespaces.contains(ALL_NAMESPACES) || defaultAccountNamespaces.contains(namespace);
    }

    /**
     * Whether {@code url} is under one of the allowed prefixes. Compared parsed, not as text, so
     * {@code https://api.mailgun.net.evil.example} or {@code https://api.mailgun.net@evil.example}
     * never pass as {@code https://api.mailgun.net}.
     */
    public boolean allowsBaseUrl(String url) {
        Optional<URI> candidate = parse(url);
        if (candidate.isEmpty()) {
            return false;
        }
        for (String prefix : allowedBaseUrls) {
            URI allowed = parse(prefix).orElseThrow();
            URI c = candidate.get();
            if (allowed.getScheme().equalsIgnoreCase(c.getScheme())
                    && allowed.getHost().equalsIgnoreCase(c.getHost())
                    && port(allowed) == port(c)
                    && underPath(path(allowed), path(c))) {
                return true;
            }
        }
        return false;
    }

    /** Comma-separated values, blanks dropped. */
    public static Set<String> list(String commaSeparated) {
        Set<String> out = new LinkedHashSet<>();
        if (commaSeparated != null) {
            for (String value : commaSeparated.split(",")) {
                if (!value.isBlank()) {
                    out.add(value.trim());
                }
            }
        }
        return out;
    }

    private static Optional<URI> parse(String url) {
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(url.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http"))
                    || uri.getHost() == null
                    || uri.getRawUserInfo() != null
                    || uri.getRawQuery() != null
                    || uri.getRawFragment() != null) {
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private static String path(URI uri) {
        String p = uri.getPath() == null ? "" : uri.getPath();
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    // "/v3" allows "/v3" and "/v3/x", not "/v3x"; dot segments never climb out of the prefix
    private static boolean underPath(String prefix, String path) {
        if (path.contains("/../") || path.endsWith("/..") || path.contains("/./")) {
            return false;
        }
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
