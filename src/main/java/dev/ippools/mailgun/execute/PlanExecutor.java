package dev.ippools.mailgun.execute;

import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.MailgunException;
import dev.ippools.mailgun.client.model.MailgunResponse;
import dev.ippools.mailgun.client.model.NewPool;
import dev.ippools.mailgun.client.model.PoolChange;
import dev.ippools.mailgun.client.model.Replacement;
import dev.ippools.mailgun.plan.MailgunStep;
import dev.ippools.mailgun.plan.MailgunStep.AddPoolIps;
import dev.ippools.mailgun.plan.MailgunStep.AssignDomainIp;
import dev.ippools.mailgun.plan.MailgunStep.CancelWarmup;
import dev.ippools.mailgun.plan.MailgunStep.CreatePool;
import dev.ippools.mailgun.plan.MailgunStep.DelegatePool;
import dev.ippools.mailgun.plan.MailgunStep.DeletePool;
import dev.ippools.mailgun.plan.MailgunStep.LinkDomainPool;
import dev.ippools.mailgun.plan.MailgunStep.RemoveDomainIp;
import dev.ippools.mailgun.plan.MailgunStep.RemoveDomainPool;
import dev.ippools.mailgun.plan.MailgunStep.RemovePoolIp;
import dev.ippools.mailgun.plan.MailgunStep.RevokePoolDelegation;
import dev.ippools.mailgun.plan.MailgunStep.StartWarmup;
import dev.ippools.mailgun.plan.MailgunStep.UnlinkDomainPool;
import dev.ippools.mailgun.plan.MailgunStep.UpdatePool;
import dev.ippools.mailgun.plan.Ownership;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one place a plan's steps become Mailgun writes: each step passes the ownership check first,
 * then goes out as its own call, or, for a link handed a {@link LinkBatch}, into its pool's batch.
 */
public final class PlanExecutor {

    /** Where batched links go: the account's batching writer, which sends them later. */
    @FunctionalInterface
    public interface LinkBatch {
        void queue(LinkDomainPool link);
    }

    /**
     * Records durably, right before a step is sent, what a crash must not make the operator repeat
     * (a warm-up start, a cancel). False: an earlier run already recorded it, so it is not sent.
     */
    @FunctionalInterface
    public interface Recorder {
        Recorder NONE = step -> true;

        boolean beforeSending(MailgunStep step);
    }

    /**
     * Runs the steps in order and stops at the first failure; every link goes out as its own call.
     *
     * @param guard the ownership rule ({@link Ownership}), asked right before each write against
     *     the latest observed account: a refused step is not sent and ends the run
     * @param onCreated called with the new pool id right after a create returns, before any other
     *     call, so the caller can record it durably
     */
    public Result execute(
            MailgunClient client, List<MailgunStep> steps, Ownership.Guard guard, Consumer<String> onCreated) {
        return execute(client, steps, guard, onCreated, null);
    }

    /**
     * As {@link #execute(MailgunClient, List, Ownership.Guard, Consumer)}; links to pools go to
     * {@code batch} once the guard lets them (null: each link is its own legacy call). A queued link
     * counts as done: the batch's answer reaches the binding through its ticket.
     */
    public Result execute(
            MailgunClient client,
            List<MailgunStep> steps,
            Ownership.Guard guard,
            Consumer<String> onCreated,
            LinkBatch batch) {
        return execute(client, steps, guard, onCreated, batch, Recorder.NONE);
    }

    /**
     * As {@link #execute(MailgunClient, List, Ownership.Guard, Consumer, LinkBatch)}; {@code
     * recorder} is asked right before each step the guard lets through is sent, and a step it
     * declines is skipped (neither sent nor done).
     */
    public Result execute(
            MailgunClient client,
            List<MailgunStep> steps,
            Ownership.Guard guard,
            Consumer<String> onCreated,
            LinkBatch batch,
            Recorder recorder) {
        List<MailgunStep> done = new ArrayList<>();
        boolean started = false;
        String createdPoolId = null;
        for (MailgunStep step : steps) {
            try {
                Optional<Ownership.Refusal> refusal = guard.check(step, List.copyOf(done));
                if (refusal.isPresent()) {
                    throw new OwnershipRefusedException(step, refusal.get().message());
                }
                if (!recorder.beforeSending(step)) {
                    continue;
                }
                if (batch != null && step instanceof LinkDomainPool link) {
                    batch.queue(link);
                } else if (step instanceof CreatePool c) {
                    createdPoolId = client.createPool(new NewPool(c.name(), c.description(), c.ips()))
                            .poolId();
                    onCreated.accept(createdPoolId);
                } else {
                    started |= run(client, step).started();
                }
                done.add(step);
            } catch (MailgunException e) {
                if (!GoneIsDone.completes(step, e)) {
                    return Result.failed(done, started, createdPoolId, step, e);
                }
                done.add(step);
            }
        }
        return Result.completed(done, started, createdPoolId);
    }

