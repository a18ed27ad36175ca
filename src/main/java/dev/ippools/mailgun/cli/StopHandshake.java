package dev.ippools.mailgun.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How the long-running commands ({@code run}, {@code emulator}, {@code local}) stop. A stop is
 * asked for once (by a test, a signal or the JVM's shutdown), with an exit code; the first ask
 * wins. The shutdown hook asks and then waits, for at most a bound, until the command has closed
 * what it started: Ctrl-C never leaves a process or a port behind.
 */
final class StopHandshake {

    private static final int NOT_REQUESTED = Integer.MIN_VALUE;

    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicInteger exitCode = new AtomicInteger(NOT_REQUESTED);
    private Thread hook;

    /**
     * Registers the shutdown hook.
     *
     * @param shutdownWait how long the JVM's shutdown waits for the command to finish closing
     * @param stop the command's own way to ask for a stop
     */
    void installHook(String threadName, Duration shutdownWait, Runnable stop) {
        hook = new Thread(
                () -> {
                    stop.run();
                    try {
                        finished.await(shutdownWait.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                threadName);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Asks for a stop; returns false when one was asked for already (its exit code stands). */
    boolean request(int code) {
        if (!exitCode.compareAndSet(NOT_REQUESTED, code)) {
            return false;
        }
        requested.countDown();
        return true;
    }

    boolean isRequested() {
        return requested.getCount() == 0;
    }

    void awaitRequest() throws InterruptedException {
        requested.await();
    }

    /** Returns true once a stop was asked for, false after {@code timeout} without one. */
    boolean awaitRequest(Duration timeout) throws InterruptedException {
        return requested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The exit code the first request gave, 0 when none came. */
    int exitCode() {
        int code = exitCode.get();
        return code == NOT_REQUESTED ? 0 : code;
    }

    /** The command closed everything: the shutdown hook may let the JVM go. */
    void finished() {
        finished.countDown();
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The JVM is exiting and runs the hook itself.
            }
        }
    }
}
