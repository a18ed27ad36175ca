package dev.ippools.mailgun.emulator;

import java.time.Instant;
import java.util.List;

/**
 * A sending domain with two views of its IPs: the committed one (linked pool or explicit IPs),
 * which rules are checked against, and the visible one, which reads show and which catches up when
 * propagation work is applied.
 */
final class Domain {

    /** A domain's IP assignment: a linked pool and its IPs, or explicit IPs (poolId null). */
    record Assignment(String poolId, List<String> ips) {}

    final String id;
    final String name;
    final String accountId;
    final Instant createdAt;

    /** Committed link; when set, the domain's IPs are the pool's IPs. */
    String poolId;

    /** Committed explicit IPs; used only while no pool is linked. */
    List<String> ips = List.of();

    long version;
    Assignment visible = new Assignment(null, List.of());
    long visibleVersion;

    Domain(String id, String name, String accountId, Instant createdAt) {
        this.id = id;
        this.name = name;
        this.accountId = accountId;
        this.createdAt = createdAt;
    }

    /** Links the domain to a pool: its IPs become the pool's. */
    void linkTo(Pool pool) {
        poolId = pool.id;
        ips = List.of();
    }

    /** Gives the domain explicit IPs, without any pool. */
    void assign(List<String> explicitIps) {
        poolId = null;
        ips = explicitIps;
    }

    /** Makes a committed version visible unless a later one already is. */
    void show(long version, Assignment target) {
        if (version > visibleVersion) {
            visible = target;
            visibleVersion = version;
        }
    }
}