    private static MailgunResponse run(MailgunClient client, MailgunStep step) {
        if (step instanceof UpdatePool u) {
            return client.updatePool(u.poolId(), new PoolChange(u.name(), u.description(), null, null, null, null));
        } else if (step instanceof MailgunStep.EditPool e) {
            return client.updatePool(
                    e.poolId(), new PoolChange(e.name(), e.description(), e.addIps(), e.removeIps(), null, null));
        } else if (step instanceof AddPoolIps a) {
            return a.ips().size() == 1
                    ? client.addPoolIp(a.poolId(), a.ips().get(0))
                    : client.addPoolIps(a.poolId(), a.ips());
        } else if (step instanceof RemovePoolIp r) {
            return client.removePoolIp(r.poolId(), r.ip());
        } else if (step instanceof DelegatePool d) {
            return client.delegatePool(d.poolId(), d.subaccountId());
        } else if (step instanceof RevokePoolDelegation r) {
            return client.revokePoolDelegation(r.poolId(), r.subaccountId());
        } else if (step instanceof DeletePool d) {
            return client.deletePool(d.poolId(), new Replacement(d.replacementIp(), d.replacementPoolId()));
        } else if (step instanceof LinkDomainPool l) {
            // Without a batch: links to inherited pools, which refuse the pool's PATCH.
            return client.legacyLinkDomainPool(l.domain(), l.poolId());
        } else if (step instanceof UnlinkDomainPool u) {
            return client.legacyUnlinkDomainPool(u.domain(), new Replacement(u.replacementIp(), u.replacementPoolId()));
        } else if (step instanceof AssignDomainIp a) {
            return client.legacyAssignDomainIp(a.domain(), a.ip());
        } else if (step instanceof RemoveDomainIp r) {
            return client.legacyRemoveDomainIp(r.domain(), r.ip(), Replacement.NONE);
        } else if (step instanceof RemoveDomainPool r) {
            return client.legacyRemoveDomainPool(r.domain());
        } else if (step instanceof StartWarmup w) {
            return client.startWarmup(w.ip());
        } else if (step instanceof CancelWarmup w) {
            return client.cancelWarmup(w.ip());
        }
        throw new IllegalArgumentException("unknown step " + step);
    }

    /**
     * What ran. {@code failedStep} and {@code failure} are null when every step ran; made by the
     * factories below, which say which case it is.
     *
     * @param started some call answered {@code started}: Mailgun continues in the background
     * @param createdPoolId the pool a create made, or null
     */
    public record Result(
            List<MailgunStep> done,
            boolean started,
            String createdPoolId,
            MailgunStep failedStep,
            MailgunException failure) {

        /** Every step ran. */
        public static Result completed(List<MailgunStep> done, boolean started, String createdPoolId) {
            return new Result(List.copyOf(done), started, createdPoolId, null, null);
        }

        /** The steps in {@code done} ran, then {@code failedStep} failed and the rest did not run. */
        public static Result failed(
                List<MailgunStep> done,
                boolean started,
                String createdPoolId,
                MailgunStep failedStep,
                MailgunException failure) {
            return new Result(List.copyOf(done), started, createdPoolId, failedStep, failure);
        }

        /** Nothing ran: {@code step}, the first, was refused (by Mailgun, or the ownership check). */
        public static Result refused(MailgunStep step, MailgunException failure) {
            return new Result(List.of(), false, null, step, failure);
        }

        public boolean succeeded() {
            return failure == null;
        }
    }
}
