package dev.ippools.mailgun.client.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.ippools.mailgun.client.MailgunClient;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.Test;

/** The API key never shows up in toString, exception messages or the wire log. */
class RedactionTest extends MockMailgun {

    static final String ENCODED_CREDENTIALS =
            Base64.getEncoder().encodeToString(("api:" + API_KEY).getBytes(StandardCharsets.UTF_8));

    @Test
    void toStringOfOptionsAndClientsHidesTheKey() {
        OkHttpMailgunClient client = client();
        MailgunClient sub = client.onBehalfOf("646d00a1b32c35364a2ad34f");

        assertNoSecret(options().build().toString());
        assertNoSecret(
                options().subaccountId("646d00a1b32c35364a2ad34f").build().toString());
        assertNoSecret(client.toString());
        assertNoSecret(sub.toString());
        assertThat(options().build().toString()).contains("apiKey=[redacted]");
        assertThat(sub.toString()).contains("646d00a1b32c35364a2ad34f");
    }

    @Test
    void exceptionMessagesNeverContainTheKey() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(401).setBody("Forbidden"));
        server.enqueue(status(404, "pool-not-found.json"));
        server.enqueue(status(500, "bad-request.json"));
        server.enqueue(new MockResponse().setBody("Mailgun Magnificent API"));
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
        OkHttpMailgunClient client =
                new OkHttpMailgunClient(options().maxRetries(0).build());
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        OkHttpMailgunClient unreachable = new OkHttpMailgunClient(options()
                .maxRetries(0)
                .baseUrl("http://127.0.0.1:" + closedPort)
                .build());

        List<Throwable> errors = new ArrayList<>();
        errors.add(catchThrowable(client::listPools));
        errors.add(catchThrowable(() -> client.getPool("p")));
        errors.add(catchThrowable(client::listPools));
        errors.add(catchThrowable(client::listPools));
        errors.add(catchThrowable(client::listPools));
        errors.add(catchThrowable(unreachable::listPools));

        assertThat(errors).doesNotContainNull();
        for (Throwable error : errors) {
            for (Throwable t = error; t != null; t = t.getCause()) {
                assertNoSecret(String.valueOf(t.getMessage()));
                assertNoSecret(t.toString());
            }
        }
    }

    @Test
    void aKeyEchoedByTheServerIsRedactedFromTheMessage() {
        server.enqueue(status(400, "bad-request.json").setBody("{\"message\":\"bad key " + API_KEY + "\"}"));

        Throwable e = catchThrowable(client()::listPools);

        assertNoSecret(e.getMessage());
        assertThat(e.getMessage()).contains("bad key [redacted]");
    }

    @Test
    void theWireLogRedactsAuthorization() {
        CapturingLogger log = new CapturingLogger();
        OkHttpMailgunClient client = new OkHttpMailgunClient(options().build(), log);
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
        server.enqueue(status(500, "bad-request.json"));
        server.enqueue(json("pools-list.json"));

        client.onBehalfOf("646d00a1b32c35364a2ad34f").listPools();

        String all = log.all();
        assertThat(log.lines()).hasSizeGreaterThanOrEqualTo(5);
        assertThat(all).contains("Authorization: [redacted]");
        // the subaccount id comes from the account Secret: no value of it in logs
        assertThat(all).contains("X-Mailgun-On-Behalf-Of: [redacted]").doesNotContain("646d00a1");
        assertThat(all).contains("--> GET " + server.url("/v3/ip_pools"));
        assertThat(all).contains("<-- 200 GET " + server.url("/v3/ip_pools"));
        assertNoSecret(all);
    }

    @Test
    void theLogStaysQuietWhenDebugIsOff() {
        CapturingLogger quiet = new CapturingLogger(false);
        OkHttpMailgunClient client = new OkHttpMailgunClient(options().build(), quiet);
        server.enqueue(json("pools-list.json"));

        client.listPools();

        assertThat(quiet.lines()).isEmpty();
    }

    private static void assertNoSecret(String text) {
        assertThat(text).doesNotContain(API_KEY).doesNotContain(ENCODED_CREDENTIALS);
    }
}
