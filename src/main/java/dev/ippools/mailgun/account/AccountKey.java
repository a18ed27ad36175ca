package dev.ippools.mailgun.account;

/** Identity of an account as the operator sees it: API root, subaccount and a key fingerprint. */
public record AccountKey(String baseUrl, String subaccountId, String keyFingerprint) {
  @Override
  public String toString() {
    // the subaccount id comes from a Secret too: logs say only that there is one
    return baseUrl + (subaccountId == null ? "" : " on behalf of a subaccount")
        + " (key " + keyFingerprint + ")";
  }
}
