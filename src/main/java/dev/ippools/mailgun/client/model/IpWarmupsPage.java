package dev.ippools.mailgun.client.model;

import java.util.List;

/** One page of {@code GET /v3/ip_warmups}; {@code nextPage} is the cursor token or null. */
public record IpWarmupsPage(List<IpWarmup> warmups, String nextPage) {

    public IpWarmupsPage {
        warmups = warmups == null ? List.of() : List.copyOf(warmups);
    }
}
