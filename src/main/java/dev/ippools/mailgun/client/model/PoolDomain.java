package dev.ippools.mailgun.client.model;

/** A domain linked to a pool: its 24-hex id and its name. */
public record PoolDomain(String id, String name) {}
