package dev.ippools.mailgun.preview;

import dev.ippools.mailgun.plan.PendingWarmup;
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
 * @param cluster whether the manifests were compared with a cluster ({@code plan --cluster}):
 *     resources then name their account, and the actions say what the merge does to each
 */
public record PreviewReport(
        List<ResourcePlan> resources, List<Skipped> skipped, Map<String, String> newPools, boolean cluster) {

    /** Nothing would change: no Mailgun call planned, nothing invalid or conflicting. */
    public static final int EXIT_NO_CHANGES = 0;

    /**
     * Invalid manifests, conflicts or deletions that would stay blocked: the operator would not
     * converge; errors exit this way too.
     */
    public static final int EXIT_INVALID = 1;

    /** The operator would call Mailgun. */
    public static final int EXIT_CHANGES = 2;

    private static final Pattern PLACEHOLDER_UID = Pattern.compile("uid=" + Pattern.quote("plan:") + "[^\\]\\s]+\\]");

    public PreviewReport {
        resources = List.copyOf(resources);
        skipped = List.copyOf(skipped);
        newPools = Map.copyOf(newPools);
    }

    /** A report of manifests planned against the one account given to the command. */
    public PreviewReport(List<ResourcePlan> resources, List<Skipped> skipped, Map<String, String> newPools) {
        this(resources, skipped, newPools, false);
    }

    /**
     * Totals over all resources.
     *
     * @param changed resources with at least one planned Mailgun call, or created or deleted
     * @param created resources the merge creates ({@code --cluster}), or that create a pool
     * @param deleted resources the merge deletes ({@code --cluster} only)
     * @param blocked deletions that would stay DeletionBlocked
     */
    public record Summary(
            int resources,
            int changed,
            int calls,
            int waits,
            int conflicts,
            int problems,
            int created,
            int updated,
            int deleted,
            int blocked,
            int exitCode) {}

    public Summary summary() {
        int changed = 0;
        int calls = 0;
        int waits = 0;
        int conflicts = 0;
        int problems = 0;
        int[] actions = new int[ResourcePlan.Action.values().length];
        int blocked = 0;
        for (ResourcePlan r : resources) {
            Plan p = r.plan();
            actions[r.action().ordinal()]++;
            boolean created = r.action() == ResourcePlan.Action.CREATE;
            // a warm-up to start is a step (a call), the others are waits
            long starts = p.warmups().stream().filter(PendingWarmup::toStart).count();
            changed += !p.steps().isEmpty() || created || r.action() == ResourcePlan.Action.DELETE ? 1 : 0;
            calls += p.steps().size();
            waits += p.waits().size() + p.warmups().size() - (int) starts;
            conflicts += p.conflicts().size();
            problems += p.problems().size();
            blocked += p.state() == Plan.State.DELETION_BLOCKED ? 1 : 0;
        }
        // a blocked deletion leaves the resource stuck terminating: a merge should not go in like that
        int exit = problems > 0 || conflicts > 0 || blocked > 0
                ? EXIT_INVALID
                : changed > 0 ? EXIT_CHANGES : EXIT_NO_CHANGES;
        return new Summary(
                resources.size(),
                changed,
                calls,
                waits,
                conflicts,
                problems,
                actions[ResourcePlan.Action.CREATE.ordinal()],
                actions[ResourcePlan.Action.UPDATE.ordinal()],
                actions[ResourcePlan.Action.DELETE.ordinal()],
                blocked,
                exit);
    }

    /** The accounts the resources were planned against, in order of first use; empty: the one. */
    public List<String> accounts() {
        return resources.stream()
                .map(ResourcePlan::account)
                .filter(a -> a != null)
                .distinct()
                .toList();
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
