package dev.ippools.mailgun.emulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Builds the read-only {@link EmulatorSnapshot} the admin API and tests look at. */
final class StateSnapshot {

    private StateSnapshot() {}

    /** The snapshot of a state; call under its lock. */
    static EmulatorSnapshot of(EmulatorState state) {
        PropagationQueue propagation = state.propagation();
        return new EmulatorSnapshot(
                state.primaryId(),
                state.dippsEnabled(),
                state.sharedIpEligible(),
                propagation.delay(),
                propagation.failDelegationMidway(),
                ipViews(state),
                poolViews(state),
                domainViews(state),
                subaccountViews(state),
                propagation.pendingViews(),
                propagation.failed(),
                state.warmupStages(),
                state.warmupStageDuration());
    }

    private static List<EmulatorSnapshot.IpView> ipViews(EmulatorState state) {
        List<EmulatorSnapshot.IpView> views = new ArrayList<>();
        for (Ip ip : state.ips()) {
            List<String> subs = state.subaccounts().stream()
                    .filter(s -> s.linkedIps.contains(ip.address()))
                    .map(s -> s.id)
                    .toList();
            views.add(new EmulatorSnapshot.IpView(
                    ip.address(), ip.dedicated(), ip.enabled(), state.warming(ip.address()), ip.rdns(), subs));
        }
        return List.copyOf(views);
    }

    private static List<EmulatorSnapshot.PoolView> poolViews(EmulatorState state) {
        List<EmulatorSnapshot.PoolView> views = new ArrayList<>();
        for (Pool pool : state.pools()) {
            List<String> visible = state.domains().stream()
                    .filter(d -> pool.id.equals(d.visible.poolId()))
                    .sorted(Comparator.comparing(d -> d.id))
                    .map(d -> d.name)
                    .toList();
            views.add(new EmulatorSnapshot.PoolView(
                    pool.id,
                    pool.name,
                    pool.description,
                    pool.ownerId,
                    List.copyOf(pool.ips.keySet()),
                    List.copyOf(pool.delegatedTo),
                    state.committedLinks(pool).stream().map(d -> d.name).toList(),
                    visible));
        }
        return List.copyOf(views);
    }

    private static List<EmulatorSnapshot.DomainView> domainViews(EmulatorState state) {
        return state.domains().stream()
                .map(d -> new EmulatorSnapshot.DomainView(
                        d.id,
                        d.name,
                        d.accountId,
                        d.poolId,
                        state.committedAssignment(d).ips(),
                        d.visible.poolId(),
                        d.visible.ips()))
                .toList();
    }

    private static List<EmulatorSnapshot.SubaccountView> subaccountViews(EmulatorState state) {
        return state.subaccounts().stream()
                .map(s -> new EmulatorSnapshot.SubaccountView(s.id, s.name, List.copyOf(s.linkedIps)))
                .toList();
    }
}
