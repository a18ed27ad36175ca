package dev.ippools.mailgun.client.model;

/** {@code POST /v3/ip_pools} answer. */
public record CreatedPool(String poolId, String message) {}
