package dev.ippools.mailgun.client.model;

import java.util.List;

/** One entry of {@code GET /v3/ip_pools}. */
public record IpPool(
    String poolId,
    String name,
    String description,
    List<String> ips,
    boolean inherited,
    boolean linked) {

  public IpPool {
    ips = ips == null ? List.of() : List.copyOf(ips);
  }
}
