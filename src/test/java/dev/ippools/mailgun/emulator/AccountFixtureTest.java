package dev.ippools.mailgun.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccountFixtureTest {

    private static final Path SAMPLE = Path.of("config/samples/emulator-fixture.yaml");

    @Test
    void theSampleFixtureIsTheBundledDefault() {
        AccountFixture sample = AccountFixture.load(SAMPLE);
        assertThat(sample).isEqualTo(AccountFixture.defaults());
        assertThat(sample.accountId()).isEqualTo("5f0c1a2b3c4d5e6f70819203");
        assertThat(sample.features().dipps()).isTrue();
        assertThat(sample.features().sharedIpEligible()).isTrue();
        assertThat(sample.ips()).hasSize(9);
        assertThat(sample.ips()).filteredOn(ip -> ip.warmup()).hasSize(1);
        assertThat(sample.ips()).filteredOn(ip -> !ip.dedicated()).hasSize(1);
        assertThat(sample.domains()).hasSize(4);
        assertThat(sample.domains().get(3).name()).isEqualTo("billing.example.com");
        assertThat(sample.subaccounts()).hasSize(2);
        assertThat(sample.pools()).hasSize(1);
    }

    @Test
    void loadsAFixtureFileIntoARunningEmulator(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("fixture.yaml");
        Files.writeString(file, """
accountId: 0123456789abcdef01234567
features: {dipps: true, sharedIpEligible: false}
ips:
  - {ip: 192.0.2.1, rdns: a.example}
  - {ip: 192.0.2.2, enabled: false}
pools:
  - {name: main, description: Main pool, ips: [192.0.2.1], delegatedTo: [0123456789abcdef0123456a]}
domains:
  - {name: one.example.com, pool: main}
  - two.example.com
subaccounts:
  - id: 0123456789abcdef0123456a
    name: child
    domains: [{name: child.example.com, pool: main}]
""");
        try (MailgunEmulator emulator =
                MailgunEmulator.start(EmulatorConfig.defaults().withFixture(AccountFixture.load(file)))) {
            EmulatorSnapshot state = emulator.state();
            assertThat(state.accountId()).isEqualTo("0123456789abcdef01234567");
            assertThat(state.sharedIpEligible()).isFalse();
            assertThat(state.pools()).singleElement().satisfies(p -> {
                assertThat(p.name()).isEqualTo("main");
                assertThat(p.delegatedTo()).containsExactly("0123456789abcdef0123456a");
                assertThat(p.linkedDomains()).containsExactly("one.example.com", "child.example.com");
            });
            // A domain without IPs gets the enabled dedicated IPs.
            assertThat(state.domainIps("two.example.com")).containsExactly("192.0.2.1");
            assertThat(state.ips().get(0).rdns()).isEqualTo("a.example");
            assertThat(state.ips().get(1).rdns()).isEqualTo("ip-192-0-2-2.mailgun.example");
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "accountId: nope | accountId must be 24 lowercase hex characters",
                "ips: [{ip: 1.2.3}] | invalid IP address '1.2.3'",
                "ips: [{ip: 192.0.2.1}, {ip: 192.0.2.1}] | is listed twice",
                "domains: [{name: a.example.com, pool: missing}] | unknown pool missing",
                "ips: [{ip: 192.0.2.1, warmup: true}]\\npools: [{name: p, ips: [192.0.2.1]}] | on warmup",
                "ips: [{ip: 192.0.2.1, dedicated: false}]\\npools: [{name: p, ips: [192.0.2.1]}]"
                        + " | is not a dedicated IP",
                "pools: [{name: p, ips: [192.0.2.9]}] | does not belong to the account",
                "domains: [a.example.com, A.example.com] | is listed twice",
                "domains: [{name: a.example.com, pool: p, ips: []}]\\n" + "pools: [{name: p}] | sets both pool and ips",
                "ips: [{ip: 192.0.2.1}]\\npools: [{name: p, ips: [192.0.2.1]}]\\nsubaccounts: [{id:"
                        + " 0123456789abcdef0123456a, ips: [192.0.2.1]}] | belongs to a pool of the parent",
                "pools: [{name: p, delegatedTo: [0123456789abcdef0123456a]}] | unknown subaccount",
                "domains: [{name: a.example.com, pool: p}]\\npools: [{name: p}] | has no IPs",
                "ips: [{ip: 192.0.2.1, warm: false}]\\npools: [{name: p, ips: [192.0.2.1]}]"
                        + " | has not been warmed up",
                "ips: [{ip: 192.0.2.1, warmup: true, warm: false}] | cannot be warming up and never",
                "ips: [{ip: 192.0.2.1, warmupStage: 2}] | has a warmupStage but is not warming up",
                "ips: [{ip: 192.0.2.1, warmup: true, warmupStage: 21}] | warmupStage must be between 1",
                "ips: [{ip: 192.0.2.1, dedicated: false, warmup: true}] | only dedicated IPs warm up",
                "warmupPlan: {stageDuration: 2s} | is not an ISO-8601 duration",
                "warmupPlan: {stages: 0} | warm-up stages must be at least 1",
            })
    void inconsistentFixturesAreRejectedWithAReason(String yaml, String reason) {
        AccountFixture fixture = AccountFixture.parse(yaml.replace("\\n", "\n"));
        assertThatThrownBy(() -> MailgunEmulator.start(EmulatorConfig.defaults().withFixture(fixture))
                        .close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("emulator fixture: ")
                .hasMessageContaining(reason);
    }

    @Test
    void unknownFieldsAreTypos() {
        assertThatThrownBy(() -> AccountFixture.parse("acountId: 0123456789abcdef01234567"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("acountId");
    }

    @Test
    void featuresDefaultToOn() {
        AccountFixture fixture = AccountFixture.parse("ips: []");
        assertThat(fixture.features().dipps()).isTrue();
        assertThat(fixture.features().sharedIpEligible()).isTrue();
    }
}
