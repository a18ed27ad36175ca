package dev.ippools.mailgun.preview;

import dev.ippools.mailgun.plan.MailgunStep;
import dev.ippools.mailgun.plan.Plan;
import dev.ippools.mailgun.plan.ResourceKey;
import java.util.Locale;

/**
 * The plan of one manifest, or of a cluster resource the manifests drop.
 *
 * @param source where it came from ({@code path#document}, or {@code cluster})
 * @param action what happens to the resource; without {@code --cluster} only Mailgun tells
 * @param account the Mailgun account it was planned against, null when the command was given one
 * @param effect for a deletion, what it does in Mailgun (deleted, relinked, orphaned); else null
 */
public record ResourcePlan(
        String kind, ResourceKey key, String source, Plan plan, Action action, String account, String effect) {

    /** Source of a resource that is in the cluster but in no manifest. */
    public static final String CLUSTER = "cluster";

    /** A plan of a manifest without a cluster to compare with: the action follows from its steps. */
    public ResourcePlan(String kind, ResourceKey key, String source, Plan plan) {
        this(kind, key, source, plan, Action.fromSteps(plan), null, null);
    }

    /** What a merge does to the resource, as Terraform names it. */
    public enum Action {
        CREATE,
        UPDATE,
        DELETE,
        NO_OP;

        /** Create when the plan creates a pool, update when it calls Mailgun otherwise. */
        public static Action fromSteps(Plan plan) {
            if (plan.steps().stream().anyMatch(s -> s instanceof MailgunStep.CreatePool)) {
                return CREATE;
            }
            return plan.steps().isEmpty() ? NO_OP : UPDATE;
        }

        /** {@code create}, {@code update}, {@code delete}, {@code no-op}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
