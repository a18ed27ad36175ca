package dev.ippools.mailgun.client.model;

import java.util.List;

/** {@code GET /v3/ips/{ip}/domains}. */
public record IpDomains(List<Item> items, int totalCount) {

    public IpDomains {
        items = items == null ? List.of() : List.copyOf(items);
    }

    public record Item(String domain, List<String> ips) {
        public Item {
            ips = ips == null ? List.of() : List.copyOf(ips);
        }
    }
}
