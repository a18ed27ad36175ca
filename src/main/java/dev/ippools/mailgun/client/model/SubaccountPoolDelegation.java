package dev.ippools.mailgun.client.model;

/** An item of {@code GET /v5/accounts/subaccounts/ip_pools/all}; {@code poolId} may be null. */
public record SubaccountPoolDelegation(String subaccountId, String poolId) {}
