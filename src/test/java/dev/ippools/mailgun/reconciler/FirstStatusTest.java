package dev.ippools.mailgun.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FirstStatusTest {

    private final AtomicInteger writes = new AtomicInteger();

    @Test
    void aReconcileThatDecidesAtOnceWritesNoFirstStatus() throws Exception {
        FirstStatus first = FirstStatus.after(Duration.ofMillis(200), writes::incrementAndGet);
        first.settle();
        Thread.sleep(400);
        assertThat(writes).hasValue(0);
    }

    @Test
    void aSlowReconcileGetsItsFirstStatusOnceAfterTheDelay() {
        FirstStatus first = FirstStatus.after(Duration.ofMillis(50), writes::incrementAndGet);
        await().atMost(Duration.ofSeconds(5)).until(() -> writes.get() == 1);
        first.writeNow();
        first.settle();
        assertThat(writes).hasValue(1);
    }

    @Test
    void mailgunWritesGetTheFirstStatusWrittenBeforeThem() {
        FirstStatus first = FirstStatus.after(Duration.ofHours(1), writes::incrementAndGet);
        first.writeNow();
        assertThat(writes).hasValue(1);
        first.writeNow();
        first.settle();
        assertThat(writes).hasValue(1);
    }

    @Test
    void settlingWaitsForAFirstStatusBeingWritten() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FirstStatus first = FirstStatus.after(Duration.ofMillis(10), () -> {
            writing.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            writes.incrementAndGet();
        });
        assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
        Thread settler = new Thread(first::settle);
        settler.start();
        settler.join(200);
        assertThat(settler.isAlive()).as("settle waits for the write under way").isTrue();
        release.countDown();
        settler.join(5000);
        assertThat(writes).hasValue(1);
    }
}
