package dev.ippools.mailgun.emulator;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How to start a {@link MailgunEmulator}. Port 0 picks a free port. The fixture defaults to the
 * bundled one, the API key to {@value #DEFAULT_API_KEY}, the propagation delay to zero.
 *
 * @param faultSeed seed of the random source behind fault {@code rate}s, so runs repeat
 */
public record EmulatorConfig(
        String host,
        int port,
        AccountFixture fixture,
        String apiKey,
        Duration propagationDelay,
        boolean failDelegationMidway,
        Clock clock,
        long faultSeed) {

    public static final String DEFAULT_API_KEY = "emulator-key";

    public EmulatorConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(fixture, "fixture");
        Objects.requireNonNull(propagationDelay, "propagationDelay");
        Objects.requireNonNull(clock, "clock");
        if (apiKey == null || apiKey.isEmpty()) {
            throw new IllegalArgumentException("apiKey must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
        if (propagationDelay.isNegative()) {
            throw new IllegalArgumentException("propagationDelay must not be negative");
        }
    }

    /** Loopback, a random port, the bundled fixture, the default key, immediate propagation. */
    public static EmulatorConfig defaults() {
        return new EmulatorConfig(
                "127.0.0.1",
                0,
                AccountFixture.defaults(),
                DEFAULT_API_KEY,
                Duration.ZERO,
                false,
                Clock.systemUTC(),
                0L);
    }

    public EmulatorConfig withHost(String value) {
        return new EmulatorConfig(
                value, port, fixture, apiKey, propagationDelay, failDelegationMidway, clock, faultSeed);
    }

    public EmulatorConfig withPort(int value) {
        return new EmulatorConfig(
                host, value, fixture, apiKey, propagationDelay, failDelegationMidway, clock, faultSeed);
    }

    public EmulatorConfig withFixture(AccountFixture value) {
        return new EmulatorConfig(host, port, value, apiKey, propagationDelay, failDelegationMidway, clock, faultSeed);
    }

    public EmulatorConfig withApiKey(String value) {
        return new EmulatorConfig(host, port, fixture, value, propagationDelay, failDelegationMidway, clock, faultSeed);
    }

    public EmulatorConfig withPropagationDelay(Duration value) {
        return new EmulatorConfig(host, port, fixture, apiKey, value, failDelegationMidway, clock, faultSeed);
    }

    public EmulatorConfig withFailDelegationMidway(boolean value) {
        return new EmulatorConfig(host, port, fixture, apiKey, propagationDelay, value, clock, faultSeed);
    }

    public EmulatorConfig withClock(Clock value) {
        return new EmulatorConfig(
                host, port, fixture, apiKey, propagationDelay, failDelegationMidway, value, faultSeed);
    }

    public EmulatorConfig withFaultSeed(long value) {
        return new EmulatorConfig(host, port, fixture, apiKey, propagationDelay, failDelegationMidway, clock, value);
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "EmulatorConfig[host="
                + host
                + ", port="
                + port
                + ", accountId="
                + fixture.accountId()
                + ", propagationDelay="
                + propagationDelay
                + ", failDelegationMidway="
                + failDelegationMidway
                + "]";
    }
}
