package dev.ippools.mailgun.preview;

import dev.ippools.mailgun.plan.MailgunStep;
import dev.ippools.mailgun.plan.Plan;
import dev.ippools.mailgun.preview.PreviewReport.Summary;
import java.util.ArrayList;
import java.util.List;

/**
 * The plan as a pull-request comment (GitHub-flavoured Markdown): a summary line, a table of
 * changes per Mailgun account (resource, action, Mailgun calls, result), and the problems a merge
 * would hit (Invalid, Conflict, DeletionBlocked, Waiting), one row each.
 */
public final class MarkdownReport {

    private MarkdownReport() {}

    public static String render(PreviewReport report) {
        List<String> out = new ArrayList<>();
        Summary s = report.summary();
        out.add("### Mailgun IP pool plan");
        out.add("");
        out.add("**"
                + s.created()
                + " to create, "
                + s.updated()
                + " to update, "
                + s.deleted()
                + " to delete** · "
                + count(s.calls(), "Mailgun call")
                + " · "
                + count(problemRows(report).size(), "problem")
                + " · "
                + verdict(s));
        if (report.resources().isEmpty()) {
            out.add("");
            out.add("No IpPool or DomainPoolBinding manifests found.");
        }
        List<String> accounts = report.cluster() ? report.accounts() : List.of("");
        for (String account : accounts) {
            out.add("");
            if (!account.isEmpty()) {
                out.add("#### Account " + cell(account));
                out.add("");
            }
            out.add("| Resource | Action | Mailgun calls | Result |");
            out.add("|---|---|---|---|");
            for (ResourcePlan r : report.resources()) {
                if (account.isEmpty() || account.equals(r.account())) {
                    out.add(row(report, r));
                }
            }
        }
        out.add("");
        out.add("#### Problems a merge would hit");
        out.add("");
        List<String> problems = problemRows(report);
        if (problems.isEmpty()) {
            out.add("None.");
        } else {
            out.add("| Resource | Reason | Message |");
            out.add("|---|---|---|");
            out.addAll(problems);
        }
        return String.join("\n", out) + "\n";
    }

    private static String row(PreviewReport report, ResourcePlan r) {
        Plan plan = r.plan();
        String calls = plan.steps().isEmpty()
                ? "—"
                : String.join(
                        "<br>",
                        plan.steps().stream()
                                .map(MailgunStep::describe)
                                .map(report::readable)
                                .map(MarkdownReport::code)
                                .toList());
        String result = r.effect() != null ? cell(report.readable(r.effect())) : TextReport.stateName(plan.state());
        return "| " + resource(r) + " | " + r.action().word() + " | " + calls + " | " + result + " |";
    }

    /** One row per problem, conflict and wait, in resource order. */
    private static List<String> problemRows(PreviewReport report) {
        List<String> rows = new ArrayList<>();
        for (ResourcePlan r : report.resources()) {
            Plan plan = r.plan();
            String resource = resource(r);
            plan.problems()
                    .forEach(p -> rows.add(problemRow(
                            resource,
                            plan.state() == Plan.State.DELETION_BLOCKED ? "DeletionBlocked" : "Invalid",
                            (p.field() != null ? p.field() + ": " : "") + report.readable(p.message()))));
            plan.conflicts().forEach(c -> rows.add(problemRow(resource, "Conflict", report.readable(c.message()))));
            String waitReason = plan.state() == Plan.State.DELETION_BLOCKED ? "DeletionBlocked" : "Waiting";
            plan.waits().forEach(w -> rows.add(problemRow(resource, waitReason, report.readable(w.message()))));
            // a warm-up to start is a call, not a wait
            plan.warmups().stream()
                    .filter(w -> !w.toStart())
                    .forEach(w -> rows.add(problemRow(resource, "WaitingForWarmup", report.readable(w.describe()))));
        }
        return rows;
    }

    private static String problemRow(String resource, String reason, String message) {
        return "| " + resource + " | " + reason + " | " + cell(message) + " |";
    }

    private static String resource(ResourcePlan r) {
        return r.kind() + " " + code(r.key().toString());
    }

    private static String verdict(Summary s) {
        return switch (s.exitCode()) {
            case PreviewReport.EXIT_NO_CHANGES -> "nothing to do";
            case PreviewReport.EXIT_CHANGES -> "changes planned";
            default -> "the operator would not converge: see the problems below";
        };
    }

    /** Inline code; a backtick inside would end it, so it is replaced. */
    private static String code(String text) {
        return "`" + cell(text).replace('`', '\'') + "`";
    }

    /** Table cell text: a pipe would end the cell and a newline the row. */
    private static String cell(String text) {
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", " ");
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
