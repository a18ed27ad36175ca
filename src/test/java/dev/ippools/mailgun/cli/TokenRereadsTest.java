package dev.ippools.mailgun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import org.junit.jupiter.api.Test;

class TokenRereadsTest {

    @Test
    void onlyAConfigWithoutTokenStopsFabric8sRereads() {
        Config certificates = new ConfigBuilder(Config.empty())
                .withMasterUrl("https://127.0.0.1:6443")
                .withClientCertData("Y2VydA==")
                .build();
        assertThat(RunCommand.withoutTokenRereads(certificates).getOauthTokenProvider())
                .isNotNull()
                .satisfies(p -> assertThat(p.getToken()).isNull());

        Config token = new ConfigBuilder(Config.empty())
                .withMasterUrl("https://127.0.0.1:6443")
                .withOauthToken("service-account-token")
                .build();
        assertThat(RunCommand.withoutTokenRereads(token).getOauthTokenProvider())
                .isNull();

        Config basic = new ConfigBuilder(Config.empty())
                .withMasterUrl("https://127.0.0.1:6443")
                .withUsername("admin")
                .withPassword("secret")
                .build();
        assertThat(RunCommand.withoutTokenRereads(basic).getOauthTokenProvider())
                .isNull();
    }
}
