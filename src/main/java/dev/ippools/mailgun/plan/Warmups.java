package dev.ippools.mailgun.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The warm-up part of an IpPool's plan: which listed IPs it waits for, which warm-ups it starts
 * ({@code spec.warmup: Start}) and which of those it cancels. Pure, like the planners.
 */
public final class Warmups {

    private Warmups() {}

    /** Whether a listed IP that the pool does not hold is warming up (its progress is worth a read). */
    public static boolean waitsForWarmup(DesiredPool pool, ObservedAccount account) {
        TreeSet<String> listed = PlanningContext.canonicalSet(pool.ips());
        return account.ips().values().stream()
                .anyMatch(ip -> ip.onWarmup() && listed.contains(IpAddresses.canonicalOrSelf(ip.ip())));
    }

    /**
     * A listed IP Mailgun keeps out of pools until it is warm: one warming up (with its progress, if
     * read), or a new one the operator starts warming under {@code spec.warmup: Start}. An IP whose
     * warm-up the operator already started waits for Mailgun to show it warming: never a second
     * start.
     */
    static Optional<PendingWarmup> pending(DesiredPool pool, String ip, PlanningContext ctx) {
        Optional<ObservedAccount.ObservedIp> observed = ctx.accountIp(ip);
        if (observed.isEmpty()) {
            return Optional.empty();
        }
        ObservedAccount.ObservedIp o = observed.get();
        if (o.onWarmup()) {
            return Optional.of(new PendingWarmup(ctx.spelling(ip), PendingWarmup.Phase.WARMING, o.warmup()));
        }
        if (pool.warmup() == DesiredPool.WarmupPolicy.START
                && o.cold(ctx.poolHolding(ip).isPresent())) {
            boolean started =
                    PlanningContext.canonicalSet(pool.warmupsStarted()).contains(ip);
            return Optional.of(new PendingWarmup(
                    ctx.spelling(ip), started ? PendingWarmup.Phase.STARTED : PendingWarmup.Phase.TO_START, null));
        }
        return Optional.empty();
    }

    /**
     * The warm-up writes of a managed pool, after its pool steps so a refused start holds back no
     * other change: a start for each IP {@code pending} says is to be started, a cancel for each
     * {@link #toCancel}.
     */
    static List<MailgunStep> steps(DesiredPool pool, List<PendingWarmup> pending, PlanningContext ctx) {
        List<MailgunStep> out = new ArrayList<>();
        pending.stream().filter(PendingWarmup::toStart).forEach(w -> out.add(new MailgunStep.StartWarmup(w.ip())));
        toCancel(pool, ctx).forEach(ip -> out.add(new MailgunStep.CancelWarmup(ip)));
        return out;
    }

    /**
     * Warm-ups the operator started for {@code pool} (and only those) of IPs the spec no longer
     * lists, still running: cancelled so an IP dropped from the spec does not keep warming for it.
     */
    public static List<String> toCancel(DesiredPool pool, PlanningContext ctx) {
        if (pool.deleting() || pool.policy() == ManagementPolicy.OBSERVE) {
            return List.of();
        }
        TreeSet<String> listed = PlanningContext.canonicalSet(pool.ips());
        return PlanningContext.canonicalSet(pool.warmupsStarted()).stream()
                .filter(ip -> !listed.contains(ip))
                .filter(ip -> ctx.accountIp(ip)
                        .map(ObservedAccount.ObservedIp::onWarmup)
                        .orElse(false))
                .map(ctx::spelling)
                .toList();
    }
}
