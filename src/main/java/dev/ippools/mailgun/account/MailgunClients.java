package dev.ippools.mailgun.account;

import dev.ippools.mailgun.client.AccountRateLimiter;
import dev.ippools.mailgun.client.MailgunCallListener;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.MailgunClientOptions;
import dev.ippools.mailgun.client.WriteGate;
import dev.ippools.mailgun.client.http.OkHttpMailgunClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Makes one client per account. Clients of the same key and API root (a primary account and its
 * subaccounts, which Mailgun meters together) share one rate limiter.
 */
public final class MailgunClients implements Function<Credentials, MailgunClient> {

    private final double permitsPerSecond;
    private final int burst;
    private final MailgunCallListener listener;
    private final WriteGate writeGate;
    private final Map<String, AccountRateLimiter> limiters = new ConcurrentHashMap<>();

    public MailgunClients(double permitsPerSecond, int burst, MailgunCallListener listener) {
        this(permitsPerSecond, burst, listener, WriteGate.open());
    }

    /** @param writeGate every client's writes pass it, so closing it fences the whole process */
    public MailgunClients(double permitsPerSecond, int burst, MailgunCallListener listener, WriteGate writeGate) {
        this.permitsPerSecond = permitsPerSecond;
        this.burst = burst;
        this.listener = listener;
        this.writeGate = writeGate;
    }

    public static MailgunClients withDefaults() {
        return new MailgunClients(
                MailgunClientOptions.DEFAULT_PERMITS_PER_SECOND,
                MailgunClientOptions.DEFAULT_BURST,
                MailgunCallListener.NONE);
    }

    @Override
    public MailgunClient apply(Credentials c) {
        AccountKey key = c.key();
        AccountRateLimiter limiter = limiters.computeIfAbsent(
                key.baseUrl() + "#" + key.keyFingerprint(), k -> AccountRateLimiter.create(permitsPerSecond, burst));
        return OkHttpMailgunClient.create(MailgunClientOptions.builder()
                .baseUrl(c.baseUrl())
                .apiKey(c.apiKey())
                .subaccountId(c.subaccountId())
                .rateLimiter(limiter)
                .listener(listener)
                .writeGate(writeGate)
                .build());
    }
}
