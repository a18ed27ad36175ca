package dev.ippools.mailgun.preview;

import dev.ippools.mailgun.plan.Plan;
import dev.ippools.mailgun.preview.ManifestSet.Skipped;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the operator would do for a set of manifests, resource by resource: IpPools first, then
 * DomainPoolBindings, each in manifest order.
 *
 * @param newPools placeholder pool id (see {@link Preview#placeholderPoolId}) to the Mailgun name
 *     of the pool this plan creates; binding steps use the placeholder until Mailgun assigns an id
 */
public record PreviewReport(
    List<ResourcePlan> resources, List<Skipped> skipped, Map<String, String> newPools) {

  /** Nothing would change: no Mailgun call planned, nothing invalid or conflicting. */
  public static final int EXIT_NO_CHANGES = 0;

  /** Invalid manifests or conflicts: the operator would not converge; errors exit this way too. */
  public static final int EXIT_INVALID = 1;

  /** The operator would call Mailgun. */
  public static final int EXIT_CHANGES = 2;

  private static final Pattern PLACEHOLDER_UID =
      Pattern.compile("uid=" + Pattern.quote("plan:") + "[^\\]\\s]+\\]");

  public PreviewReport {
    resources = List.copyOf(resources);
    skipped = List.copyOf(skipped);
    newPools = Map.copyOf(newPools);
  }

  /**
   * Totals over all resources.
   *
   * @param changed resources with at least one planned Mailgun call
   */
  public record Summary(
      int resources,
      int changed,
      int calls,
      int waits,
      int conflicts,
      int problems,
      int exitCode) {}

  public Summary summary() {
    int changed = 0;
    int calls = 0;
    int waits = 0;
    int conflicts = 0;
    int problems = 0;
    for (ResourcePlan r : resources) {
      Plan p = r.plan();
      changed += p.steps().isEmpty() ? 0 : 1;
      calls += p.steps().size();
      waits += p.waits().size();
      conflicts += p.conflicts().size();
      problems += p.problems().size();
    }
    int exit =
        problems > 0 || conflicts > 0 ? EXIT_INVALID : calls > 0 ? EXIT_CHANGES : EXIT_NO_CHANGES;
    return new Summary(resources.size(), changed, calls, waits, conflicts, problems, exit);
  }

  public int exitCode() {
    return summary().exitCode();
  }

  /**
   * A plan text for people: a pool this plan creates is named instead of its placeholder id, and a
   * manifest's placeholder uid in an ownership marker reads as the uid the API server assigns.
   */
  public String readable(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (Map.Entry<String, String> pool : newPools.entrySet()) {
      out = out.replace(pool.getKey(), "(pool " + pool.getValue() + ", created by this plan)");
    }
    return PLACEHOLDER_UID.matcher(out).replaceAll("uid=<metadata.uid>]");
  }

  /** The pool id a resource maps to, unless it is a placeholder for a pool not created yet. */
  public String knownPoolId(ResourcePlan resource) {
    String id = resource.plan().poolId();
    return id == null || newPools.containsKey(id) ? null : id;
  }
}
