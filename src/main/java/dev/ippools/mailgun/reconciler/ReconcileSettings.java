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
 * @param createOutcomeWait how long after a create whose answer was lost the operator keeps
 *     looking for the pool before it may create again
 * @param deleteOrphanedPools delete empty, unlinked pools marked for IpPools that no longer exist
 * @param warmupProgressInterval how often the progress of warm-ups a pool waits for is read ({@code
 *     GET /v3/ip_warmups}, one call per account); their end shows in the bulk IP read anyway
 * @param ownerId the operator's owner id, stamped into ownership markers; null: none
 */
public record ReconcileSettings(
        Duration relinkPoll,
        Duration waitRecheck,
        Duration domainResync,
        boolean serverSideApply,
        Duration createOutcomeWait,
        boolean deleteOrphanedPools,
        Duration warmupProgressInterval,
        String ownerId) {

    public static final Duration DEFAULT_WARMUP_PROGRESS_INTERVAL = Duration.ofMinutes(5);

    public ReconcileSettings(
            Duration relinkPoll,
            Duration waitRecheck,
            Duration domainResync,
            boolean serverSideApply,
            Duration createOutcomeWait,
            boolean deleteOrphanedPools) {
        this(
                relinkPoll,
                waitRecheck,
                domainResync,
                serverSideApply,
                createOutcomeWait,
                deleteOrphanedPools,
                DEFAULT_WARMUP_PROGRESS_INTERVAL,
                null);
    }

    /**
     * The client gives up on a call within its call timeout (60 s, retries included) after the
     * create intent is written; Mailgun may still finish a request it received for about as long
     * again (a front proxy's usual 60 s limit). Past that, a pool not found was never made.
     */
    public static final Duration DEFAULT_CREATE_OUTCOME_WAIT = Duration.ofMinutes(2);

    public ReconcileSettings(Duration relinkPoll, Duration waitRecheck, Duration domainResync) {
        this(relinkPoll, waitRecheck, domainResync, true, DEFAULT_CREATE_OUTCOME_WAIT, false);
    }

    public static ReconcileSettings defaults() {
        return new ReconcileSettings(Duration.ofSeconds(5), Duration.ofMinutes(2), Duration.ofMinutes(30));
    }

    public ReconcileSettings withServerSideApply(boolean ssa) {
        return new ReconcileSettings(
                relinkPoll,
                waitRecheck,
                domainResync,
                ssa,
                createOutcomeWait,
                deleteOrphanedPools,
                warmupProgressInterval,
                ownerId);
    }

    public ReconcileSettings withCreateOutcomeWait(Duration wait) {
        return new ReconcileSettings(
                relinkPoll,
                waitRecheck,
                domainResync,
                serverSideApply,
                wait,
                deleteOrphanedPools,
                warmupProgressInterval,
                ownerId);
    }

    public ReconcileSettings withDeleteOrphanedPools(boolean delete) {
        return new ReconcileSettings(
                relinkPoll,
                waitRecheck,
                domainResync,
                serverSideApply,
                createOutcomeWait,
                delete,
                warmupProgressInterval,
                ownerId);
    }

    public ReconcileSettings withWarmupProgressInterval(Duration interval) {
        return new ReconcileSettings(
                relinkPoll,
                waitRecheck,
                domainResync,
                serverSideApply,
                createOutcomeWait,
                deleteOrphanedPools,
                interval,
                ownerId);
    }

    /** The operator's owner id, stamped into ownership markers (architecture §9); null: none. */
    public ReconcileSettings withOwnerId(String id) {
        return new ReconcileSettings(
                relinkPoll,
                waitRecheck,
                domainResync,
                serverSideApply,
                createOutcomeWait,
                deleteOrphanedPools,
                warmupProgressInterval,
                id);
    }
}
