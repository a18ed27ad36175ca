package dev.ippools.mailgun.plan;

import java.util.ArrayList;
import java.util.List;

/** Renders plans for people: the {@code plan} command, Events and condition messages. */
public final class Plans {

    private Plans() {}

    /**
     * One line per item: steps (their {@link MailgunStep#describe()}), then waits, conflicts,
     * problems and notes, each tagged with its kind.
     */
    public static List<String> lines(Plan plan) {
        List<String> out = new ArrayList<>();
        plan.steps().forEach(step -> out.add(step.describe()));
        plan.waits().forEach(w -> out.add("wait" + (w.on() != null ? " for " + w.on() : "") + ": " + w.message()));
        // a warm-up to start is a step, listed above
        plan.warmups().stream().filter(w -> !w.toStart()).forEach(w -> out.add("wait: " + w.describe()));
        plan.conflicts().forEach(c -> out.add("conflict: " + c.message()));
        plan.problems()
                .forEach(p -> out.add("invalid" + (p.field() != null ? " " + p.field() : "") + ": " + p.message()));
        // the planners' notes name the domains; this line is for plans that carry no notes
        if (plan.relinking() && plan.notes().isEmpty()) {
            out.add("relinking: Mailgun is still updating linked domains");
        }
        plan.notes().forEach(n -> out.add("note: " + n));
        return out;
    }

    /**
     * What a Ready condition should say: problems, else conflicts, else waits (each kind joined with
     * "; "), else the number of Mailgun calls, else the IPs waiting for warm-up, else the notes.
     * Empty when there is nothing to say.
     */
    public static String message(Plan plan) {
        if (!plan.problems().isEmpty()) {
            return String.join(
                    "; ",
                    plan.problems().stream()
                            .map(p -> (p.field() != null ? p.field() + ": " : "") + p.message())
                            .toList());
        }
        if (!plan.conflicts().isEmpty()) {
            return String.join(
                    "; ", plan.conflicts().stream().map(Plan.Conflict::message).toList());
        }
        if (!plan.waits().isEmpty()) {
            return String.join(
                    "; ", plan.waits().stream().map(Plan.Wait::message).toList());
        }
        if (!plan.steps().isEmpty()) {
            int n = plan.steps().size();
            return n + (n == 1 ? " Mailgun call" : " Mailgun calls") + " planned";
        }
        if (!plan.warmups().isEmpty()) {
            List<String> parts = new ArrayList<>(
                    plan.warmups().stream().map(PendingWarmup::describe).toList());
            parts.add("the rest of the pool is applied");
            return String.join("; ", parts);
        }
        return String.join("; ", plan.notes());
    }
}
