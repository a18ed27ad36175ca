package dev.ippools.mailgun.client.model;

import java.util.List;

/** {@code GET /v3/ips/{ip}/domains}. */
public record IpDomains(List<Item> items, int totalCount) {
  public record Item(String domain, List<String> ips) {}
}
