package dev.ippools.mailgun.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A read-only copy of the whole emulator state at one moment, for tests and the {@code
 * /_emulator/state} dump. Domain fields come in two flavours: committed (what the rules see) and
 * visible (what Mailgun's read endpoints show once background propagation has run).
 */
public record EmulatorSnapshot(
        String accountId,
        boolean dippsEnabled,
        boolean sharedIpEligible,
        Duration propagationDelay,
        boolean failDelegationMidway,
        List<IpView> ips,
        List<PoolView> pools,
        List<DomainView> domains,
        List<SubaccountView> subaccounts,
        List<PendingOperation> pending,
        List<FailedOperation> failedOperations,
        int warmupStages,
        Duration warmupStageDuration) {

    /** An account IP; {@code linkedSubaccounts} are the subaccounts it is linked to. */
    public record IpView(
            String ip,
            boolean dedicated,
            boolean enabled,
            boolean warmup,
            String rdns,
            List<String> linkedSubaccounts) {}

    /**
     * A pool with its owner, members, applied delegations, committed links and the links that reads
     * currently show (domain names).
     */
    public record PoolView(
            String id,
            String name,
            String description,
            String ownerAccountId,
            List<String> ips,
            List<String> delegatedTo,
            List<String> linkedDomains,
            List<String> visibleLinkedDomains) {}

    /** A domain: committed pool and IPs, and the pool and IPs reads currently show. */
    public record DomainView(
            String id,
            String name,
            String accountId,
            String poolId,
            List<String> ips,
            String visiblePoolId,
            List<String> visibleIps) {}

    public record SubaccountView(String id, String name, List<String> ips) {}

    /** Background work Mailgun has started and not yet finished. */
    public record PendingOperation(String referenceId, String kind, Instant due, String detail) {}

    /** A delegation saga stopped midway by the fault knob: how many of its steps ran. */
    public record FailedOperation(String referenceId, String kind, int appliedSteps, int totalSteps, String detail) {}

    public Optional<PoolView> pool(String id) {
        return pools.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    public Optional<PoolView> poolNamed(String name) {
        return pools.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public Optional<DomainView> domain(String name) {
        return domains.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /** The IPs {@code GET /v3/domains/{name}/ips} shows now. */
    public List<String> domainIps(String name) {
        return domain(name).map(DomainView::visibleIps).orElseThrow(() -> unknownDomain(name));
    }

    /** The pool {@code name} visibly uses now, if any. */
    public Optional<String> linkedPool(String name) {
        DomainView domain = domain(name).orElseThrow(() -> unknownDomain(name));
        return Optional.ofNullable(domain.visiblePoolId());
    }

    private static IllegalArgumentException unknownDomain(String name) {
        return new IllegalArgumentException("no domain " + name + " in the emulator");
    }
}
