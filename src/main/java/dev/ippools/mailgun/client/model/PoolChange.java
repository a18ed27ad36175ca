package dev.ippools.mailgun.client.model;

import java.util.List;

/** Body of {@code PATCH /v3/ip_pools/{id}}; null or empty fields are not sent. */
public record PoolChange(
        String name,
        String description,
        List<String> addIps,
        List<String> removeIps,
        List<String> linkDomains,
        List<String> unlinkDomains) {

    public PoolChange {
        addIps = copyOrNull(addIps);
        removeIps = copyOrNull(removeIps);
        linkDomains = copyOrNull(linkDomains);
        unlinkDomains = copyOrNull(unlinkDomains);
    }

    private static List<String> copyOrNull(List<String> list) {
        return list == null ? null : List.copyOf(list);
    }
}
