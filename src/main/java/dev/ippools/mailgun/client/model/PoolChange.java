package dev.ippools.mailgun.client.model;

import java.util.List;

/** Body of {@code PATCH /v3/ip_pools/{id}}; null or empty fields are not sent. */
public record PoolChange(
    String name,
    String description,
    List<String> addIps,
    List<String> removeIps,
    List<String> linkDomains,
    List<String> unlinkDomains) {}
