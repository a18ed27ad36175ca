package dev.ippools.mailgun.client.model;

/** A sending domain of the account: its id (what {@code link_domain} takes) and name. */
public record AccountDomain(String id, String name) {}
