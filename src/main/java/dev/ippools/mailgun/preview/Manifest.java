package dev.ippools.mailgun.preview;

import dev.ippools.mailgun.plan.Plan.Problem;
import dev.ippools.mailgun.plan.ResourceKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * One IpPool or DomainPoolBinding read from a file.
 *
 * @param source where it came from: {@code path#document}, documents counted from 1
 * @param resource the parsed resource with a placeholder uid and creation time, or null when it
 *     could not be read
 * @param problems what the API server would reject before the operator ever saw it (unreadable
 *     fields, CEL rules, duplicates); the planner never sees a manifest with problems
 */
public record Manifest(String kind, ResourceKey key, String source, HasMetadata resource, List<Problem> problems) {

    public static final String IP_POOL = "IpPool";
    public static final String DOMAIN_POOL_BINDING = "DomainPoolBinding";

    public Manifest {
        problems = List.copyOf(problems);
    }

    public boolean valid() {
        return resource != null && problems.isEmpty();
    }
}
