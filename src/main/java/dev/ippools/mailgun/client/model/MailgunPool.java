package dev.ippools.mailgun.client.model;

import java.util.List;

/**
 * One entry of {@code GET /v3/ip_pools}: a pool as Mailgun lists it (the custom resource that
 * declares one is {@code api.v1alpha1.IpPool}).
 */
public record MailgunPool(
        String poolId, String name, String description, List<String> ips, boolean inherited, boolean linked) {

    public MailgunPool {
        ips = ips == null ? List.of() : List.copyOf(ips);
    }
}
