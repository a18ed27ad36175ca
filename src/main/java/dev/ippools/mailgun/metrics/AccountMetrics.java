package dev.ippools.mailgun.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-account health: {@code mailgun_account_poll_failures_total{account,reason}}, {@code
 * mailgun_pools_duplicate{account}}, {@code mailgun_pools_orphaned{account}}, and {@code
 * mailgun_drift_corrected_total{kind}}. The account label
 * names the API host, subaccount and a short key fingerprint, never the key.
 */
public final class AccountMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> duplicates = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> orphans = new ConcurrentHashMap<>();

    public AccountMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A scheduled read of the account failed, for {@code reason} (a Synced condition reason). */
    public void pollFailed(String account, String reason) {
        Counter.builder("mailgun.account.poll.failures")
                .description("Scheduled bulk reads of a Mailgun account that failed, by cause")
                .tag("account", account)
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    /** A reconcile corrected a change made outside the operator in a resource of {@code kind}. */
    public void driftCorrected(String kind) {
        Counter.builder("mailgun.drift.corrected")
                .description("Changes made outside the operator (in Mailgun) that it corrected, by kind")
                .tag("kind", kind)
                .register(registry)
                .increment();
    }

    /** The marked pools of an account found without a place after its last poll. */
    public void strayPools(String account, int duplicateCount, int orphanCount) {
        gauge(
                        duplicates,
                        "mailgun.pools.duplicate",
                        "Mailgun pools marked for an IpPool that already has another pool",
                        account)
                .set(duplicateCount);
        gauge(orphans, "mailgun.pools.orphaned", "Mailgun pools marked for an IpPool that no longer exists", account)
                .set(orphanCount);
    }

    private AtomicInteger gauge(Map<String, AtomicInteger> values, String name, String help, String account) {
        return values.computeIfAbsent(account, a -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder(name, value, AtomicInteger::get)
                    .description(help)
                    .tag("account", a)
                    .register(registry);
            return value;
        });
    }
}
