package dev.ippools.mailgun.client.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.client.AccountRateLimiter;
import dev.ippools.mailgun.client.FakeTime;
import dev.ippools.mailgun.client.MailgunClientOptions;
import dev.ippools.mailgun.client.RecordingListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Credentials;
import okhttp3.MediaType;
import okhttp3.MultipartReader;
import okhttp3.ResponseBody;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.QueueDispatcher;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** MockWebServer standing in for Mailgun, plus fixtures and request-body parsers. */
abstract class MockMailgun {

    static final String API_KEY = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0";
    static final String BASIC_AUTH = Credentials.basic("api", API_KEY);

    MockWebServer server;
    FakeTime time;
    RecordingListener listener;

    @BeforeEach
    void startServer() throws IOException {
        server = new MockWebServer();
        QueueDispatcher dispatcher = new QueueDispatcher();
        // An unexpected extra request gets a 404 instead of hanging the test.
        dispatcher.setFailFast(new MockResponse().setResponseCode(404).setBody("{\"message\":\"unexpected\"}"));
        server.setDispatcher(dispatcher);
        server.start();
        time = new FakeTime();
        listener = new RecordingListener();
    }

    @AfterEach
    void stopServer() throws IOException {
        server.shutdown();
    }

    /** Options against the mock server with fake time and a bucket that never makes tests wait. */
    MailgunClientOptions.Builder options() {
        return MailgunClientOptions.builder()
                .baseUrl(server.url("/").toString())
                .apiKey(API_KEY)
                .clock(time)
                .sleeper(time)
                .listener(listener)
                .rateLimiter(AccountRateLimiter.create(1000, 1000, time, time));
    }

    OkHttpMailgunClient client() {
        return new OkHttpMailgunClient(options().build());
    }

    static String fixture(String name) {
        try (InputStream in = MockMailgun.class.getResourceAsStream("/mailgun/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MockResponse json(String fixtureName) {
        return jsonBody(fixture(fixtureName));
    }

    static MockResponse jsonBody(String body) {
        return new MockResponse()
                .setHeader("Content-Type", "application/json; charset=utf-8")
                .setBody(body);
    }

    static MockResponse status(int code, String fixtureName) {
        return json(fixtureName).setResponseCode(code);
    }

    void enqueue(MockResponse... responses) {
        for (MockResponse response : responses) {
            server.enqueue(response);
        }
    }

    /** The next request; every request must carry the Basic credentials of user {@code api}. */
    RecordedRequest take() throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).as("a request reached the server").isNotNull();
        assertThat(request.getHeader("Authorization")).isEqualTo(BASIC_AUTH);
        return request;
    }

    static String body(RecordedRequest request) {
        return request.getBody().clone().readUtf8();
    }

    /** Name/value pairs of a multipart/form-data body, in order. */
    static List<Map.Entry<String, String>> multipartFields(RecordedRequest request) throws IOException {
        String contentType = request.getHeader("Content-Type");
        assertThat(contentType).startsWith("multipart/form-data; boundary=");
        ResponseBody body =
                ResponseBody.create(request.getBody().clone(), MediaType.get(contentType), request.getBodySize());
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        try (MultipartReader reader = new MultipartReader(body)) {
            MultipartReader.Part part;
            Pattern name = Pattern.compile("form-data; name=\"([^\"]+)\"");
            while ((part = reader.nextPart()) != null) {
                Matcher m = name.matcher(part.headers().get("Content-Disposition"));
                assertThat(m.find()).isTrue();
                fields.add(Map.entry(m.group(1), part.body().readUtf8()));
                part.close();
            }
        }
        return fields;
    }

    /** Name/value pairs of an application/x-www-form-urlencoded body, in order. */
    static List<Map.Entry<String, String>> urlEncodedFields(RecordedRequest request) {
        assertThat(request.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        for (String pair : body(request).split("&")) {
            String[] kv = pair.split("=", 2);
            fields.add(Map.entry(
                    java.net.URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8)));
        }
        return fields;
    }
}
