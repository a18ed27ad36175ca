package dev.ippools.mailgun.preview;

import dev.ippools.mailgun.plan.Plan;
import dev.ippools.mailgun.plan.Plans;
import dev.ippools.mailgun.preview.PreviewReport.Summary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The plan for people and CI logs: per resource a header ({@code IpPool default/transactional
 * (Creating)}) and its lines as {@link Plans#lines} gives them, then a summary line. Compared with
 * a cluster, resources come under their account, headers start with the action and deletions say
 * what they do in Mailgun.
 */
public final class TextReport {

    private TextReport() {}

    public static List<String> lines(PreviewReport report) {
        List<String> out = new ArrayList<>();
        if (report.resources().isEmpty()) {
            out.add("No IpPool or DomainPoolBinding manifests found.");
            out.add("");
        }
        if (report.cluster()) {
            for (String account : report.accounts()) {
                out.add("Mailgun account " + account + ":");
                out.add("");
                report.resources().stream()
                        .filter(r -> account.equals(r.account()))
                        .forEach(r -> resource(report, r, out));
            }
        } else {
            report.resources().forEach(r -> resource(report, r, out));
        }
        Summary s = report.summary();
        if (report.cluster()) {
            out.add("Resources: "
                    + s.created()
                    + " to create, "
                    + s.updated()
                    + " to update, "
                    + s.deleted()
                    + " to delete"
                    + (s.blocked() == 0 ? "" : " (" + s.blocked() + " blocked)")
                    + ".");
        }
        out.add("Plan: "
                + count(s.calls(), "Mailgun call")
                + ", "
                + count(s.waits(), "wait")
                + ", "
                + count(s.conflicts(), "conflict")
                + ", "
                + count(s.problems(), "problem")
                + ".");
        if (s.exitCode() == PreviewReport.EXIT_INVALID) {
            out.add("The operator would not make Mailgun match these manifests: fix the problems and"
                    + " conflicts above"
                    + (s.blocked() == 0 ? "" : ", and the deletions that would stay blocked")
                    + ".");
        } else if (s.exitCode() == PreviewReport.EXIT_NO_CHANGES) {
            out.add(
                    report.cluster()
                            ? "No changes. The cluster and Mailgun already match these manifests."
                            : "No changes. Mailgun already matches these manifests.");
        }
        return out;
    }

    private static void resource(PreviewReport report, ResourcePlan resource, List<String> out) {
        out.add(header(report, resource));
        if (resource.effect() != null) {
            out.add("  effect: " + report.readable(resource.effect()));
        }
        // an effect taken from the plan's notes is not repeated as a note
        List<String> lines = Plans.lines(resource.plan()).stream()
                .filter(line -> !line.equals("note: " + resource.effect()))
                .toList();
        if (lines.isEmpty() && resource.effect() == null) {
            out.add("  no changes");
        }
        lines.forEach(line -> out.add("  " + report.readable(line)));
        out.add("");
    }

    private static String header(PreviewReport report, ResourcePlan resource) {
        List<String> details = new ArrayList<>();
        if (report.cluster()) {
            details.add(resource.action().word());
        }
        details.add(stateName(resource.plan().state()));
        String poolId = report.knownPoolId(resource);
        if (poolId != null) {
            details.add("pool " + poolId);
        }
        if (resource.plan().state() == Plan.State.INVALID || resource.source().equals(ResourcePlan.CLUSTER)) {
            details.add(resource.source());
        }
        return resource.kind() + " " + resource.key() + " (" + String.join(", ", details) + ")";
    }

    /** The Ready reason spelling of a state: {@code DELETION_BLOCKED} is {@code DeletionBlocked}. */
    public static String stateName(Plan.State state) {
        StringBuilder out = new StringBuilder();
        for (String word : state.name().split("_")) {
            out.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
