package dev.ippools.mailgun.reconciler;

import java.time.Duration;

/**
 * Timing of the reconcilers.
 *
 * @param relinkPoll how soon to look again while Mailgun relinks domains or a create is unclear
 * @param waitRecheck how soon to look again at a resource that waits on another one (account
 *     changes wake it sooner)
 * @param domainResync how long a domain observation is trusted while nothing else changed
 */
public record ReconcileSettings(Duration relinkPoll, Duration waitRecheck, Duration domainResync) {
  public static ReconcileSettings defaults() {
    return new ReconcileSettings(
        Duration.ofSeconds(5), Duration.ofMinutes(2), Duration.ofMinutes(30));
  }
}
