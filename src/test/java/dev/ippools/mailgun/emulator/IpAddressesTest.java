package dev.ippools.mailgun.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The emulator accepts the same IP literals as the operator's {@code plan.IpAddresses}: every case
 * of plan's {@code IpAddressesTest} (read from its annotations, so the two tables cannot drift
 * apart), plus the cases where the emulator's former {@code InetAddress} check differed.
 */
class IpAddressesTest {

    private static final String PLAN_TEST = "dev.ippools.mailgun.plan.IpAddressesTest";

    @ParameterizedTest(name = "\"{0}\" valid: {1}")
    @MethodSource("planCases")
    void agreesWithPlanTable(String text, boolean valid) {
        assertThat(IpAddresses.isValid(text)).isEqualTo(valid);
    }

    static Stream<Arguments> planCases() throws ReflectiveOperationException {
        Class<?> plan = Class.forName(PLAN_TEST);
        CsvSource literals = plan.getDeclaredMethod("canonicalSpelling", String.class, String.class)
                .getAnnotation(CsvSource.class);
        ValueSource nonLiterals =
                plan.getDeclaredMethod("rejectsNonLiterals", String.class).getAnnotation(ValueSource.class);
        assertThat(literals.value()).isNotEmpty();
        assertThat(nonLiterals.strings()).isNotEmpty();
        return Stream.concat(
                Arrays.stream(literals.value()).map(row -> Arguments.of(row.split(",")[0].trim(), true)),
                Arrays.stream(nonLiterals.strings()).map(text -> Arguments.of(text, false)));
    }

    @ParameterizedTest(name = "{0} is an IP literal")
    @ValueSource(strings = {"1:2:3:4:5:6:7:8", "1:2:3:4:5:6:1.2.3.4", "1::1.2.3.4", "::FFFF:1.2.3.4"})
    void acceptsLiterals(String text) {
        assertThat(IpAddresses.isValid(text)).isTrue();
    }

    /** The first five were accepted by {@code InetAddress}; plan rejects them all. */
    @ParameterizedTest(name = "\"{0}\" is no IP literal")
    @ValueSource(
            strings = {
                "00000::",
                "::00001",
                "::ffff:01.2.3.4",
                "::1.2.3.04",
                "::0001.2.3.4",
                "1:2:3:4:5:6:7:1.2.3.4",
                "::1.2.3.4:1",
                ":::",
                "::1:",
                ".1::",
                "[::1]"
            })
    void rejectsNonLiterals(String text) {
        assertThat(IpAddresses.isValid(text)).isFalse();
    }

    @Test
    void rejectsNull() {
        assertThat(IpAddresses.isValid(null)).isFalse();
    }
}
