package dev.ippools.mailgun.preview;

import dev.ippools.mailgun.plan.Plan;
import dev.ippools.mailgun.plan.Plans;
import dev.ippools.mailgun.preview.PreviewReport.Summary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The plan for people and CI logs: per resource a header ({@code IpPool default/transactional
 * (Creating)}) and its lines as {@link Plans#lines} gives them, then a summary line.
 */
public final class TextReport {

  private TextReport() {}

  public static List<String> lines(PreviewReport report) {
    List<String> out = new ArrayList<>();
    if (report.resources().isEmpty()) {
      out.add("No IpPool or DomainPoolBinding manifests found.");
      out.add("");
    }
    for (ResourcePlan resource : report.resources()) {
      out.add(header(report, resource));
      List<String> lines = Plans.lines(resource.plan());
      if (lines.isEmpty()) {
        out.add("  no changes");
      }
      lines.forEach(line -> out.add("  " + report.readable(line)));
      out.add("");
    }
    Summary s = report.summary();
    out.add(
        "Plan: "
            + count(s.calls(), "Mailgun call")
            + ", "
            + count(s.waits(), "wait")
            + ", "
            + count(s.conflicts(), "conflict")
            + ", "
            + count(s.problems(), "problem")
            + ".");
    if (s.exitCode() == PreviewReport.EXIT_INVALID) {
      out.add(
          "The operator would not make Mailgun match these manifests: fix the problems and"
              + " conflicts above.");
    } else if (s.exitCode() == PreviewReport.EXIT_NO_CHANGES) {
      out.add("No changes. Mailgun already matches these manifests.");
    }
    return out;
  }

  private static String header(PreviewReport report, ResourcePlan resource) {
    List<String> details = new ArrayList<>();
    details.add(stateName(resource.plan().state()));
    String poolId = report.knownPoolId(resource);
    if (poolId != null) {
      details.add("pool " + poolId);
    }
    if (resource.plan().state() == Plan.State.INVALID) {
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
