/**
 * Live Mailgun state per account: credentials, one shared client and rate limiter per account, and
 * the {@link dev.ippools.mailgun.account.AccountState} that reconcilers read instead of calling
 * Mailgun. Knows the client; knows nothing of Kubernetes. The planner's view of an account is made
 * in {@code mapping} ({@code ObservedMapper}); the batching writer the account owns lives in the
 * execution layer ({@code execute.batch}).
 *
 * <p>{@code AccountState} is split by job: {@link dev.ippools.mailgun.account.AccountReads} (the
 * latest bulk read and the reads that replace it), {@link dev.ippools.mailgun.account.Snapshot}
 * (one immutable read, which knows its diff from an older one), {@link
 * dev.ippools.mailgun.account.DomainObservations} (domains read on request), {@link
 * dev.ippools.mailgun.account.Watchers} (resources to wake on change), {@link
 * dev.ippools.mailgun.account.AcceptedDelegations} and {@link
 * dev.ippools.mailgun.account.BindingLinks} (where links stand), {@link
 * dev.ippools.mailgun.account.WarmupProgress} (warm-up progress, read while a pool waits).
 *
 * <h2>Threads</h2>
 *
 * <ul>
 *   <li><b>JOSDK reconciler workers</b> (many at once): read snapshots and views, observe domains,
 *       record watchers and queue links, all for the same account.
 *   <li><b>The poller</b> ({@code mailgun-account-poller}, one per process, in {@code
 *       MailgunAccounts}): refreshes each account on a schedule and after accepted batches, wakes
 *       the watchers a change concerns, drops idle accounts.
 *   <li><b>The flusher</b> ({@code mailgun-batch-flusher}, one per account with links): waits for
 *       the pool that is due first and for the rate limiter's spare capacity.
 *   <li><b>The senders</b> ({@code mailgun-batch-sender}, at most two per account): send a pool's
 *       PATCH, bisect a rejected one, verify and settle the tickets, which wakes the resources.
 * </ul>
 *
 * <h2>Locks</h2>
 *
 * <ul>
 *   <li>{@code AccountReads} (its monitor): one bulk read at a time, the first read of a new
 *       account shared by every worker asking for it, and the created pool added in between.
 *       Readers take the latest snapshot (volatile) without it.
 *   <li>{@code AccountState}: no lock; the planner's view is rebuilt when the snapshot, the domain
 *       version, the delegation version or the warm-up progress moved (a race builds it twice,
 *       never wrong).
 *   <li>{@code DomainDirectory} (its monitor): one {@code GET /v4/domains} at a time; a read that
 *       began while a caller waited answers it too.
 *   <li>{@code PoolLinks}: one lock object per pool: one read of a pool's domains at a time, shared
 *       by the callers waiting for it.
 *   <li>{@code AcceptedDelegations} (its monitor): the held delegation changes and their version.
 *   <li>{@code WarmupProgress} (its monitor): one warm-up progress read at a time, shared by the
 *       pools that wait within the interval; readers take the last read (volatile) without it.
 *   <li>{@code PoolWriteBatcher} (its monitor): the per-pool queue and its due times; tickets are
 *       a concurrent map, updated without it. A semaphore bounds the calls in flight.
 *   <li>{@code MailgunAccounts} (its monitor): starting and stopping the poller.
 * </ul>
 */
package dev.ippools.mailgun.account;
