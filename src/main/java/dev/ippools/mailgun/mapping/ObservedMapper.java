package dev.ippools.mailgun.mapping;

import dev.ippools.mailgun.account.AccountState;
import dev.ippools.mailgun.account.AccountState.Reading;
import dev.ippools.mailgun.account.DomainObservation;
import dev.ippools.mailgun.account.Snapshot;
import dev.ippools.mailgun.client.model.AccountIps;
import dev.ippools.mailgun.client.model.IpWarmup;
import dev.ippools.mailgun.client.model.MailgunPool;
import dev.ippools.mailgun.plan.ObservedAccount;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedDomain;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedIp;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedWarmup;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What Mailgun showed of an account, as the planner's {@link ObservedAccount}: the mirror of
 * {@link DesiredMapper}, which makes the planner's records of the custom resources.
 */
public final class ObservedMapper {

    private static final Function<Reading, ObservedAccount> BUILD = ObservedMapper::observed;

    private ObservedMapper() {}

    /** The planner's view of the account, made once per change of what is known of it. */
    public static ObservedAccount observed(AccountState account) {
        return account.view(BUILD);
    }

    // The last view's parts by what they were made from: while the snapshot stands (most view
    // changes are domains read), its IPs and pools' IP sets are not made again, nor the records
    // of domains whose observation is the same object.
    private static volatile Parts last;

    private record Parts(
            Snapshot snapshot,
            Map<String, IpWarmup> warmups,
            Map<String, ObservedIp> ips,
            Map<String, Set<String>> poolIps,
            IdentityHashMap<DomainObservation, ObservedDomain> domains) {}

    static ObservedAccount observed(Reading reading) {
        Snapshot s = reading.snapshot();
        Parts before = last;
        boolean sameSnapshot = before != null && before.snapshot() == s && before.warmups() == reading.warmups();
        IdentityHashMap<DomainObservation, ObservedDomain> domainRecords = new IdentityHashMap<>();
        Map<String, ObservedDomain> observedDomains = new LinkedHashMap<>();
        // Linked domains as far as domain observations tell; known only once one was read for a pool.
        Map<String, Set<String>> linkedByPool = new HashMap<>();
        for (DomainObservation d : reading.domains()) {
            if (d.exists()) {
                ObservedDomain known = before == null ? null : before.domains().get(d);
                ObservedDomain record = known != null ? known : new ObservedDomain(d.name(), d.ips(), d.linkedPoolId());
                domainRecords.put(d, record);
                observedDomains.put(d.name(), record);
            }
            if (d.linkedPoolId() != null) {
                linkedByPool
                        .computeIfAbsent(d.linkedPoolId(), k -> new TreeSet<>())
                        .add(d.name());
            }
        }
        Map<String, Set<String>> poolIps = sameSnapshot ? before.poolIps() : new HashMap<>();
        Map<String, ObservedPool> pools = new LinkedHashMap<>();
        for (MailgunPool p : s.pools()) {
            Set<String> ipSet = sameSnapshot ? poolIps.get(p.poolId()) : null;
            if (ipSet == null) {
                ipSet = new TreeSet<>(p.ips());
                poolIps.put(p.poolId(), ipSet);
            }
            pools.put(
                    p.poolId(),
                    new ObservedPool(
                            p.poolId(),
                            p.name(),
                            p.description(),
                            ipSet,
                            p.inherited(),
                            p.linked(),
                            linkedByPool.get(p.poolId())));
        }
        Map<String, ObservedIp> ips = sameSnapshot ? before.ips() : ips(reading, s);
        last = new Parts(s, reading.warmups(), ips, poolIps, domainRecords);
        return new ObservedAccount(
                Map.copyOf(pools),
                ips,
                s.ips().dippsEnabled(),
                reading.delegationsInEffect(),
                Map.copyOf(observedDomains),
                reading.delegationsPropagating());
    }

    private static Map<String, ObservedIp> ips(Reading reading, Snapshot s) {
        Map<String, ObservedIp> ips = new LinkedHashMap<>();
        AccountIps accountIps = s.ips();
        Set<String> warming = new HashSet<>();
        if (accountIps.details() != null) {
            accountIps.details().stream().filter(AccountIps.IpDetail::onWarmup).forEach(d -> warming.add(d.ip()));
        }
        Set<String> assignable =
                accountIps.assignableToPools() == null ? Set.of() : Set.copyOf(accountIps.assignableToPools());
        for (String ip : accountIps.items()) {
            boolean onWarmup = warming.contains(ip);
            ips.put(
                    ip,
                    new ObservedIp(
                            ip,
                            true,
                            onWarmup,
                            assignable.contains(ip),
                            onWarmup ? warmup(reading.warmups().get(ip)) : null));
        }
        return Map.copyOf(ips);
    }

    /** The progress Mailgun reported, or null when it was not read (yet). */
    private static ObservedWarmup warmup(IpWarmup w) {
        return w == null
                ? null
                : new ObservedWarmup(
                        w.stage(), w.totalStages(), w.sentWithinStage(), w.stageStartedAt(), w.planStartedAt());
    }
}
