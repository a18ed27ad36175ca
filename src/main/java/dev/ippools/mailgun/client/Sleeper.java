package dev.ippools.mailgun.client;

import java.time.Duration;

/** Blocks the calling thread; replaceable so retry and rate-limit tests do not really wait. */
@FunctionalInterface
public interface Sleeper {

    Sleeper SYSTEM = duration -> {
        if (!duration.isNegative() && !duration.isZero()) {
            Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        }
    };

    void sleep(Duration duration) throws InterruptedException;
}
