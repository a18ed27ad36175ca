package dev.ippools.mailgun.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * The planner's answer for one resource.
 *
 * @param poolId the DIPP this resource maps to after the plan (null: not created yet)
 * @param steps Mailgun writes, in order; empty when Mailgun already matches
 * @param waits reasons to wait for something outside this resource (another pool, Mailgun)
 * @param conflicts claims that lose to another pool or touch something not owned here
 * @param problems invalid spec or account facts a person must fix; with any, steps is empty
 * @param relinking Mailgun is still propagating an earlier change to linked domains or to
 *     subaccounts (a delegation or revocation it accepted but does not list yet)
 * @param state the Ready reason this plan implies
 * @param notes facts worth telling a person that change nothing: drift under Observe, a pool found
 *     by its ownership marker, a recorded pool that vanished, a pool left in place on delete
 * @param warmups listed IPs left out until their warm-up ends (or starts: a {@link
 *     MailgunStep.StartWarmup} among the steps); they are waited for, not wrong
 */
public record Plan(
        String poolId,
        List<MailgunStep> steps,
        List<Wait> waits,
        List<Conflict> conflicts,
        List<Problem> problems,
        boolean relinking,
        State state,
        List<String> notes,
        List<PendingWarmup> warmups) {

    public Plan {
        steps = copy(steps);
        waits = copy(waits);
        conflicts = copy(conflicts);
        problems = copy(problems);
        notes = copy(notes);
        warmups = copy(warmups);
    }

    /** A plan waiting for no warm-up. */
    public Plan(
            String poolId,
            List<MailgunStep> steps,
            List<Wait> waits,
            List<Conflict> conflicts,
            List<Problem> problems,
            boolean relinking,
            State state,
            List<String> notes) {
        this(poolId, steps, waits, conflicts, problems, relinking, state, notes, List.of());
    }

    /** A plan without notes. */
    public Plan(
            String poolId,
            List<MailgunStep> steps,
            List<Wait> waits,
            List<Conflict> conflicts,
            List<Problem> problems,
            boolean relinking,
            State state) {
        this(poolId, steps, waits, conflicts, problems, relinking, state, List.of());
    }

    /** A plan in {@code state} with nothing to write, wait for or report yet. */
    public static Plan of(State state, String poolId) {
        return new Plan(poolId, List.of(), List.of(), List.of(), List.of(), false, state, List.of());
    }

    /** This plan, also waiting for {@code wait}. */
    public Plan withWait(Wait wait) {
        return new Plan(poolId, steps, append(waits, wait), conflicts, problems, relinking, state, notes, warmups);
    }

    /** This plan with these problems added. */
    public Plan withProblems(List<Problem> more) {
        List<Problem> all = new ArrayList<>(problems);
        all.addAll(more);
        return new Plan(poolId, steps, waits, conflicts, all, relinking, state, notes, warmups);
    }

    /** This plan with a note added. */
    public Plan withNote(String note) {
        return new Plan(poolId, steps, waits, conflicts, problems, relinking, state, append(notes, note), warmups);
    }

    /** This plan, with Mailgun still moving domains in the background. */
    public Plan withRelinking() {
        return new Plan(poolId, steps, waits, conflicts, problems, true, state, notes, warmups);
    }

    private static <T> List<T> append(List<T> list, T item) {
        List<T> out = new ArrayList<>(list);
        out.add(item);
        return out;
    }

    /** Whether Mailgun already matches: nothing to write. */
    public boolean isNoop() {
        return steps.isEmpty();
    }

    /** Mirrors the Ready reasons of architecture §3 that the planner can decide. */
    public enum State {
        AVAILABLE,
        CREATING,
        UPDATING,
        RELINKING,
        WAITING,
        WAITING_FOR_WARMUP,
        CONFLICT,
        INVALID,
        DELETING,
        DELETION_BLOCKED,
        DELETED,
        OBSERVED,
        /** Adopting a pool by spec.poolId would change it, and spec.adoption does not allow it. */
        ADOPTION_WOULD_CHANGE,
        /** The pool is marked by another operator (another owner id) and not handed over. */
        OWNED_ELSEWHERE
    }

    /** Something this resource waits for; {@code on} names the resource or object, if any. */
    public record Wait(String on, String message) {}

    public record Conflict(String message) {}

    /** {@code field} is a spec path such as {@code spec.ips[1]}, or null for account facts. */
    public record Problem(String field, String message) {}

    private static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}
