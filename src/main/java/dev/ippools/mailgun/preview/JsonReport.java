package dev.ippools.mailgun.preview;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ippools.mailgun.plan.Plan;
import dev.ippools.mailgun.preview.PreviewReport.Summary;
import java.util.List;

/**
 * The plan for CI bots: {@code {resources: [...], skipped: [...], summary: {...}}}. Step texts are
 * the same as in the text report; {@code kind} of a step is its {@code MailgunStep} type.
 */
public final class JsonReport {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {}

    /** The document's shape. */
    public record Document(List<Resource> resources, List<Skipped> skipped, Summary summary) {}

    /**
     * One resource.
     *
     * @param poolId the Mailgun pool it maps to, null when none exists yet
     * @param action create, update, delete or no-op
     * @param account the Mailgun account planned against ({@code --cluster}), else null
     * @param effect for a deletion, what it does in Mailgun; else null
     */
    public record Resource(
            String kind,
            String namespace,
            String name,
            String source,
            String action,
            String account,
            String effect,
            String state,
            String poolId,
            boolean relinking,
            List<Step> steps,
            List<Wait> waits,
            List<String> conflicts,
            List<Problem> problems,
            List<String> notes) {}

    public record Step(String kind, String describe) {}

    public record Wait(String on, String message) {}

    public record Problem(String field, String message) {}

    public record Skipped(String source, String reason) {}

    public static Document document(PreviewReport report) {
        List<Resource> resources =
                report.resources().stream().map(r -> resource(report, r)).toList();
        List<Skipped> skipped = report.skipped().stream()
                .map(s -> new Skipped(s.source(), s.reason()))
                .toList();
        return new Document(resources, skipped, report.summary());
    }

    public static String render(PreviewReport report) {
        try {
            return MAPPER.writeValueAsString(document(report));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the plan as JSON", e);
        }
    }

    private static Resource resource(PreviewReport report, ResourcePlan r) {
        Plan plan = r.plan();
        return new Resource(
                r.kind(),
                r.key().namespace(),
                r.key().name(),
                r.source(),
                r.action().word(),
                r.account(),
                report.readable(r.effect()),
                TextReport.stateName(plan.state()),
                report.knownPoolId(r),
                plan.relinking(),
                plan.steps().stream()
                        .map(s -> new Step(s.getClass().getSimpleName(), report.readable(s.describe())))
                        .toList(),
                plan.waits().stream()
                        .map(w -> new Wait(report.readable(w.on()), report.readable(w.message())))
                        .toList(),
                plan.conflicts().stream().map(c -> report.readable(c.message())).toList(),
                plan.problems().stream()
                        .map(p -> new Problem(p.field(), report.readable(p.message())))
                        .toList(),
                plan.notes().stream().map(report::readable).toList());
    }
}
