package dev.ippools.mailgun.emulator;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The account an emulator starts from, as written in a YAML fixture: the primary account, its IPs,
 * domains, pools and subaccounts. Checked for consistency when the emulator loads it.
 */
public record AccountFixture(
        String accountId,
        Features features,
        List<IpFixture> ips,
        List<DomainFixture> domains,
        List<PoolFixture> pools,
        List<SubaccountFixture> subaccounts,
        WarmupPlan warmupPlan) {

    private static final String DEFAULT_RESOURCE = "default-fixture.yaml";

    public AccountFixture {
        features = features == null ? new Features(true, true) : features;
        ips = ips == null ? List.of() : List.copyOf(ips);
        domains = domains == null ? List.of() : List.copyOf(domains);
        pools = pools == null ? List.of() : List.copyOf(pools);
        subaccounts = subaccounts == null ? List.of() : List.copyOf(subaccounts);
        warmupPlan = warmupPlan == null ? new WarmupPlan(null, null) : warmupPlan;
    }

    /** A fixture whose warm-ups follow the default plan. */
    public AccountFixture(
            String accountId,
            Features features,
            List<IpFixture> ips,
            List<DomainFixture> domains,
            List<PoolFixture> pools,
            List<SubaccountFixture> subaccounts) {
        this(accountId, features, ips, domains, pools, subaccounts, null);
    }

    /**
     * How warm-ups progress: {@code stages} stages of {@code stageDuration} (ISO-8601, e.g. {@code
     * PT2S}) each; 20 stages of a day by default, seconds in a test.
     */
    public record WarmupPlan(Integer stages, String stageDuration) {
        public WarmupPlan {
            stages = stages == null ? EmulatorState.DEFAULT_WARMUP_STAGES : stages;
            stageDuration =
                    stageDuration == null ? EmulatorState.DEFAULT_WARMUP_STAGE_DURATION.toString() : stageDuration;
        }
    }

    /** Account feature flags: the DIPPs feature and eligibility for shared IPs. */
    public record Features(Boolean dipps, Boolean sharedIpEligible) {
        public Features {
            dipps = dipps == null || dipps;
            sharedIpEligible = sharedIpEligible == null || sharedIpEligible;
        }
    }

    /**
     * One IP of the primary account. {@code dedicated: false} marks a shared IP; {@code warmup: true}
     * one warming up (from {@code warmupStage}, 1 by default, when the emulator starts); {@code warm:
     * false} a new dedicated IP never warmed up.
     */
    public record IpFixture(
            String ip,
            Boolean dedicated,
            Boolean enabled,
            Boolean warmup,
            String rdns,
            Integer warmupStage,
            Boolean warm) {
        public IpFixture {
            dedicated = dedicated == null || dedicated;
            enabled = enabled == null || enabled;
            warmup = warmup != null && warmup;
            warm = warm == null || warm;
        }

        public IpFixture(String ip, Boolean dedicated, Boolean enabled, Boolean warmup, String rdns) {
            this(ip, dedicated, enabled, warmup, rdns, null, null);
        }
    }

    /**
     * A sending domain: explicit {@code ips}, or a linked {@code pool} (name or id), or neither for
     * the account's default IP set. Written as a bare name when nothing else is needed.
     */
    public record DomainFixture(String id, String name, List<String> ips, String pool) {
        public DomainFixture {
            ips = ips == null ? null : List.copyOf(ips);
        }

        @JsonCreator
        public static DomainFixture named(String name) {
            return new DomainFixture(null, name, null, null);
        }
    }

    /** A dedicated IP pool of the primary account, optionally delegated to subaccounts. */
    public record PoolFixture(String id, String name, String description, List<String> ips, List<String> delegatedTo) {
        public PoolFixture {
            ips = ips == null ? List.of() : List.copyOf(ips);
            delegatedTo = delegatedTo == null ? List.of() : List.copyOf(delegatedTo);
        }
    }

    /** A subaccount with its own domains and the parent IPs linked to it. */
    public record SubaccountFixture(String id, String name, List<DomainFixture> domains, List<String> ips) {
        public SubaccountFixture {
            domains = domains == null ? List.of() : List.copyOf(domains);
            ips = ips == null ? List.of() : List.copyOf(ips);
        }
    }

    public static AccountFixture load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read emulator fixture " + file, e);
        }
    }

    public static AccountFixture parse(String yaml) {
        try {
            return yaml().readValue(yaml, AccountFixture.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid emulator fixture: " + e.getMessage(), e);
        }
    }

    /** The fixture bundled with the emulator, used when none is given. */
    public static AccountFixture defaults() {
        try (InputStream in = AccountFixture.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("bundled emulator fixture is missing");
            }
            return read(in, DEFAULT_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled emulator fixture", e);
        }
    }

    private static AccountFixture read(InputStream in, String source) throws IOException {
        try {
            return yaml().readValue(in, AccountFixture.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException("invalid emulator fixture " + source + ": " + e.getOriginalMessage(), e);
        }
    }

    private static ObjectMapper yaml() {
        return new ObjectMapper(new YAMLFactory());
    }
}
