package dev.ippools.mailgun.plan;

import dev.ippools.mailgun.plan.Plan.Conflict;
import dev.ippools.mailgun.plan.Plan.Problem;
import dev.ippools.mailgun.plan.Plan.State;
import dev.ippools.mailgun.plan.Plan.Wait;
import java.util.ArrayList;
import java.util.List;

/** Collects a plan's parts while planning and derives the state from them. */
final class PlanBuilder {

    private String poolId;
    private final List<MailgunStep> steps = new ArrayList<>();
    private final List<Wait> waits = new ArrayList<>();
    private final List<Conflict> conflicts = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<PendingWarmup> warmups = new ArrayList<>();
    private boolean relinking;

    PlanBuilder poolId(String id) {
        poolId = id;
        return this;
    }

    PlanBuilder step(MailgunStep step) {
        steps.add(step);
        return this;
    }

    PlanBuilder waitFor(String on, String message) {
        waits.add(new Wait(on, message));
        return this;
    }

    PlanBuilder waits(List<Wait> more) {
        waits.addAll(more);
        return this;
    }

    PlanBuilder warmups(List<PendingWarmup> more) {
        warmups.addAll(more);
        return this;
    }

    PlanBuilder conflict(String message) {
        conflicts.add(new Conflict(message));
        return this;
    }

    PlanBuilder conflicts(List<Conflict> more) {
        conflicts.addAll(more);
        return this;
    }

    PlanBuilder problem(String field, String message) {
        problems.add(new Problem(field, message));
        return this;
    }

    PlanBuilder problems(List<Problem> more) {
        problems.addAll(more);
        return this;
    }

    PlanBuilder note(String note) {
        if (note != null) {
            notes.add(note);
        }
        return this;
    }

    PlanBuilder relinking(boolean value) {
        relinking = value;
        return this;
    }

    boolean hasProblems() {
        return !problems.isEmpty();
    }

    /** A plan with a fixed state (Observed, Deleted, ...). Problems still win: Invalid, no steps. */
    Plan build(State state) {
        if (!problems.isEmpty()) {
            return invalid();
        }
        return new Plan(poolId, steps, waits, conflicts, problems, relinking, state, notes, warmups);
    }

    /**
     * The state of a live resource: Invalid with problems; Creating/Updating while writing; otherwise
     * Conflict, Waiting, WaitingForWarmup, Relinking or Available, in that order.
     */
    Plan live() {
        if (!problems.isEmpty()) {
            return invalid();
        }
        State state;
        if (steps.stream().anyMatch(s -> s instanceof MailgunStep.CreatePool)) {
            state = State.CREATING;
        } else if (!steps.isEmpty()) {
            state = State.UPDATING;
        } else if (!conflicts.isEmpty()) {
            state = State.CONFLICT;
        } else if (!waits.isEmpty()) {
            state = State.WAITING;
        } else if (!warmups.isEmpty()) {
            state = State.WAITING_FOR_WARMUP;
        } else if (relinking) {
            state = State.RELINKING;
        } else {
            state = State.AVAILABLE;
        }
        return build(state);
    }

    /** The state of a resource being deleted: Deleting while writing, then blocked or deleted. */
    Plan deletion() {
        if (!problems.isEmpty()) {
            return invalid();
        }
        if (!steps.isEmpty()) {
            return build(State.DELETING);
        }
        if (!waits.isEmpty() || !conflicts.isEmpty()) {
            return build(State.DELETION_BLOCKED);
        }
        return build(State.DELETED);
    }

    private Plan invalid() {
        return new Plan(poolId, List.of(), waits, conflicts, problems, relinking, State.INVALID, notes, warmups);
    }
}
