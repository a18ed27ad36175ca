package dev.ippools.mailgun.plan;

import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** How a Mailgun pool differs from its IpPool, in words a person reads in a note or conflict. */
final class PoolDrift {

    private PoolDrift() {}

    /** Differences between spec and pool, in words: for Observe notes and inherited conflicts. */
    static List<String> of(DesiredPool pool, ObservedPool observed, PlanningContext ctx) {
        List<String> out = new ArrayList<>();
        if (pool.name() != null && !pool.name().equals(observed.name())) {
            out.add("name is \"" + observed.name() + "\", the spec says \"" + pool.name() + "\"");
        }
        if (descriptionDiffers(pool, observed)) {
            out.add("description is \""
                    + OwnershipMarker.userText(observed.description())
                    + "\", the spec says \""
                    + pool.description().strip()
                    + "\"");
        }
        TreeSet<String> desired = PlanningContext.canonicalSet(pool.ips());
        TreeSet<String> current = PlanningContext.canonicalSet(observed.ips());
        List<String> missing =
                desired.stream().filter(ip -> !current.contains(ip)).toList();
        List<String> extra =
                current.stream().filter(ip -> !desired.contains(ip)).toList();
        if (!missing.isEmpty()) {
            out.add("IPs " + missing + " are not in the pool");
        }
        if (!extra.isEmpty()) {
            out.add("IPs " + extra + " are in the pool but not in the spec");
        }
        Set<String> wanted = PoolPlanner.sorted(pool.delegatedTo());
        Set<String> delegated = PoolPlanner.sorted(ctx.account().delegations().get(observed.id()));
        List<String> toDelegate =
                wanted.stream().filter(s -> !delegated.contains(s)).toList();
        List<String> toRevoke =
                delegated.stream().filter(s -> !wanted.contains(s)).toList();
        if (!toDelegate.isEmpty()) {
            out.add("not delegated to " + toDelegate);
        }
        if (!toRevoke.isEmpty()) {
            out.add("delegated to " + toRevoke + ", which the spec does not list");
        }
        return out;
    }

    /** A null spec description leaves Mailgun's text alone; the marker alone is no difference. */
    static boolean descriptionDiffers(DesiredPool pool, ObservedPool observed) {
        return pool.description() != null
                && !pool.description().strip().equals(OwnershipMarker.userText(observed.description()));
    }
}
