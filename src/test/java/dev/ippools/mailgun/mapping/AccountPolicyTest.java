package dev.ippools.mailgun.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccountPolicyTest {

    private final AccountPolicy policy =
            AccountPolicy.mailgunOnly(Set.of("ops")).allowing("http://127.0.0.1:8025/mailgun");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "https://api.mailgun.net, true",
        "https://api.mailgun.net/, true",
        "https://API.Mailgun.net, true",
        "https://api.mailgun.net:443, true",
        "https://api.eu.mailgun.net, true",
        "https://api.mailgun.net/v3, true",
        "http://api.mailgun.net, false",
        "https://api.mailgun.net:8443, false",
        "https://api.mailgun.net.evil.example, false",
        "https://api.mailgun.net@evil.example, false",
        "https://evil.example/https://api.mailgun.net, false",
        "https://api.mailgun.net?x=1, false",
        "https://169.254.169.254, false",
        "http://127.0.0.1:8025/mailgun, true",
        "http://127.0.0.1:8025/mailgun/v3, true",
        "http://127.0.0.1:8025/mailgunx, false",
        "http://127.0.0.1:8025/mailgun/../admin, false",
        "http://127.0.0.1:8025, false",
        "http://127.0.0.1:9, false",
        "file:///etc/passwd, false",
        "not a url, false"
    })
    void baseUrlsMustBeUnderAnAllowedPrefix(String url, boolean allowed) {
        assertThat(policy.allowsBaseUrl(url)).isEqualTo(allowed);
    }

    @Test
    void defaultAccountNamespacesAreAListOrEveryNamespace() {
        assertThat(policy.mayUseDefaultAccount("ops")).isTrue();
        assertThat(policy.mayUseDefaultAccount("team-b")).isFalse();
        assertThat(AccountPolicy.anyNamespace(List.of("https://api.mailgun.net"))
                        .mayUseDefaultAccount("team-b"))
                .isTrue();
    }

    @Test
    void anAllowListEntryMustBeAPlainHttpUrl() {
        assertThatThrownBy(() -> policy.allowing("https://user@api.mailgun.net"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> policy.allowing("api.mailgun.net")).isInstanceOf(IllegalArgumentException.class);
    }
}
