package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.execute.PlanExecutor;
import dev.ippools.mailgun.plan.Plan;
import java.util.Optional;

/**
 * A plan and what executing it did (null when it had no steps). After a failure the plan is
 * made again from a fresh observation, so a rejected write counts only while it is still
 * needed: a retried write answered "no change" whose effect Mailgun now shows is done.
 *
 * @param instead the outcome to report instead of the plan's (empty: the plan's)
 */
record Run(Plan plan, PlanExecutor.Result result, Optional<Outcome> instead) {
    Run(Plan plan, PlanExecutor.Result result) {
        this(plan, result, Optional.empty());
    }

    /** A run that reports {@code outcome}, whatever the plan says. */
    static Run reporting(Plan plan, PlanExecutor.Result result, Outcome outcome) {
        return new Run(plan, result, Optional.of(outcome));
    }

    Outcome outcome(ReconcileSettings settings) {
        if (instead.isPresent()) {
            return instead.get();
        }
        return rejected() ? Outcome.rejected(result.failedStep(), result.failure()) : Outcome.of(plan, settings);
    }

    boolean rejected() {
        return result != null && !result.succeeded() && plan.steps().contains(result.failedStep());
    }
}
