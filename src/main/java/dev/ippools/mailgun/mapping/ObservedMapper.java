package dev.ippools.mailgun.mapping;

import dev.ippools.mailgun.account.AccountState;
import dev.ippools.mailgun.account.AccountState.Reading;
import dev.ippools.mailgun.account.DomainObservation;
import dev.ippools.mailgun.account.Snapshot;
import dev.ippools.mailgun.client.model.AccountIps;
import dev.ippools.mailgun.client.model.IpWarmup;
import dev.ippools.mailgun.client.model.MailgunPool;
import dev.ippools.mailgun.plan.IndexedDomains;
import dev.ippools.mailgun.plan.ObservedAccount;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedDomain;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedIp;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedWarmup;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.WeakHashMap;
import java.util.function.Function;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;

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
    // changes are domains read), its IPs and pools are not made again, and the domains, kept in
    // persistent maps, change by the few that changed since.
    private static final Map<Object, Parts> LAST = Collections.synchronizedMap(new WeakHashMap<>());

    private record Parts(
            Snapshot snapshot,
            Map<String, IpWarmup> warmups,
            long domainsVersion,
            IndexedDomains domains,
            Map<String, ObservedIp> ips,
            PMap<String, ObservedPool> pools) {}

    static ObservedAccount observed(Reading reading) {
        Snapshot s = reading.snapshot();
        Parts before = LAST.get(reading.origin());
        Set<String> changed = before == null ? null : reading.domainsChangedAfter(before.domainsVersion());
        IndexedDomains domains;
        Set<String> poolsRelinked = new HashSet<>();
        if (changed == null) {
            domains = IndexedDomains.EMPTY;
            for (DomainObservation d : reading.domains().values()) {
                domains = with(domains, d);
            }
        } else {
            domains = before.domains();
            for (String name : changed) {
                ObservedDomain was = domains.get(name);
                domains = with(domains.without(name), reading.domains().get(name));
                ObservedDomain now = domains.get(name);
                if (was != null && was.linkedPoolId() != null) {
                    poolsRelinked.add(was.linkedPoolId());
                }
                if (now != null && now.linkedPoolId() != null) {
                    poolsRelinked.add(now.linkedPoolId());
                }
            }
        }
        boolean sameSnapshot = before != null && before.snapshot() == s && before.warmups() == reading.warmups();
        PMap<String, ObservedPool> pools;
        if (sameSnapshot && changed != null) {
            pools = before.pools();
            for (String poolId : poolsRelinked) {
                ObservedPool p = pools.get(poolId);
                if (p != null) {
                    pools = pools.plus(
                            poolId,
                            new ObservedPool(
                                    p.id(),
                                    p.name(),
                                    p.description(),
                                    p.ips(),
                                    p.inherited(),
                                    p.linked(),
                                    linkedTo(domains, poolId)));
                }
            }
        } else {
            pools = HashTreePMap.empty();
            for (MailgunPool p : s.pools()) {
                pools = pools.plus(
                        p.poolId(),
                        new ObservedPool(
                                p.poolId(),
                                p.name(),
                                p.description(),
                                new TreeSet<>(p.ips()),
                                p.inherited(),
                                p.linked(),
                                linkedTo(domains, p.poolId())));
            }
        }
        // A created pool or a poll that read the same IPs leaves them as they were.
        boolean sameIps = before != null
                && before.warmups() == reading.warmups()
                && (before.snapshot().ips() == s.ips()
                        || before.snapshot().ips().equals(s.ips()));
        Map<String, ObservedIp> ips = sameIps ? before.ips() : ips(reading, s);
        LAST.put(reading.origin(), new Parts(s, reading.warmups(), reading.domainsVersion(), domains, ips, pools));
        return new ObservedAccount(
                pools,
                ips,
                s.ips().dippsEnabled(),
                reading.delegationsInEffect(),
                domains,
                reading.delegationsPropagating());
    }

    private static IndexedDomains with(IndexedDomains domains, DomainObservation d) {
        return d != null && d.exists()
                ? domains.with(new ObservedDomain(d.name(), d.ips(), d.linkedPoolId()))
                : domains;
    }

    // Linked domains as far as domain observations tell; known only once one was read for a pool.
    private static Set<String> linkedTo(IndexedDomains domains, String poolId) {
        Set<String> names = domains.linkedTo(poolId);
        return names.isEmpty() ? null : names;
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
