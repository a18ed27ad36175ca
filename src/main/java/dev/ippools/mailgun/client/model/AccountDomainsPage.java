package dev.ippools.mailgun.client.model;

import java.util.List;

/** One page of {@code GET /v4/domains}; {@code totalCount} counts every page (null if absent). */
public record AccountDomainsPage(List<AccountDomain> items, Integer totalCount) {

    public AccountDomainsPage {
        items = List.copyOf(items);
    }
}
