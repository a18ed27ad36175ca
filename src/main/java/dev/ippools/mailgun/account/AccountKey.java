package dev.ippools.mailgun.account;

/** Identity of an account as the operator sees it: API root, subaccount and a key fingerprint. */
public record AccountKey(String baseUrl, String subaccountId, String keyFingerprint) {
    /**
     * A metrics label: API host, subaccount and the key's short fingerprint (a truncated hash,
     * never the key), e.g. {@code api.mailgun.net/6a1b2c3d4e5f60718293a4b5@3fa2c1d4e5f6}.
     */
    public String label() {
        String host = baseUrl.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        return host + (subaccountId == null ? "" : "/" + subaccountId) + "@" + keyFingerprint;
    }

    @Override
    public String toString() {
        // the subaccount id comes from a Secret too: logs say only that there is one
        return baseUrl + (subaccountId == null ? "" : " on behalf of a subaccount") + " (key " + keyFingerprint + ")";
    }
}
