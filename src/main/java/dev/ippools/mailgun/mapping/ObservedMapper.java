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

    static ObservedAccount observed(Reading reading) {
        Map<String, ObservedDomain> observedDomains = new LinkedHashMap<>();
        // Linked domains as far as domain observations tell; known only once one was read for a pool.
        Map<String, Set<String>> linkedByPool = new HashMap<>();
        for (DomainObservation d : reading.domains()) {
            if (d.exists()) {
                observedDomains.put(d.name(), new ObservedDomain(d.name(), d.ips(), d.linkedPoolId()));
            }
            if (d.linkedPoolId() != null) {
                linkedByPool
                        .computeIfAbsent(d.linkedPoolId(), k -> new TreeSet<>())
                        .add(d.name());
            }
        }
        Snapshot s = reading.snapshot();
        Map<String, ObservedPool> pools = new LinkedHashMap<>();
        for (MailgunPool p : s.pools()) {
            pools.put(
                    p.poolId(),
                    new ObservedPool(
                            p.poolId(),
                            p.name(),
                            p.description(),
                            new TreeSet<>(p.ips()),
                            p.inherited(),
                            p.linked(),
                            linkedByPool.get(p.poolId())));
        }
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
        return new ObservedAccount(
                pools,
                ips,
                accountIps.dippsEnabled(),
                reading.delegationsInEffect(),
                observedDomains,
                reading.delegationsPropagating());
    }

    /** The progress Mailgun reported, or null when it was not read (yet). */
    private static ObservedWarmup warmup(IpWarmup w) {
        return w == null
                ? null
                : new ObservedWarmup(
                        w.stage(), w.totalStages(), w.sentWithinStage(), w.stageStartedAt(), w.planStartedAt());
    }
}
