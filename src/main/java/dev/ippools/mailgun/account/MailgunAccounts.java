package dev.ippools.mailgun.account;

import dev.ippools.mailgun.account.Watcher.Change;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.model.MailgunPool;
import dev.ippools.mailgun.plan.ResourceKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every Mailgun account in use: one client and one {@link AccountState} per account, polled in
 * bulk on one schedule. Changes found by a poll or by a refresh after a write wake exactly the
 * watchers they concern.
 */
public final class MailgunAccounts implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MailgunAccounts.class);
    static final Duration VERIFY_DELAY = Duration.ofSeconds(5);

    private final Function<Credentials, MailgunClient> clientFactory;
    private final Clock clock;
    private final Duration pollInterval;
    private final Duration idleExpiry;
    private final Map<AccountKey, AccountState> accounts = new ConcurrentHashMap<>();
    private final List<Consumer<Watcher>> listeners = new CopyOnWriteArrayList<>();
    private final List<AccountListener> accountListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<AccountState>> afterPoll = new CopyOnWriteArrayList<>();
    private final Set<AccountKey> verifyScheduled = ConcurrentHashMap.newKeySet();
    private volatile ScheduledExecutorService scheduler;

    /**
     * @param idleExpiry an account no resource used for this long is dropped (its client closed)
     */
    public MailgunAccounts(
            Function<Credentials, MailgunClient> clientFactory,
            Clock clock,
            Duration pollInterval,
            Duration idleExpiry) {
        this.clientFactory = clientFactory;
        this.clock = clock;
        this.pollInterval = pollInterval;
        this.idleExpiry = idleExpiry;
    }

    /** The state of the account these credentials open, created (unread) on first use. */
    public AccountState account(Credentials credentials) {
        return accounts.computeIfAbsent(credentials.key(), k -> {
            AccountState state = new AccountState(k, clientFactory.apply(credentials), clock);
            // A batch's answer wakes the bindings of its domains.
            state.links().onSettled(domains -> {
                // Only the batch's own bindings: the rest of the account did not change.
                for (Watcher w : state.watchersOf(domains)) {
                    listeners.forEach(l -> l.accept(w));
                }
                verifySoon(state);
            });
            return state;
        });
    }

    /** Called with each watcher a change concerns. */
    public void onChange(Consumer<Watcher> listener) {
        listeners.add(listener);
    }

    /** Called with poll failures and stray-pool counts, for metrics. */
    public void addListener(AccountListener listener) {
        accountListeners.add(listener);
    }

    /** Called with each account a scheduled poll read successfully. */
    public void afterPoll(Consumer<AccountState> task) {
        afterPoll.add(task);
    }

    /** Reports the stray pools found in an account to the listeners. */
    public void reportStrayPools(AccountKey account, int duplicates, int orphans) {
        accountListeners.forEach(l -> l.strayPools(account, duplicates, orphans));
    }

    /** Reports a corrected out-of-band change to the listeners. */
    public void reportDrift(AccountKey account, String kind) {
        accountListeners.forEach(l -> l.driftCorrected(account, kind));
    }

    /** Re-reads an account after writes and wakes whoever the change concerns. */
    public Change refreshAfterWrite(AccountState account) {
        return refreshAfterWrite(account, clock.instant());
    }

    /**
     * Re-reads an account after writes that ended at {@code writtenAt}, sharing a read that began
     * later, and wakes whoever the change concerns.
     */
    public Change refreshAfterWrite(AccountState account, Instant writtenAt) {
        Change change = account.refreshIfOlderThan(writtenAt);
        notify(account, change);
        return change;
    }

    /** Wakes one resource, for news that is not a change of what it watches. */
    public void wake(String kind, ResourceKey key) {
        Watcher w = new Watcher(kind, key, Set.of(), Set.of(), Set.of(), false);
        listeners.forEach(l -> l.accept(w));
    }

    /**
     * One bulk read shortly after batches were accepted, shared by every batch accepted until then:
     * it shows newly linked pools as linked, which verifies their batches without reads of their own.
     */
    private void verifySoon(AccountState account) {
        ScheduledExecutorService s = scheduler;
        if (s == null || !verifyScheduled.add(account.key())) {
            return;
        }
        long ms = Math.min(pollInterval.toMillis(), VERIFY_DELAY.toMillis());
        try {
            s.schedule(
                    () -> {
                        verifyScheduled.remove(account.key());
                        try {
                            notify(account, account.refresh());
                        } catch (RuntimeException e) {
                            log.debug(
                                    "Reading Mailgun account {} after batches failed: {}",
                                    account.key(),
                                    e.getMessage());
                        }
                    },
                    ms,
                    TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            verifyScheduled.remove(account.key());
        }
    }

    /** Records a pool Mailgun just created (no read) and wakes whoever waits on it. */
    public Change recordCreated(AccountState account, MailgunPool created) {
        Change change = account.recordCreated(created);
        notify(account, change);
        return change;
    }

    /** Wakes whoever a change concerns; reconcilers call it after domain reads too. */
    public void notify(AccountState account, Change change) {
        for (Watcher w : account.affectedBy(change)) {
            for (Consumer<Watcher> l : listeners) {
                l.accept(w);
            }
        }
    }

    /** One poll of every account in use. Failures are kept on the account, never thrown. */
    public void pollOnce() {
        for (AccountState account : List.copyOf(accounts.values())) {
            if (account.lastUsed().plus(idleExpiry).isBefore(clock.instant()) && !account.hasWatchers()) {
                accounts.remove(account.key());
                account.links().close();
                account.client().close();
                continue;
            }
            boolean wasFailing = account.lastError().isPresent();
            try {
                Change change = account.refresh();
                // Resources that reported the failure must hear that it is over, change or not.
                if (wasFailing) {
                    log.info("Mailgun account {} answers again", account.key());
                    notifyAll(account);
                } else {
                    notify(account, change);
                }
            } catch (RuntimeException e) {
                // Reconcilers surface the error in status; the poll only notes it.
                log.warn("Polling Mailgun account {} failed: {}", account.key(), e.getMessage());
                PollHealth.Cause cause = PollHealth.causeOf(e);
                accountListeners.forEach(l -> l.pollFailed(account.key(), cause));
                notifyAll(account);
                continue;
            }
            for (Consumer<AccountState> task : afterPoll) {
                try {
                    task.accept(account);
                } catch (RuntimeException e) {
                    log.warn("After polling Mailgun account {}: {}", account.key(), e.toString());
                }
            }
        }
    }

    // A failed poll may be news to resources that were fine: let each one report it.
    private void notifyAll(AccountState account) {
        for (Watcher w : account.watchers()) {
            listeners.forEach(l -> l.accept(w));
        }
    }

    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mailgun-account-poller");
            t.setDaemon(true);
            return t;
        });
        long ms = pollInterval.toMillis();
        scheduler.scheduleWithFixedDelay(this::pollSafely, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void pollSafely() {
        try {
            pollOnce();
        } catch (RuntimeException e) {
            log.error("Mailgun account poll failed", e);
        }
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        accounts.values().forEach(a -> {
            a.links().close();
            a.client().close();
        });
        accounts.clear();
    }
}
