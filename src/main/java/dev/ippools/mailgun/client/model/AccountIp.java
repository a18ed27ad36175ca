package dev.ippools.mailgun.client.model;

/** {@code GET /v3/ips/{ip}}. */
public record AccountIp(String ip, String rdns, boolean dedicated) {}
