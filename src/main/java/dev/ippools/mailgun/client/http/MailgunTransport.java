package dev.ippools.mailgun.client.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ippools.mailgun.client.AccountRateLimiter;
import dev.ippools.mailgun.client.MailgunClientOptions;
import dev.ippools.mailgun.client.MailgunTransportException;
import dev.ippools.mailgun.client.model.MailgunResponse;
import java.io.IOException;
import java.util.Objects;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;

/**
 * One Mailgun call over okhttp: authentication, the retry and wire-log interceptors, and the
 * mapping of every outcome to a result or a typed exception. The endpoint classes only say what to
 * send and how to read the answer.
 */
final class MailgunTransport {

    static final String ON_BEHALF_OF = "X-Mailgun-On-Behalf-Of";

    private static final String USER_AGENT = "mailgun-ip-pool-operator";

    private final MailgunClientOptions options;
    private final OkHttpClient http;
    private final HttpUrl baseUrl;
    private final boolean ownsHttpClient;
    // Calls for deferrable work (a batcher's own): their permit waits do not make the account busy.
    private final boolean deferrable;

    MailgunTransport(MailgunClientOptions options, Logger wireLog) {
        this.deferrable = false;
        this.options = Objects.requireNonNull(options, "options");
        this.baseUrl = HttpUrl.get(options.baseUrl());
        OkHttpClient base = options.okHttpClient();
        this.ownsHttpClient = base == null;
        OkHttpClient.Builder builder = base == null ? new OkHttpClient.Builder() : base.newBuilder();
        this.http = builder.connectTimeout(options.connectTimeout())
                .readTimeout(options.readTimeout())
                .writeTimeout(options.readTimeout())
                .callTimeout(options.callTimeout())
                // The RetryInterceptor is the only retry policy; okhttp would silently repeat a POST.
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .followSslRedirects(false)
                .addInterceptor(new RetryInterceptor(options))
                .addInterceptor(new FencingInterceptor(options.writeGate()))
                .addNetworkInterceptor(new RetryInterceptor.MarkSent())
                .addNetworkInterceptor(new RedactingLoggingInterceptor(wireLog))
                .build();
    }

    private MailgunTransport(MailgunTransport parent, MailgunClientOptions options, boolean deferrable) {
        this.options = options;
        this.http = parent.http;
        this.baseUrl = parent.baseUrl;
        this.ownsHttpClient = false;
        this.deferrable = deferrable;
    }

    /** Shares this transport's connections, rate limiter and listener; closing it closes nothing. */
    MailgunTransport onBehalfOf(String subaccountId) {
        return new MailgunTransport(
                this, options.toBuilder().subaccountId(subaccountId).build(), deferrable);
    }

    /** As {@link #onBehalfOf}, for deferrable work: each request carries {@link DeferrableWork}. */
    MailgunTransport deferrable() {
        return new MailgunTransport(this, options, true);
    }

    HttpUrl baseUrl() {
        return baseUrl;
    }

    AccountRateLimiter rateLimiter() {
        return options.rateLimiter();
    }

    String subaccountId() {
        return options.subaccountId();
    }

    /** The base URL with each segment percent-encoded (IPv6 colons included). */
    HttpUrl.Builder url(String... segments) {
        HttpUrl.Builder url = baseUrl.newBuilder();
        for (String segment : segments) {
            url.addEncodedPathSegment(PathSegments.encode(segment));
        }
        return url;
    }

    <T> T get(Endpoint endpoint, HttpUrl.Builder url, ResponseBodies.BodyReader<T> reader) {
        return execute(endpoint, url, null, reader);
    }

    /** A call that changes something; any 2xx is accepted: success, started, queued. */
    MailgunResponse write(Endpoint endpoint, HttpUrl.Builder url, RequestBody body) {
        return execute(endpoint, url, body, root -> {
            if (!root.isObject()) {
                return new MailgunResponse(null, null);
            }
            Wire.Message m = MailgunJson.MAPPER.treeToValue(root, Wire.Message.class);
            return new MailgunResponse(m.message(), m.referenceId());
        });
    }

    <T> T execute(Endpoint endpoint, HttpUrl.Builder url, RequestBody body, ResponseBodies.BodyReader<T> reader) {
        CallTrace trace = new CallTrace();
        String key = apiKey();
        Request.Builder request = new Request.Builder()
                .url(url.build())
                .method(endpoint.method(), body)
                .header("Authorization", Credentials.basic("api", key, UTF_8))
                .header("Accept", "application/json")
                .header("User-Agent", USER_AGENT)
                .tag(Endpoint.class, endpoint)
                .tag(CallTrace.class, trace);
        if (deferrable) {
            request.tag(DeferrableWork.class, DeferrableWork.INSTANCE);
        }
        if (options.subaccountId() != null) {
            request.header(ON_BEHALF_OF, options.subaccountId());
        }
        int status;
        String text;
        try (Response response = http.newCall(request.build()).execute()) {
            status = response.code();
            text = response.body() == null ? "" : response.body().string();
            if (!response.isSuccessful()) {
                throw MailgunErrors.apiError(endpoint, response, text, key, options);
            }
        } catch (IOException e) {
            throw new MailgunTransportException(
                    endpoint.method(), endpoint.toString(), trace.requestMayHaveBeenSent(), e);
        }
        JsonNode root;
        try {
            root = ResponseBodies.parse(text);
        } catch (JsonProcessingException e) {
            throw MailgunErrors.notJson(endpoint, status, text);
        }
        try {
            return reader.read(root);
        } catch (IOException | IllegalArgumentException e) {
            throw MailgunErrors.badShape(endpoint, status, e);
        }
    }

    /** Closes the connections and threads this transport created; a shared client stays open. */
    void close() {
        if (ownsHttpClient) {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    private String apiKey() {
        String key = options.apiKey().get();
        if (key == null || key.isBlank()) {
            throw new IllegalStateException(
                    "no Mailgun API key: the key supplier returned " + (key == null ? "null" : "a blank key"));
        }
        return key.strip();
    }
}
