package dev.ippools.mailgun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bundled logback.xml, loaded into a private logger context as the run command loads it. */
class LoggingTest {

    private final LoggerContext context = new LoggerContext();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private Logger configure(Logging.Format format, String level) {
        // What SLF4J's binding does for the context it makes.
        context.setMDCAdapter(new LogbackMDCAdapter());
        Logging.configure(context, Logging.class.getResource("/logback.xml"), format, level);
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        // The console appender writes to System.out; read it here instead.
        ((OutputStreamAppender<?>) root.getAppender("console")).setOutputStream(out);
        assertThat(context.getStatusManager().getCopyOfStatusList()).noneMatch(s -> s.getLevel() >= Status.WARN);
        return context.getLogger("dev.ippools.mailgun.test");
    }

    private List<String> lines() {
        assertThat(context.getStatusManager().getCopyOfStatusList()).noneMatch(s -> s.getLevel() >= Status.WARN);
        context.stop();
        String text = out.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    @Test
    void jsonFormatWritesOneJsonObjectPerEvent() throws Exception {
        Logger log = configure(Logging.Format.JSON, "info");

        log.info("Pool {} is {}", "transactional", "Available");
        log.warn("Polling failed", new IllegalStateException("line one\nline two"));
        log.debug("not at info");

        List<String> lines = lines();
        assertThat(lines).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            events.add(json.readTree(line));
        }
        assertThat(events.get(0).path("level").asText()).isEqualTo("INFO");
        assertThat(events.get(0).path("loggerName").asText()).isEqualTo("dev.ippools.mailgun.test");
        assertThat(events.get(0).path("formattedMessage").asText()).isEqualTo("Pool transactional is Available");
        assertThat(events.get(0).path("timestamp").isNumber()).isTrue();
        assertThat(events.get(1).path("level").asText()).isEqualTo("WARN");
        assertThat(events.get(1).path("throwable").path("className").asText())
                .isEqualTo("java.lang.IllegalStateException");
        assertThat(events.get(1).path("throwable").path("message").asText()).isEqualTo("line one\nline two");
    }

    @Test
    void textFormatWritesReadableLines() {
        Logger log = configure(Logging.Format.TEXT, "info");

        log.info("Pool {} is {}", "transactional", "Available");

        List<String> lines = lines();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0))
                .matches("\\d{4}-\\d\\d-\\d\\dT\\S+ INFO  \\[\\S+\\] dev\\.ippools\\.mailgun\\.test"
                        + " - Pool transactional is Available");
    }

    @Test
    void theLevelOptionSetsTheRootLevel() {
        Logger log = configure(Logging.Format.TEXT, "WARN");

        log.info("quiet");
        log.warn("loud");
        context.getLogger("io.javaoperatorsdk.operator.Operator").info("quiet too");

        assertThat(lines()).singleElement().asString().endsWith(" - loud");
    }

    @Test
    void theKubernetesClientsHttpLoggingStaysOffEvenAtTrace() {
        configure(Logging.Format.TEXT, "trace");
        Logger http = context.getLogger("io.fabric8.kubernetes.client.http.HttpLoggingInterceptor");
        // what fabric8 logs there at trace: headers with the bearer token, bodies with Secret data
        http.trace("> Authorization: Bearer sa-token-value");
        http.trace("< {\"data\":{\"apiKey\":\"c2VjcmV0\"}}");
        assertThat(http.isTraceEnabled()).isFalse();
        assertThat(context.getLogger("okhttp3.internal.http2.Http2").isDebugEnabled())
                .isFalse();
        assertThat(context.getLogger("dev.ippools.mailgun.x").isTraceEnabled()).isTrue();
        assertThat(lines()).isEmpty();
    }
}
