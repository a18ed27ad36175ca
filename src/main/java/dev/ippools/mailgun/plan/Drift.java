package dev.ippools.mailgun.plan;

import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * One field where Mailgun differs from the spec, with both values as a person reads them: what an
 * event says when the operator corrects a change made outside it.
 */
public record Drift(String field, String mailgun, String desired) {

    /** The fields of a pool the operator writes (name, description, ips) that Mailgun differs in. */
    public static List<Drift> ofPool(DesiredPool pool, ObservedPool observed) {
        List<Drift> out = new ArrayList<>();
        if (pool.name() != null && !pool.name().equals(observed.name())) {
            out.add(new Drift("name", observed.name(), pool.name()));
        }
        if (PoolDrift.descriptionDiffers(pool, observed)) {
            out.add(new Drift(
                    "description",
                    OwnershipMarker.userText(observed.description()),
                    pool.description().strip()));
        }
        TreeSet<String> desired = PlanningContext.canonicalSet(pool.ips());
        TreeSet<String> current = PlanningContext.canonicalSet(observed.ips());
        if (!desired.equals(current)) {
            out.add(new Drift("ips", current.toString(), desired.toString()));
        }
        return out;
    }

    /** {@code field: Mailgun has X, the spec wants Y}. */
    public String describe() {
        return field + ": Mailgun has " + mailgun + ", the spec wants " + desired;
    }
}
