package dev.ippools.mailgun.preview;

import dev.ippools.mailgun.mapping.KindRules;
import dev.ippools.mailgun.plan.DesiredBinding;
import dev.ippools.mailgun.plan.DesiredPool;
import dev.ippools.mailgun.plan.MailgunStep;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import dev.ippools.mailgun.plan.Plan;
import dev.ippools.mailgun.plan.PlanningContext;
import dev.ippools.mailgun.plan.Plans;
import java.util.Set;

/** What deleting a resource does in Mailgun, in words, for the cluster preview's report. */
final class DeletionEffects {

    private DeletionEffects() {}

    /** What deleting a pool does in Mailgun, in words. */
    static String of(DesiredPool pool, Plan plan, PlanningContext ctx) {
        if (plan.state() == Plan.State.DELETION_BLOCKED) {
            return "blocked: " + Plans.message(plan);
        }
        for (MailgunStep step : plan.steps()) {
            if (step instanceof MailgunStep.DeletePool d) {
                ObservedPool observed = ctx.account().pools().get(d.poolId());
                Set<String> domains = observed == null ? Set.of() : ctx.linkedDomainNames(observed);
                String moved = domains.isEmpty()
                        ? observed != null && ctx.isLinked(observed) ? "its linked domains" : null
                        : "domains " + String.join(", ", domains);
                return "pool " + d.poolId() + " deleted"
                        + (moved == null
                                ? ""
                                : "; " + moved + " relinked to "
                                        + replacement(d.replacementIp(), d.replacementPoolId()));
            }
        }
        if (!KindRules.writesOnDelete(pool)) {
            boolean unmarks = plan.steps().stream().anyMatch(MailgunStep.UpdatePool.class::isInstance);
            return "orphaned: " + (unmarks ? "ownership marker removed; " : "") + String.join("; ", plan.notes());
        }
        return fallback(plan);
    }

    /** What deleting a binding does in Mailgun, in words. */
    static String of(DesiredBinding binding, Plan plan) {
        if (plan.state() == Plan.State.DELETION_BLOCKED) {
            return "blocked: " + Plans.message(plan);
        }
        for (MailgunStep step : plan.steps()) {
            if (step instanceof MailgunStep.UnlinkDomainPool u) {
                return "domain " + u.domain() + " unlinked from pool " + plan.poolId() + "; it uses "
                        + replacement(u.replacementIp(), u.replacementPoolId());
            }
            if (step instanceof MailgunStep.LinkDomainPool l) {
                // a deleted binding links its domain to the replacement pool, which moves it there
                return "domain " + l.domain() + " moved from pool " + plan.poolId() + " to pool " + l.poolId();
            }
            if (step instanceof MailgunStep.RemoveDomainPool r) {
                return "domain " + r.domain() + " loses its IP assignment (onDelete RemoveDomainPool)";
            }
        }
        if (!KindRules.writesOnDelete(binding)) {
            return "orphaned: " + String.join("; ", plan.notes());
        }
        return fallback(plan);
    }

    static String fallback(Plan plan) {
        if (!plan.problems().isEmpty() || plan.state() == Plan.State.DELETION_BLOCKED) {
            return "blocked: " + Plans.message(plan);
        }
        return plan.notes().isEmpty() ? "nothing to do in Mailgun" : String.join("; ", plan.notes());
    }

    private static String replacement(String ip, String poolId) {
        if (poolId != null) {
            return "pool " + poolId;
        }
        return "shared".equals(ip) ? "shared IPs" : "IP " + ip;
    }
}
