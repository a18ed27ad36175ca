package dev.ippools.mailgun.client;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Settings of a {@link MailgunClient}. Immutable; {@link #toString()} never shows the API key.
 *
 * <p>Timeouts: {@code connectTimeout} and {@code readTimeout} (also used for writing) apply to each
 * HTTP attempt; {@code callTimeout} bounds one client method call as a whole, retries and
 * rate-limit waits included, so a caller's thread is never held longer. A wait that would end after
 * it is not started: the last error is thrown instead (it is transient and, for 429, carries {@code
 * retryAfter}). Zero disables a timeout.
 */
public final class MailgunClientOptions {

    private final MailgunRegion region;
    private final String baseUrl;
    private final Supplier<String> apiKey;
    private final String subaccountId;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration callTimeout;
    private final int maxRetries;
    private final Duration retryBaseDelay;
    private final Duration retryMaxDelay;
    private final AccountRateLimiter rateLimiter;
    private final MailgunCallListener listener;
    private final OkHttpClient okHttpClient;
    private final WriteGate writeGate;
    private final Clock clock;
    private final Sleeper sleeper;

    private MailgunClientOptions(Builder b) {
        this.region = Objects.requireNonNull(b.region, "region");
        this.baseUrl = b.baseUrl;
        this.apiKey = Objects.requireNonNull(b.apiKey, "apiKey is required");
        this.subaccountId = b.subaccountId;
        this.connectTimeout = nonNegative(b.connectTimeout, "connectTimeout");
        this.readTimeout = nonNegative(b.readTimeout, "readTimeout");
        this.callTimeout = nonNegative(b.callTimeout, "callTimeout");
        if (b.maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative");
        }
        this.maxRetries = b.maxRetries;
        this.retryBaseDelay = nonNegative(b.retryBaseDelay, "retryBaseDelay");
        this.retryMaxDelay = nonNegative(b.retryMaxDelay, "retryMaxDelay");
        if (retryMaxDelay.compareTo(retryBaseDelay) < 0) {
            throw new IllegalArgumentException("retryMaxDelay must not be shorter than retryBaseDelay");
        }
        this.clock = Objects.requireNonNull(b.clock, "clock");
        this.sleeper = Objects.requireNonNull(b.sleeper, "sleeper");
        this.rateLimiter = b.rateLimiter != null
                ? b.rateLimiter
                : AccountRateLimiter.create(DEFAULT_PERMITS_PER_SECOND, DEFAULT_BURST, this.clock, this.sleeper);
        this.listener = b.listener == null ? MailgunCallListener.NONE : b.listener;
        this.okHttpClient = b.okHttpClient;
        this.writeGate = b.writeGate == null ? WriteGate.open() : b.writeGate;
        if (baseUrl != null) {
            HttpUrl parsed = HttpUrl.parse(baseUrl);
            if (parsed == null) {
                throw new IllegalArgumentException("baseUrl is not an http(s) URL: " + baseUrl);
            }
        }
        if (subaccountId != null && subaccountId.isBlank()) {
            throw new IllegalArgumentException("subaccountId must not be blank");
        }
    }

    /** Mailgun publishes no limit for these endpoints; this stays well clear of the known ones. */
    public static final double DEFAULT_PERMITS_PER_SECOND = 10;

    public static final int DEFAULT_BURST = 20;

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.region = region;
        b.baseUrl = baseUrl;
        b.apiKey = apiKey;
        b.subaccountId = subaccountId;
        b.connectTimeout = connectTimeout;
        b.readTimeout = readTimeout;
        b.callTimeout = callTimeout;
        b.maxRetries = maxRetries;
        b.retryBaseDelay = retryBaseDelay;
        b.retryMaxDelay = retryMaxDelay;
        b.rateLimiter = rateLimiter;
        b.listener = listener;
        b.okHttpClient = okHttpClient;
        b.writeGate = writeGate;
        b.clock = clock;
        b.sleeper = sleeper;
        return b;
    }

    public MailgunRegion region() {
        return region;
    }

    /** The explicit base URL, or the region's. */
    public String baseUrl() {
        return baseUrl != null ? baseUrl : region.baseUrl();
    }

    /** Reads the current key; called for every request, so a rotated key is used at once. */
    public Supplier<String> apiKey() {
        return apiKey;
    }

    /** Subaccount sent as {@code X-Mailgun-On-Behalf-Of}, or null for the account itself. */
    public String subaccountId() {
        return subaccountId;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    public Duration callTimeout() {
        return callTimeout;
    }

    public int maxRetries() {
        return maxRetries;
    }

    public Duration retryBaseDelay() {
        return retryBaseDelay;
    }

    public Duration retryMaxDelay() {
        return retryMaxDelay;
    }

    public AccountRateLimiter rateLimiter() {
        return rateLimiter;
    }

    public MailgunCallListener listener() {
        return listener;
    }

    /** The OkHttpClient to derive from (shares its pool and dispatcher), or null for a new one. */
    public OkHttpClient okHttpClient() {
        return okHttpClient;
    }

    /** Consulted right before each attempt of a write; closed, it stops every write. */
    public WriteGate writeGate() {
        return writeGate;
    }

    public Clock clock() {
        return clock;
    }

    public Sleeper sleeper() {
        return sleeper;
    }

    @Override
    public String toString() {
        return "MailgunClientOptions{baseUrl="
                + baseUrl()
                + ", apiKey=[redacted]"
                + (subaccountId == null ? "" : ", subaccountId=" + subaccountId)
                + ", connectTimeout="
                + connectTimeout
                + ", readTimeout="
                + readTimeout
                + ", callTimeout="
                + callTimeout
                + ", maxRetries="
                + maxRetries
                + ", retryBaseDelay="
                + retryBaseDelay
                + ", retryMaxDelay="
                + retryMaxDelay
                + ", rateLimiter="
                + rateLimiter
                + "}";
    }

    private static Duration nonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
        return d;
    }

    /** Builder with the defaults: US region, 10 s / 30 s / 60 s timeouts, 3 retries. */
    public static final class Builder {
        private MailgunRegion region = MailgunRegion.US;
        private String baseUrl;
        private Supplier<String> apiKey;
        private String subaccountId;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private Duration callTimeout = Duration.ofSeconds(60);
        private int maxRetries = 3;
        private Duration retryBaseDelay = Duration.ofMillis(500);
        private Duration retryMaxDelay = Duration.ofSeconds(15);
        private AccountRateLimiter rateLimiter;
        private MailgunCallListener listener;
        private OkHttpClient okHttpClient;
        private WriteGate writeGate;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;

        private Builder() {}

        public Builder region(MailgunRegion region) {
            this.region = region;
            return this;
        }

        /** Overrides the region's URL (the emulator, a proxy); may carry a path prefix. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        public Builder apiKey(Supplier<String> apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        public Builder apiKey(String apiKey) {
            Objects.requireNonNull(apiKey, "apiKey");
            this.apiKey = () -> apiKey;
            return this;
        }

        public Builder subaccountId(String subaccountId) {
            this.subaccountId = subaccountId;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
            return this;
        }

        public Builder callTimeout(Duration callTimeout) {
            this.callTimeout = callTimeout;
            return this;
        }

        /** Retries after the first attempt for transient failures; 0 disables retrying. */
        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        public Builder retryBaseDelay(Duration retryBaseDelay) {
            this.retryBaseDelay = retryBaseDelay;
            return this;
        }

        public Builder retryMaxDelay(Duration retryMaxDelay) {
            this.retryMaxDelay = retryMaxDelay;
            return this;
        }

        /** The account's bucket; pass the same instance to every client of one account. */
        public Builder rateLimiter(AccountRateLimiter rateLimiter) {
            this.rateLimiter = rateLimiter;
            return this;
        }

        public Builder listener(MailgunCallListener listener) {
            this.listener = listener;
            return this;
        }

        public Builder writeGate(WriteGate writeGate) {
            this.writeGate = writeGate;
            return this;
        }

        public Builder okHttpClient(OkHttpClient okHttpClient) {
            this.okHttpClient = okHttpClient;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        public MailgunClientOptions build() {
            return new MailgunClientOptions(this);
        }
    }
}
