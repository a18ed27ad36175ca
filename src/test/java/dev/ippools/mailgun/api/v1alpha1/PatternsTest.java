package dev.ippools.mailgun.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The schema's regular expressions (the API server runs them with RE2; same semantics here). */
class PatternsTest {

    private static final Pattern IP = Pattern.compile(ApiConstants.Patterns.IP);
    private static final Pattern IP_OR_SHARED = Pattern.compile(ApiConstants.Patterns.IP_OR_SHARED);
    private static final Pattern DOMAIN = Pattern.compile(ApiConstants.Patterns.DOMAIN);
    private static final Pattern MAILGUN_ID = Pattern.compile(ApiConstants.Patterns.MAILGUN_ID);
    private static final Pattern OBJECT_NAME = Pattern.compile(ApiConstants.Patterns.OBJECT_NAME);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "192.0.2.10",
                "198.51.100.255",
                "0.0.0.0",
                "255.255.255.255",
                "10.0.0.1",
                "2001:db8::1",
                "2001:db8:0:0:0:0:0:1",
                "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
                "::",
                "::1",
                "fe80::",
                "1::8",
                "1:2:3:4:5:6:7::",
                "::2:3:4:5:6:7:8",
                "1:2:3:4:5:6::8",
                "1:2::7:8"
            })
    void acceptsIpv4AndIpv6(String ip) {
        assertThat(IP.matcher(ip).find()).as(ip).isTrue();
        assertThat(IP_OR_SHARED.matcher(ip).find()).as(ip).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "shared",
                "192.0.2",
                "192.0.2.256",
                "192.0.2.1.5",
                "01.2.3.4",
                "192.0.2.1/32",
                " 192.0.2.1",
                "192.0.2.1 ",
                "2001:DB8::1",
                "2001:db8::g",
                "1:2:3:4:5:6:7:8:9",
                "1:2:3:4:5:6:7:8::",
                "::1:2:3:4:5:6:7:8",
                "1::2::3",
                ":::",
                "1:2:3:4:5:6:7",
                "fe80::1%eth0",
                "::ffff:192.0.2.1"
            })
    void rejectsAnythingElse(String ip) {
        assertThat(IP.matcher(ip).find()).as(ip).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"shared", "192.0.2.12", "2001:db8::12"})
    void replacementAcceptsSharedOrAnIp(String value) {
        assertThat(IP_OR_SHARED.matcher(value).find()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Shared", "shared ", "sharedx", "any"})
    void replacementRejectsOtherWords(String value) {
        assertThat(IP_OR_SHARED.matcher(value).find()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mail.example.com", "news.example.com", "a.b", "mg-1.example.co.uk", "x1.io"})
    void acceptsDomains(String domain) {
        assertThat(DOMAIN.matcher(domain).find()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "localhost",
                "Mail.example.com",
                "-mail.example.com",
                "mail-.example.com",
                "mail..example.com",
                "mail.example.com.",
                "mail_x.example.com",
                "*.example.com"
            })
    void rejectsOtherDomains(String domain) {
        assertThat(DOMAIN.matcher(domain).find()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"658041ae44842b99ee2eaa1b", "646d00a1b32c35364a2ad34f"})
    void acceptsMailgunIds(String id) {
        assertThat(MAILGUN_ID.matcher(id).find()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"658041AE44842B99EE2EAA1B", "658041ae44842b99ee2eaa1", "pool-1", ""})
    void rejectsOtherIds(String id) {
        assertThat(MAILGUN_ID.matcher(id).find()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"transactional", "mailgun-eu", "a", "pool.v2"})
    void acceptsObjectNames(String name) {
        assertThat(OBJECT_NAME.matcher(name).find()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Transactional", "-a", "a-", "a_b", ""})
    void rejectsOtherObjectNames(String name) {
        assertThat(OBJECT_NAME.matcher(name).find()).isFalse();
    }
}
