package dev.ippools.mailgun.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.account.Credentials;
import dev.ippools.mailgun.api.v1alpha1.AccountReference;
import dev.ippools.mailgun.api.v1alpha1.ApiConstants.ReadyReasons;
import dev.ippools.mailgun.mapping.CredentialsResolver.DefaultAccount;
import dev.ippools.mailgun.mapping.CredentialsResolver.Resolved;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Design §9: messages name the Secret and key, never a value; the policy is checked first. */
class CredentialsResolverTest {

    private static final String KEY = "key-0123456789abcdef0123456789abcdef";

    private final Map<String, Secret> secrets = new HashMap<>();
    private final CredentialsResolver resolver = new CredentialsResolver(
            (ns, name) -> secrets.get(ns + "/" + name),
            DefaultAccount.secret("ops", "mailgun"),
            AccountPolicy.mailgunOnly(Set.of("ops", "team-a")));

    private void secret(String ns, String name, Map<String, String> data) {
        secrets.put(
                ns + "/" + name,
                new SecretBuilder()
                        .withNewMetadata()
                        .withNamespace(ns)
                        .withName(name)
                        .withResourceVersion("1")
                        .endMetadata()
                        .withStringData(data)
                        .build());
    }

    private Resolved viaRef(String ns, String name) {
        return resolver.resolve(ns, new AccountReference(name));
    }

    @Test
    void aBadRegionIsNamedByItsKeyNotItsValue() {
        secret("team-a", "mg", Map.of("apiKey", KEY, "region", "moon-secret-region"));
        Resolved r = viaRef("team-a", "mg");
        assertThat(r.value()).isEmpty();
        assertThat(r.reason()).isEqualTo(ReadyReasons.INVALID);
        assertThat(r.problem())
                .isEqualTo("Secret team-a/mg: key region must be us or eu")
                .doesNotContain("moon");
    }

    @Test
    void aBaseUrlOutsideTheAllowListIsRefusedWithoutEchoingIt() {
        secret("team-a", "mg", Map.of("apiKey", KEY, "baseUrl", "http://10.1.2.3:8080/internal-x"));
        Resolved r = viaRef("team-a", "mg");
        assertThat(r.value()).isEmpty();
        assertThat(r.reason()).isEqualTo(ReadyReasons.INVALID);
        assertThat(r.problem())
                .startsWith("Secret team-a/mg: key baseUrl names a Mailgun API base URL outside")
                .contains("https://api.mailgun.net")
                .doesNotContain("10.1.2.3")
                .doesNotContain("internal-x")
                .doesNotContain(KEY);
    }

    @Test
    void allowedRegionsAndBaseUrlsResolve() {
        secret("team-a", "eu", Map.of("apiKey", KEY, "region", "EU"));
        secret("team-a", "us", Map.of("apiKey", KEY, "baseUrl", "https://api.mailgun.net/"));
        assertThat(viaRef("team-a", "eu").credentials().baseUrl()).isEqualTo(Credentials.EU);
        assertThat(viaRef("team-a", "us").credentials().baseUrl()).isEqualTo(Credentials.US);
    }

    @Test
    void onlyListedNamespacesMayUseTheDefaultAccount() {
        secret("ops", "mailgun", Map.of("apiKey", KEY));
        assertThat(resolver.resolve("team-a", null).value()).isPresent();
        Resolved refused = resolver.resolve("team-b", null);
        assertThat(refused.value()).isEmpty();
        assertThat(refused.reason()).isEqualTo(ReadyReasons.ACCOUNT_NOT_ALLOWED);
        assertThat(refused.problem())
                .contains("namespace team-b may not use the operator's default Mailgun account")
                .contains("spec.accountRef.secretName");
        // its own Secret is always fine
        secret("team-b", "own", Map.of("apiKey", KEY));
        assertThat(viaRef("team-b", "own").value()).isPresent();
    }

    @Test
    void theDefaultAccountPolicyAppliesToDirectCredentialsToo() {
        CredentialsResolver direct = new CredentialsResolver(
                (ns, name) -> null,
                DefaultAccount.direct(new Credentials(KEY, "http://127.0.0.1:1", null)),
                AccountPolicy.mailgunOnly(Set.of("*")));
        Resolved r = direct.resolve("any", null);
        assertThat(r.reason()).isEqualTo(ReadyReasons.INVALID);
        assertThat(r.problem()).doesNotContain("127.0.0.1:1");
    }
}
