package dev.ippools.mailgun.reconciler;

import java.time.Duration;

/**
 * Timing of the reconcilers.
 *
 * @param relinkPoll how soon to look again while Mailgun relinks domains or a create is unclear
 * @param waitRecheck how soon to look again at a resource that waits on another one (account
 *     changes wake it sooner)
 * @param domainResync how long a domain observation is trusted while nothing else changed
 * @param serverSideApply write status with server-side apply (off only for API servers without it)
 */
public record ReconcileSettings(
    Duration relinkPoll, Duration waitRecheck, Duration domainResync, boolean serverSideApply) {

  public ReconcileSettings(Duration relinkPoll, Duration waitRecheck, Duration domainResync) {
    this(relinkPoll, waitRecheck, domainResync, true);
  }

  public static ReconcileSettings defaults() {
    return new ReconcileSettings(
        Duration.ofSeconds(5), Duration.ofMinutes(2), Duration.ofMinutes(30));
  }

  public ReconcileSettings withServerSideApply(boolean ssa) {
    return new ReconcileSettings(relinkPoll, waitRecheck, domainResync, ssa);
  }
}
