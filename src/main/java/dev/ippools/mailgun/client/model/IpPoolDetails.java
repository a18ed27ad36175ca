package dev.ippools.mailgun.client.model;

import java.util.List;

/** {@code GET /v3/ip_pools/{id}}; {@code linkedDomains} holds domain names. */
public record IpPoolDetails(
        String poolId,
        String name,
        String description,
        List<String> ips,
        boolean inherited,
        boolean linked,
        List<String> linkedDomains) {

    public IpPoolDetails {
        ips = ips == null ? List.of() : List.copyOf(ips);
        linkedDomains = linkedDomains == null ? List.of() : List.copyOf(linkedDomains);
    }
}
