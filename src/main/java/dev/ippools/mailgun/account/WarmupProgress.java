package dev.ippools.mailgun.account;

import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.MailgunException;
import dev.ippools.mailgun.client.model.IpWarmup;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The progress of the account's warm-ups as last read ({@code GET /v3/ip_warmups}, all pages):
 * read only while a pool waits for a warm-up, and at most once per interval however many pools
 * wait. Which IPs warm is in the bulk IP read ({@link Snapshot}); this adds only how far each is.
 */
final class WarmupProgress {

    private static final Logger log = LoggerFactory.getLogger(WarmupProgress.class);

    private final AccountKey key;
    private final MailgunClient client;
    private final Clock clock;
    private volatile Read latest = new Read(Map.of(), null);

    WarmupProgress(AccountKey key, MailgunClient client, Clock clock) {
        this.key = key;
        this.client = client;
        this.clock = clock;
    }

    /** The last read; its identity changes with every read, for the view's cache. */
    Read latest() {
        return latest;
    }

    /**
     * Reads unless a read started after {@code since}. A failed read keeps the progress last read
     * and is not tried again before the next interval: the warm-up's end shows in the bulk IP read.
     */
    synchronized void refreshIfOlderThan(Instant since) {
        Read last = latest;
        if (last.readAt() != null && last.readAt().isAfter(since)) {
            return;
        }
        Instant started = clock.instant();
        Map<String, IpWarmup> byIp = new LinkedHashMap<>();
        try {
            client.listAllWarmups().forEach(warmup -> byIp.put(warmup.ip(), warmup));
            latest = new Read(Map.copyOf(byIp), started);
        } catch (MailgunException e) {
            log.debug("account {}: warm-up progress not read: {}", key, e.getMessage());
            latest = new Read(last.byIp(), started);
        }
    }

    /** Running warm-ups by IP, and when they were read (null: never). */
    record Read(Map<String, IpWarmup> byIp, Instant readAt) {}
}
