package dev.ippools.mailgun.plan;

import dev.ippools.mailgun.plan.MailgunStep.AddPoolIps;
import dev.ippools.mailgun.plan.MailgunStep.EditPool;
import dev.ippools.mailgun.plan.MailgunStep.RemovePoolIp;
import dev.ippools.mailgun.plan.MailgunStep.UpdatePool;
import java.util.ArrayList;
import java.util.List;

/**
 * Merges the consecutive edits a plan makes to one pool (name/description, IPs in, IPs out) into
 * one {@code PATCH /v3/ip_pools/{id}} (architecture §11). Mailgun applies a PATCH as a whole, so
 * adds and removes in one call keep a linked pool from ever going empty, as their order would. Adds
 * alone stay as they are ({@code ips.json} takes a list too), and a lone edit is not rewritten.
 * For execution only: plans, previews and the {@link StepSimulator} keep the separate steps.
 */
public final class PoolEdits {

    private PoolEdits() {}

    public static List<MailgunStep> merged(List<MailgunStep> steps) {
        List<MailgunStep> out = new ArrayList<>();
        int i = 0;
        while (i < steps.size()) {
            String pool = poolOf(steps.get(i));
            int end = i;
            while (end < steps.size() && pool != null && pool.equals(poolOf(steps.get(end)))) {
                end++;
            }
            List<MailgunStep> run = steps.subList(i, Math.max(end, i + 1));
            if (run.size() < 2 || run.stream().allMatch(s -> s instanceof AddPoolIps)) {
                out.addAll(run);
            } else {
                out.add(merge(pool, run));
            }
            i += run.size();
        }
        return List.copyOf(out);
    }

    private static EditPool merge(String pool, List<MailgunStep> run) {
        String name = null;
        String description = null;
        List<String> add = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        for (MailgunStep s : run) {
            if (s instanceof UpdatePool u) {
                name = u.name() != null ? u.name() : name;
                description = u.description() != null ? u.description() : description;
            } else if (s instanceof AddPoolIps a) {
                add.addAll(a.ips());
            } else if (s instanceof RemovePoolIp r) {
                remove.add(r.ip());
            }
        }
        return new EditPool(pool, name, description, add, remove);
    }

    /** The pool a PATCH-able edit touches; null for every other step. */
    private static String poolOf(MailgunStep step) {
        if (step instanceof UpdatePool u) {
            return u.poolId();
        } else if (step instanceof AddPoolIps a) {
            return a.poolId();
        } else if (step instanceof RemovePoolIp r) {
            return r.poolId();
        }
        return null;
    }
}
