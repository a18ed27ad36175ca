package dev.ippools.mailgun.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.health.HealthCheck.Status;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The probe server over real HTTP, with checks the test flips. */
class ProbeServerTest {

    private final AtomicReference<Status> live = new AtomicReference<>(Status.ok());
    private final AtomicReference<Status> ready = new AtomicReference<>(Status.failing("starting"));
    private final AtomicReference<String> metrics = new AtomicReference<>("up 1\n");
    private final HttpClient http = HttpClient.newHttpClient();
    private ProbeServer server;

    @BeforeEach
    void start() throws Exception {
        server = ProbeServer.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                live::get,
                ready::get,
                metrics::get,
                "text/plain; version=0.0.4; charset=utf-8");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void probesAnswer200WhenHealthyAnd503WithTheReasonWhenNot() throws Exception {
        assertThat(send("GET", "/healthz").statusCode()).isEqualTo(200);
        HttpResponse<String> notReady = send("GET", "/readyz");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).isEqualTo("starting\n");

        ready.set(Status.ok());
        live.set(Status.failing("lost the leader Lease"));

        assertThat(send("GET", "/readyz").statusCode()).isEqualTo(200);
        HttpResponse<String> dead = send("GET", "/healthz");
        assertThat(dead.statusCode()).isEqualTo(503);
        assertThat(dead.body()).isEqualTo("lost the leader Lease\n");
    }

    @Test
    void metricsAreComputedPerScrapeInThePrometheusFormat() throws Exception {
        HttpResponse<String> first = send("GET", "/metrics");
        metrics.set("up 2\n");
        HttpResponse<String> second = send("GET", "/metrics");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(first.body()).isEqualTo("up 1\n");
        assertThat(second.body()).isEqualTo("up 2\n");
    }

    @Test
    void headAnswersWithoutBody() throws Exception {
        HttpResponse<String> head = send("HEAD", "/healthz");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void otherPathsAndMethodsAreRefused() throws Exception {
        assertThat(send("GET", "/healthz/extra").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/").statusCode()).isEqualTo(404);
        HttpResponse<String> post = send("POST", "/readyz");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void aFailingCheckIsA500NotAHang() throws Exception {
        ready.set(null);
        HttpResponse<String> broken = send("GET", "/readyz");
        assertThat(broken.statusCode()).isEqualTo(500);
        assertThat(send("GET", "/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void closeFreesThePort() throws Exception {
        int port = server.port();
        server.close();
        try (var socket = new java.net.ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
        server = ProbeServer.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                live::get,
                ready::get,
                metrics::get,
                "text/plain");
    }
}
