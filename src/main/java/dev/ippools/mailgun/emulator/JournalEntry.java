package dev.ippools.mailgun.emulator;

import java.time.Instant;

/**
 * One API call the emulator answered.
 *
 * @param path the raw request path
 * @param endpoint the matched template, e.g. {@code GET /v3/ip_pools/{pool_id}}; null if none
 * @param query the raw query string, or null
 * @param status the HTTP status answered; 0 when the connection was dropped without an answer
 * @param onBehalfOf the {@code X-Mailgun-On-Behalf-Of} header, or null
 * @param client the caller's IP address: tells replicas apart, each with its own pod IP
 */
public record JournalEntry(
        long seq,
        String method,
        String path,
        String endpoint,
        String query,
        int status,
        String onBehalfOf,
        Instant timestamp,
        String client) {}
