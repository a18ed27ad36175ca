package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.client.MailgunApiException;
import dev.ippools.mailgun.client.MailgunException;
import dev.ippools.mailgun.client.MailgunTransportException;
import dev.ippools.mailgun.mapping.PoolAnnotations;
import dev.ippools.mailgun.plan.MailgunStep;
import dev.ippools.mailgun.plan.Plan;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A pool create whose answer was lost (architecture §10): until its outcome is known no second
 * create is sent, and a deleted IpPool keeps its finalizer, so a pool Mailgun makes late is found
 * by its ownership marker and then used or deleted. The outcome is known once the marked pool shows
 * up or once the wait after the intent has passed without it.
 */
final class CreateOutcome {

    private CreateOutcome() {}

    /** Whether Mailgun may have made the pool although the call failed. */
    static boolean unclear(MailgunException failure) {
        if (failure instanceof MailgunTransportException t) {
            return t.requestMayHaveBeenSent();
        }
        return failure instanceof MailgunApiException a && (a.status() >= 500 || a.status() == 408);
    }

    /**
     * The outcome to report instead of acting on {@code plan}, while an earlier create may still
     * turn up: the plan would create again, or (deleting) would let go with no pool found.
     */
    static Optional<Outcome> pending(
            IpPool pool, boolean deleting, Plan plan, ReconcileSettings settings, Instant now) {
        Optional<Instant> sent = PoolAnnotations.createIntentAt(pool);
        if (sent.isEmpty() || PoolAnnotations.recordedPoolId(pool) != null) {
            return Optional.empty();
        }
        boolean wouldCreate = plan.steps().stream().anyMatch(s -> s instanceof MailgunStep.CreatePool);
        boolean wouldLetGo = deleting && plan.poolId() == null;
        Instant until = sent.get().plus(settings.createOutcomeWait());
        if (!(wouldCreate || wouldLetGo) || !now.isBefore(until)) {
            return Optional.empty();
        }
        String message = "the create sent at " + sent.get() + " has no known outcome yet; looking"
                + " for its pool by the ownership marker until " + until
                + (deleting
                        ? ", and keeping the finalizer so a pool that turns up is deleted"
                        : " before creating again");
        Duration recheck = settings.relinkPoll();
        return Optional.of(Outcome.createPending(deleting, message, recheck));
    }
}
