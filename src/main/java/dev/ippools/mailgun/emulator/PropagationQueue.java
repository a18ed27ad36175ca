package dev.ippools.mailgun.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The background work ("sagas") Mailgun runs after answering {@code started}: domain propagation
 * and delegation changes, due after the propagation delay and applied in (due, seq) order. Used
 * only under the state's lock.
 */
final class PropagationQueue {

    private sealed interface Work permits DomainPropagation, DelegationChange {}

    private record DomainPropagation(String domainId, long version, Domain.Assignment target) implements Work {}

    /**
     * Delegation saga for one subaccount: revoke some pools (unlinking the subaccount's domains from
     * each), then optionally delegate one pool.
     */
    private record DelegationChange(
            String subaccountId, List<String> revokePoolIds, String delegatePoolId, boolean failMidway)
            implements Work {}

    private record Operation(long seq, Instant due, String referenceId, String kind, Work work) {}

    private final EmulatorState state;
    private Duration delay;
    private boolean failDelegationMidway;
    private long operationCounter;
    private final List<Operation> pending = new ArrayList<>();
    private final List<EmulatorSnapshot.FailedOperation> failed = new ArrayList<>();

    PropagationQueue(EmulatorState state, Duration delay) {
        this.state = state;
        this.delay = delay;
    }

    Duration delay() {
        return delay;
    }

    void setDelay(Duration delay) {
        this.delay = delay;
    }

    boolean failDelegationMidway() {
        return failDelegationMidway;
    }

    void setFailDelegationMidway(boolean fail) {
        this.failDelegationMidway = fail;
    }

    /** Queues showing a domain's committed assignment once the delay has passed. */
    void propagate(String referenceId, Domain domain, Domain.Assignment target) {
        enqueue(referenceId, "domain-propagation", new DomainPropagation(domain.id, domain.version, target));
    }

    /** Starts a delegation saga; with no delay it runs before the caller answers. */
    void startDelegationChange(String referenceId, Account sub, List<String> revokePoolIds, String delegatePoolId) {
        String kind = delegatePoolId == null ? "revoke-delegation" : "delegation";
        DelegationChange change =
                new DelegationChange(sub.id, List.copyOf(revokePoolIds), delegatePoolId, failDelegationMidway);
        if (delay.isZero()) {
            apply(new Operation(++operationCounter, state.now(), referenceId, kind, change));
        } else {
            enqueue(referenceId, kind, change);
        }
    }

    /** True when the pool is delegated to the subaccount or a queued saga will delegate it. */
    boolean delegatedOrPending(Pool pool, Account sub) {
        if (pool.delegatedTo.contains(sub.id)) {
            return true;
        }
        return pending.stream()
                .map(Operation::work)
                .anyMatch(w -> w instanceof DelegationChange c
                        && c.subaccountId().equals(sub.id)
                        && pool.id.equals(c.delegatePoolId()));
    }

    void applyDue() {
        Instant now = state.now();
        while (!pending.isEmpty() && !pending.get(0).due().isAfter(now)) {
            apply(pending.remove(0));
        }
    }

    /** Applies all queued work now; returns how many operations ran. */
    int applyAll() {
        int count = 0;
        while (!pending.isEmpty()) {
            apply(pending.remove(0));
            count++;
        }
        return count;
    }

    List<EmulatorSnapshot.PendingOperation> pendingViews() {
        return pending.stream()
                .map(op -> new EmulatorSnapshot.PendingOperation(
                        op.referenceId(), op.kind(), op.due(), describe(op.work())))
                .toList();
    }

    List<EmulatorSnapshot.FailedOperation> failed() {
        return List.copyOf(failed);
    }

    private void enqueue(String referenceId, String kind, Work work) {
        Instant due = state.now().plus(delay);
        Operation op = new Operation(++operationCounter, due, referenceId, kind, work);
        int at = 0;
        while (at < pending.size() && !pending.get(at).due().isAfter(due)) {
            at++;
        }
        pending.add(at, op);
    }

    private void apply(Operation op) {
        if (op.work() instanceof DomainPropagation p) {
            state.domainById(p.domainId()).ifPresent(domain -> domain.show(p.version(), p.target()));
        } else if (op.work() instanceof DelegationChange c) {
            applyDelegation(op, c);
        }
    }

    private void applyDelegation(Operation op, DelegationChange change) {
        Account sub = state.account(change.subaccountId()).orElseThrow();
        List<Runnable> steps = new ArrayList<>();
        for (String poolId : change.revokePoolIds()) {
            Pool pool = state.pool(poolId).orElse(null);
            if (pool == null) {
                continue;
            }
            for (Domain domain : state.committedLinks(pool)) {
                if (domain.accountId.equals(sub.id)) {
                    steps.add(() -> {
                        state.resetToDefault(domain);
                        state.commit(domain, false);
                    });
                }
            }
            steps.add(() -> pool.delegatedTo.remove(sub.id));
        }
        String delegateId = change.delegatePoolId();
        Pool delegate = delegateId == null ? null : state.pool(delegateId).orElse(null);
        if (delegate != null) {
            steps.add(() -> delegate.delegatedTo.add(sub.id));
        }
        int runnable = change.failMidway() ? steps.size() / 2 : steps.size();
        steps.subList(0, runnable).forEach(Runnable::run);
        if (runnable < steps.size()) {
            failed.add(new EmulatorSnapshot.FailedOperation(
                    op.referenceId(), op.kind(), runnable, steps.size(), describe(op.work())));
        }
    }

    private String describe(Work work) {
        if (work instanceof DomainPropagation p) {
            String name = state.domainById(p.domainId()).map(d -> d.name).orElse(p.domainId());
            return p.target().poolId() == null
                    ? name + " -> ips " + p.target().ips()
                    : name + " -> pool " + p.target().poolId() + " "
                            + p.target().ips();
        }
        DelegationChange c = (DelegationChange) work;
        StringBuilder text = new StringBuilder("subaccount " + c.subaccountId());
        if (!c.revokePoolIds().isEmpty()) {
            text.append(" revoke ").append(c.revokePoolIds());
        }
        if (c.delegatePoolId() != null) {
            text.append(" delegate ").append(c.delegatePoolId());
        }
        return text.toString();
    }
}
