package dev.ippools.mailgun.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Keeps what the client reported. */
public final class RecordingListener implements MailgunCallListener {

    public record Call(String method, String endpoint, int status, Duration latency) {}

    private final List<Call> calls = new ArrayList<>();
    private final List<Duration> rateLimitWaits = new ArrayList<>();

    @Override
    public synchronized void onCall(String method, String endpoint, int status, Duration latency) {
        calls.add(new Call(method, endpoint, status, latency));
    }

    @Override
    public synchronized void onRateLimitWait(Duration waited) {
        rateLimitWaits.add(waited);
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    public synchronized List<Integer> statuses() {
        return calls.stream().map(Call::status).toList();
    }

    public synchronized List<Duration> rateLimitWaits() {
        return List.copyOf(rateLimitWaits);
    }
}
