package dev.ippools.mailgun.client;

/** Mailgun's API regions. IPs, pools and domains are region-bound, so pick the account's region. */
public enum MailgunRegion {
    US("https://api.mailgun.net"),
    EU("https://api.eu.mailgun.net");

    private final String baseUrl;

    MailgunRegion(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String baseUrl() {
        return baseUrl;
    }
}
