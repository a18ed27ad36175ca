package dev.ippools.mailgun.client.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ippools.mailgun.client.MailgunApiException;
import dev.ippools.mailgun.client.MailgunException;
import dev.ippools.mailgun.client.MailgunResponseException;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.Test;

/** Non-2xx answers become typed exceptions carrying Mailgun's message and the endpoint. */
class ErrorMappingTest extends MockMailgun {

    @Test
    void plainTextForbiddenIsARejectedKey() {
        server.enqueue(new MockResponse()
                .setResponseCode(401)
                .setHeader("Content-Type", "text/plain; charset=utf-8")
                .setHeader("Www-Authenticate", "Basic realm=\"MG API\"")
                .setBody("Forbidden"));

        MailgunApiException e = catchThrowableOfType(MailgunApiException.class, client()::listPools);

        assertThat(e.isUnauthorized()).isTrue();
        assertThat(e.isTransient()).isFalse();
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.mailgunMessage()).isEqualTo("Forbidden");
        assertThat(e.getMessage()).isEqualTo("Mailgun rejected the API key (401 Forbidden) on GET /v3/ip_pools");
    }

    @Test
    void forbiddenWithJsonIsUnauthorizedToo() {
        server.enqueue(status(403, "bad-request.json").setBody("{\"message\":\"DIPPs feature is not enabled\"}"));

        MailgunApiException e =
                catchThrowableOfType(MailgunApiException.class, () -> client().removePoolIp("p", "1.2.3.4"));

        assertThat(e.isUnauthorized()).isTrue();
        assertThat(e.getMessage())
                .isEqualTo("Mailgun denied access (403 DIPPs feature is not enabled) on"
                        + " DELETE /v3/ip_pools/{pool_id}/ips/{ip}");
    }

    @Test
    void notFoundCarriesMailgunsMessageAndTheEndpointTemplate() {
        server.enqueue(status(404, "pool-not-found.json"));

        MailgunApiException e =
                catchThrowableOfType(MailgunApiException.class, () -> client().getPool("658041ae44842b99ee2eaa1b"));

        assertThat(e.isNotFound()).isTrue();
        assertThat(e.isUnauthorized()).isFalse();
        assertThat(e.isRateLimited()).isFalse();
        assertThat(e.retryAfter()).isEmpty();
        assertThat(e.mailgunMessage()).isEqualTo("ip pool not found");
        assertThat(e.method()).isEqualTo("GET");
        assertThat(e.endpoint()).isEqualTo("GET /v3/ip_pools/{pool_id}");
        assertThat(e.getMessage()).isEqualTo("GET /v3/ip_pools/{pool_id} failed with 404: ip pool not found");
    }

    @Test
    void anErrorWithoutBodyUsesTheReasonPhrase() {
        server.enqueue(new MockResponse().setResponseCode(409));

        MailgunApiException e = catchThrowableOfType(MailgunApiException.class, client()::listPools);

        assertThat(e.status()).isEqualTo(409);
        assertThat(e.mailgunMessage()).isEqualTo("Client Error");
    }

    @Test
    void aLongPlainTextErrorIsShortenedToOneLine() {
        server.enqueue(new MockResponse().setResponseCode(400).setBody("<html>\n<body>" + "x".repeat(1000)));

        MailgunApiException e = catchThrowableOfType(MailgunApiException.class, client()::listPools);

        assertThat(e.mailgunMessage())
                .startsWith("<html> <body>xxx")
                .endsWith("...")
                .hasSize(303);
    }

    @Test
    void rateLimitedErrorCarriesTheWait() {
        long epoch = time.instant().getEpochSecond();
        server.enqueue(status(429, "too-many-requests.json").setHeader("X-RateLimit-Reset", String.valueOf(epoch + 2)));
        OkHttpMailgunClient client =
                new OkHttpMailgunClient(options().maxRetries(0).build());

        MailgunException e = catchThrowableOfType(MailgunApiException.class, client::listPools);

        assertThat(e.isRateLimited()).isTrue();
        assertThat(e.isTransient()).isTrue();
        assertThat(e.retryAfter()).hasValue(java.time.Duration.ofSeconds(2));
        assertThat(e.getMessage()).contains("429").contains("Too Many Requests").contains("2000 ms");
    }

    @Test
    void mailgunsAnswerToAnUnknownUrlIsNotMistakenForSuccess() {
        server.enqueue(
                new MockResponse().setHeader("Content-Type", "text/plain").setBody("Mailgun Magnificent API"));

        MailgunResponseException e = catchThrowableOfType(MailgunResponseException.class, client()::listPools);

        assertThat(e.isTransient()).isFalse();
        assertThat(e.status()).isEqualTo(200);
        assertThat(e.getMessage()).contains("not JSON").contains("base URL");
    }

    @Test
    void aReadWithAnEmptyBodyIsAResponseError() {
        server.enqueue(jsonBody(""));

        MailgunResponseException e = catchThrowableOfType(MailgunResponseException.class, () -> client().getPool("p"));

        assertThat(e.getMessage()).contains("GET /v3/ip_pools/{pool_id}").contains("empty");
    }

    @Test
    void aBodyOfTheWrongShapeIsAResponseError() {
        enqueue(jsonBody("{\"ip_pools\": 5}"), jsonBody("{\"ip_pools\": {\"name\": \"x\"}}"));
        OkHttpMailgunClient client = client();

        assertThat(catchThrowableOfType(MailgunResponseException.class, client::listPools))
                .hasMessageContaining("expected shape");
        assertThat(catchThrowableOfType(MailgunResponseException.class, client::listPools))
                .hasMessageContaining("no pool_id");
    }

    @Test
    void redirectsAreNotFollowed() {
        server.enqueue(new MockResponse().setResponseCode(301).setHeader("Location", "https://example.com/"));

        MailgunApiException e = catchThrowableOfType(MailgunApiException.class, client()::listPools);

        assertThat(e.status()).isEqualTo(301);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }
}
