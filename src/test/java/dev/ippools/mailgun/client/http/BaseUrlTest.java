package dev.ippools.mailgun.client.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.MailgunClientOptions;
import dev.ippools.mailgun.client.MailgunRegion;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which host and path prefix requests go to. */
class BaseUrlTest extends MockMailgun {

    @ParameterizedTest
    @CsvSource({"US,https://api.mailgun.net/v3/ip_pools", "EU,https://api.eu.mailgun.net/v3/ip_pools"})
    void regionsSelectTheHost(MailgunRegion region, String expectedUrl) {
        List<HttpUrl> seen = new ArrayList<>();
        // Answers in-process instead of going to Mailgun, and records where the call would have gone.
        OkHttpClient offline = new OkHttpClient.Builder()
                .addInterceptor(chain -> {
                    seen.add(chain.request().url());
                    return new Response.Builder()
                            .request(chain.request())
                            .protocol(Protocol.HTTP_1_1)
                            .code(200)
                            .message("OK")
                            .body(ResponseBody.create("{\"ip_pools\":[]}", MediaType.get("application/json")))
                            .build();
                })
                .build();
        MailgunClientOptions options = MailgunClientOptions.builder()
                .apiKey(API_KEY)
                .region(region)
                .okHttpClient(offline)
                .build();

        try (MailgunClient client = OkHttpMailgunClient.create(options)) {
            assertThat(client).isInstanceOf(OkHttpMailgunClient.class);
            assertThat(client.listPools()).isEmpty();
        }

        assertThat(seen).extracting(HttpUrl::toString).containsExactly(expectedUrl);
        assertThat(offline.dispatcher().executorService().isShutdown())
                .as("an injected OkHttpClient stays open")
                .isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/emulator", "/emulator/"})
    void aBaseUrlPathPrefixIsKept(String prefix) throws Exception {
        enqueue(json("pools-list.json"));
        OkHttpMailgunClient client = new OkHttpMailgunClient(
                options().baseUrl(server.url(prefix).toString()).build());

        client.listPools();

        assertThat(take().getPath()).isEqualTo("/emulator/v3/ip_pools");
    }
}
