package dev.ippools.mailgun.reconciler;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A new resource's first status (Ready=False/Progressing), written only if its first reconcile is
 * still running after a short delay: one that decides at once (a binding waiting for its IpPool)
 * writes its decision as the first status, one request instead of two at every new resource.
 * A reconcile about to write to Mailgun writes it at once, as the write can wait long (the rate
 * limit). Settling waits for a write under way, so the first status never lands after the decision.
 */
final class FirstStatus {

    private static final Logger log = LoggerFactory.getLogger(FirstStatus.class);

    /** Short enough that a resource is not long without conditions (kstatus: Current). */
    static final Duration DELAY = Duration.ofMillis(500);

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "first-status");
        t.setDaemon(true);
        return t;
    });

    static final FirstStatus NONE = new FirstStatus(() -> {});

    static {
        NONE.settled = true;
    }

    private final Runnable write;
    private ScheduledFuture<?> timer;
    private boolean settled;

    private FirstStatus(Runnable write) {
        this.write = write;
    }

    /** Writes the first status after {@code delay} unless {@link #settle()} comes first. */
    static FirstStatus after(Duration delay, Runnable write) {
        FirstStatus first = new FirstStatus(write);
        synchronized (first) {
            first.timer = TIMER.schedule(first::fire, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
        return first;
    }

    private synchronized void fire() {
        if (settled) {
            return;
        }
        settled = true;
        try {
            write.run();
        } catch (RuntimeException e) {
            // The reconcile's own status follows; the first one only bridged the wait.
            log.debug("Could not write a first status: {}", e.toString());
        }
    }

    /** Writes the first status now unless it was written or settled: before Mailgun writes. */
    synchronized void writeNow() {
        if (!settled) {
            timer.cancel(false);
            fire();
        }
    }

    /** No first status from now on; returns once one being written is written. */
    synchronized void settle() {
        if (!settled) {
            settled = true;
            if (timer != null) {
                timer.cancel(false);
            }
        }
    }
}
