package dev.ippools.mailgun.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The kstatus test tool ({@code src/test/go/kstatus}): sigs.k8s.io/cli-utils' status.Compute, the
 * rules Flux's {@code wait: true} and {@code healthChecks} apply. Built (or found cached) by
 * {@code .ci/kstatus-tool.sh}.
 */
final class KstatusTool {

    /** One object's kstatus: {@code Current}, {@code InProgress}, {@code Failed}, ... */
    record Result(String status, String message) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path binary;

    private KstatusTool() {}

    /** status.Compute on the object exactly as the API server returned it. */
    static Result compute(GenericKubernetesResource live) {
        if (live == null) {
            throw new AssertionError("no object to compute a status for");
        }
        try {
            Process p = new ProcessBuilder(binary().toString())
                    .redirectErrorStream(false)
                    .start();
            p.getOutputStream().write(Serialization.asJson(live).getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("kstatus failed: " + err);
            }
            JsonNode line = JSON.readTree(out);
            return new Result(line.get("status").asText(), line.get("message").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static synchronized Path binary() throws IOException, InterruptedException {
        if (binary == null) {
            Process p = new ProcessBuilder("bash", ".ci/kstatus-tool.sh")
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String path = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(15, TimeUnit.MINUTES)
                    || p.exitValue() != 0
                    || path.isEmpty()
                    || !Files.isExecutable(Path.of(path))) {
                throw new AssertionError(".ci/kstatus-tool.sh could not provide the kstatus tool");
            }
            binary = Path.of(path);
        }
        return binary;
    }
}
