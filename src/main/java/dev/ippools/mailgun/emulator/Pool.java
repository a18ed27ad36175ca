package dev.ippools.mailgun.emulator;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** A dedicated IP pool (DIPP), owned by one account and possibly delegated to subaccounts. */
final class Pool {
    final String id;
    final String ownerId;
    String name;
    String description;

    /** IP to the time it joined the pool, in joining order. */
    final Map<String, Instant> ips = new LinkedHashMap<>();

    /** Subaccounts the delegation work has been applied for. */
    final Set<String> delegatedTo = new LinkedHashSet<>();

    Pool(String id, String ownerId, String name, String description) {
        this.id = id;
        this.ownerId = ownerId;
        this.name = name;
        this.description = description;
    }
}
