package dev.ippools.mailgun.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "1.2.3.4, 1.2.3.4",
        "255.255.255.255, 255.255.255.255",
        "0.0.0.0, 0.0.0.0",
        "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
        "2001:0db8::0001, 2001:db8::1",
        "::, ::",
        "::1, ::1",
        "1::, 1::",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "1:0:0:2:0:0:0:3, 1:0:0:2::3",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "::ffff:1.2.3.4, ::ffff:102:304",
        "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0"
    })
    void canonicalSpelling(String text, String canonical) {
        assertThat(IpAddresses.canonical(text)).contains(canonical);
        assertThat(IpAddresses.isValid(text)).isTrue();
    }

    @ParameterizedTest(name = "\"{0}\" is no IP literal")
    @ValueSource(
            strings = {
                "",
                " 1.2.3.4",
                "1.2.3",
                "1.2.3.4.5",
                "1.2.3.256",
                "01.2.3.4",
                "1.2.3.-4",
                "a.b.c.d",
                "example.com",
                "shared",
                "1::2::3",
                ":1::",
                "1:2:3:4:5:6:7:8:9",
                "1:2:3:4:5:6:7::8",
                "12345::",
                "fe80::1%eth0",
                "::1.2.3",
                "1.2.3.4::",
                "g::1",
                "1:2:3:4:5:6:7"
            })
    void rejectsNonLiterals(String text) {
        assertThat(IpAddresses.canonical(text)).isEmpty();
        assertThat(IpAddresses.isValid(text)).isFalse();
    }

    @Test
    void rejectsNull() {
        assertThat(IpAddresses.isValid(null)).isFalse();
    }

    @Test
    void ordersNumericallyIpv4BeforeIpv6() {
        List<String> sorted = Stream.of("::1", "10.0.0.10", "not-an-ip", "10.0.0.9", "2001:db8::1", "9.255.255.255")
                .sorted(IpAddresses.ORDER)
                .toList();
        assertThat(sorted).containsExactly("9.255.255.255", "10.0.0.9", "10.0.0.10", "::1", "2001:db8::1", "not-an-ip");
    }
}
