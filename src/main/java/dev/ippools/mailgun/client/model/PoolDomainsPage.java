package dev.ippools.mailgun.client.model;

import java.util.List;

/**
 * One page of {@code GET /v3/ip_pools/{id}/domains}; {@code nextPage} is the cursor token or null.
 */
public record PoolDomainsPage(List<PoolDomain> domains, String nextPage) {

    public PoolDomainsPage {
        domains = domains == null ? List.of() : List.copyOf(domains);
    }
}
