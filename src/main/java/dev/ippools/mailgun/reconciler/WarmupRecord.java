package dev.ippools.mailgun.reconciler;

import dev.ippools.mailgun.api.v1alpha1.ApiConstants;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.execute.PlanExecutor;
import dev.ippools.mailgun.mapping.PoolAnnotations;
import dev.ippools.mailgun.plan.MailgunStep;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record of the warm-ups an IpPool started ({@value ApiConstants#WARMUPS_STARTED_ANNOTATION}),
 * kept like the create intent (architecture §4.6): each IP is added with optimistic locking right
 * before its start is sent and taken out right before its cancel, so a crash or restart never
 * starts or cancels one twice; a start that surely never reached Mailgun is taken out again so a
 * later reconcile may start it.
 */
final class WarmupRecord {

    private static final Logger log = LoggerFactory.getLogger(WarmupRecord.class);

    private final EventRecorder events;

    WarmupRecord(EventRecorder events) {
        this.events = events;
    }

    /** What the executor asks before each step of {@code pool}'s plan; {@code pool} follows it. */
    PlanExecutor.Recorder recorder(IpPool pool, Context<IpPool> context) {
        return step -> {
            if (step instanceof MailgunStep.StartWarmup w) {
                // another run recorded it since this one read the pool: never a second start
                return record(
                        pool, context, p -> PoolAnnotations.warmupsStarted(p).contains(w.ip()), p -> {
                            PoolAnnotations.markWarmupStarted(p, w.ip());
                            return p;
                        });
            }
            if (step instanceof MailgunStep.CancelWarmup w) {
                // cancelled (or its record dropped) by an earlier run: at most once
                return record(
                        pool, context, p -> !PoolAnnotations.warmupsStarted(p).contains(w.ip()), p -> {
                            PoolAnnotations.forgetWarmupStarted(p, w.ip());
                            return p;
                        });
            }
            return true;
        };
    }

    /**
     * After the run: tells of the warm-ups started and cancelled, and takes a start that failed out
     * of the record when Mailgun surely did not start it. An unclear failure keeps it recorded.
     */
    void settleAfter(IpPool pool, PlanExecutor.Result result, Context<IpPool> context) {
        for (MailgunStep step : result.done()) {
            if (step instanceof MailgunStep.StartWarmup w) {
                log.info("IpPool {}: started the Mailgun warm-up of IP {}", name(pool), w.ip());
                events.normal(pool, "WarmupStarted", "Started the Mailgun warm-up of IP " + w.ip());
            } else if (step instanceof MailgunStep.CancelWarmup w) {
                log.info("IpPool {}: cancelled the Mailgun warm-up of IP {} it had started", name(pool), w.ip());
                events.normal(
                        pool,
                        "WarmupCancelled",
                        "Cancelled the Mailgun warm-up of IP " + w.ip() + ", no longer listed in spec.ips");
            }
        }
        if (result.failedStep() instanceof MailgunStep.StartWarmup w
                && PoolAnnotations.warmupsStarted(pool).contains(w.ip())
                && !CreateOutcome.unclear(result.failure())) {
            record(pool, context, p -> !PoolAnnotations.warmupsStarted(p).contains(w.ip()), p -> {
                PoolAnnotations.forgetWarmupStarted(p, w.ip());
                return p;
            });
        }
    }

    /**
     * Changes the annotations of the latest IpPool and writes them with its resourceVersion (409 if
     * anything changed in between, and the reconcile starts over); {@code pool} takes the latest
     * annotations. False when the latest already shows the change ({@code done}) or the IpPool is
     * gone.
     */
    private static boolean record(
            IpPool pool, Context<IpPool> context, Predicate<IpPool> done, UnaryOperator<IpPool> change) {
        IpPool latest = context.getClient()
                .resources(IpPool.class)
                .inNamespace(pool.getMetadata().getNamespace())
                .withName(pool.getMetadata().getName())
                .get();
        if (latest == null) {
            return false;
        }
        if (done.test(latest)) {
            pool.getMetadata().setAnnotations(latest.getMetadata().getAnnotations());
            return false;
        }
        latest.setStatus(null);
        IpPool written = context.getClient().resource(change.apply(latest)).update();
        pool.getMetadata().setAnnotations(written.getMetadata().getAnnotations());
        pool.getMetadata().setResourceVersion(written.getMetadata().getResourceVersion());
        return true;
    }

    private static String name(IpPool pool) {
        return pool.getMetadata().getNamespace() + "/" + pool.getMetadata().getName();
    }
}
