package dev.ippools.mailgun.plan;

import java.util.List;
import java.util.TreeSet;

/** Which warm-ups a pool's operator cancels: pure, like the planners. */
public final class Warmups {

  private Warmups() {}

  /** Whether a listed IP that the pool does not hold is warming up (its progress is worth a read). */
  public static boolean waitsForWarmup(DesiredPool pool, ObservedAccount account) {
    TreeSet<String> listed = PlanningContext.canonicalSet(pool.ips());
    return account.ips().values().stream()
        .anyMatch(ip -> ip.onWarmup() && listed.contains(IpAddresses.canonicalOrSelf(ip.ip())));
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
        .filter(ip -> ctx.accountIp(ip).map(ObservedAccount.ObservedIp::onWarmup).orElse(false))
        .map(ctx::spelling)
        .toList();
  }
}
