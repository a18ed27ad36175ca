package dev.ippools.mailgun.account;

/** What the account registry reports beyond wake-ups, for metrics. */
public interface AccountListener {

    /** A scheduled bulk read of the account failed. */
    default void pollFailed(AccountKey account, PollHealth.Cause cause) {}

    /** The marked pools of the account without a place: duplicates and orphans, after a poll. */
    default void strayPools(AccountKey account, int duplicates, int orphans) {}

    /** A reconcile of a resource of {@code kind} corrected a change made outside the operator. */
    default void driftCorrected(AccountKey account, String kind) {}
}
