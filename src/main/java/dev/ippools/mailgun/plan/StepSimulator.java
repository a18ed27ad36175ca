package dev.ippools.mailgun.plan;

import dev.ippools.mailgun.plan.ObservedAccount.ObservedDomain;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The account as Mailgun shows it once a list of steps ran and its background relinking settled.
 * Used by the {@code plan} command to plan bindings on top of the pools' changes, and by tests to
 * walk a plan to its end. Pure: no Kubernetes, no HTTP.
 *
 * <p>A step that Mailgun would reject (reference §6) does not change the account and is reported
 * as a violation instead, so a caller can show it or a test can fail on it.
 */
public final class StepSimulator {

    private StepSimulator() {}

    /**
     * @param violations what Mailgun would have rejected, one line per step, in order
     */
    public record Result(ObservedAccount account, List<String> violations) {}

    /**
     * @param newPoolId the id Mailgun gives the pool a create step makes
     */
    public static Result apply(
            ObservedAccount account, List<MailgunStep> steps, Function<MailgunStep.CreatePool, String> newPoolId) {
        State state = new State(account);
        for (MailgunStep step : steps) {
            String violation = state.apply(step, newPoolId);
            if (violation != null) {
                state.violations.add(step.describe() + ": " + violation);
            }
        }
        return new Result(state.settled(account), List.copyOf(state.violations));
    }

    /** Mutable copies of the account's maps while the steps run. */
    private static final class State {
        private final Map<String, ObservedPool> pools;
        private final Map<String, Set<String>> delegations = new LinkedHashMap<>();
        private final Map<String, ObservedDomain> domains;
        private final List<String> violations = new ArrayList<>();

        State(ObservedAccount account) {
            pools = new LinkedHashMap<>(account.pools());
            account.delegations().forEach((id, subs) -> delegations.put(id, new TreeSet<>(subs)));
            domains = new LinkedHashMap<>(account.domains());
        }

        /** Applies one step; returns why Mailgun would reject it, or null. */
        String apply(MailgunStep step, Function<MailgunStep.CreatePool, String> newPoolId) {
            if (step instanceof MailgunStep.CreatePool c) {
                String held = heldElsewhere(c.ips(), null);
                if (held != null) {
                    return held;
                }
                String id = newPoolId.apply(c);
                pools.put(
                        id,
                        new ObservedPool(id, c.name(), c.description(), new TreeSet<>(c.ips()), false, false, null));
                return null;
            }
            if (step instanceof MailgunStep.StartWarmup || step instanceof MailgunStep.CancelWarmup) {
                return null; // changes no pool and no domain
            }
            String domain = domainOf(step);
            return domain != null ? applyToDomain(step, domain) : applyToPool(step, poolIdOf(step));
        }

        private String applyToPool(MailgunStep step, String poolId) {
            ObservedPool p = pools.get(poolId);
            if (p == null) {
                return "no pool " + poolId;
            }
            if (step instanceof MailgunStep.UpdatePool u) {
                pools.put(
                        p.id(),
                        new ObservedPool(
                                p.id(),
                                u.name() != null ? u.name() : p.name(),
                                u.description() != null ? u.description() : p.description(),
                                p.ips(),
                                p.inherited(),
                                p.linked(),
                                p.linkedDomains()));
            } else if (step instanceof MailgunStep.AddPoolIps a) {
                String held = heldElsewhere(a.ips(), p.id());
                if (held != null) {
                    return held;
                }
                Set<String> ips = new TreeSet<>(p.ips());
                ips.addAll(a.ips());
                pools.put(p.id(), withIps(p, ips));
            } else if (step instanceof MailgunStep.RemovePoolIp r) {
                Set<String> ips = new TreeSet<>(p.ips());
                if (!ips.remove(r.ip())) {
                    return "the pool does not hold " + r.ip();
                }
                if (ips.isEmpty() && isLinked(p.id())) {
                    return "a linked pool keeps at least one IP";
                }
                pools.put(p.id(), withIps(p, ips));
            } else if (step instanceof MailgunStep.DelegatePool d) {
                delegations.computeIfAbsent(p.id(), id -> new TreeSet<>()).add(d.subaccountId());
            } else if (step instanceof MailgunStep.RevokePoolDelegation r) {
                delegations.computeIfAbsent(p.id(), id -> new TreeSet<>()).remove(r.subaccountId());
            } else if (step instanceof MailgunStep.DeletePool d) {
                return delete(p, d);
            }
            return null;
        }

        private String delete(ObservedPool p, MailgunStep.DeletePool d) {
            ObservedPool replacementPool = d.replacementPoolId() == null ? null : pools.get(d.replacementPoolId());
            if (d.replacementPoolId() != null && replacementPool == null) {
                return "no replacement pool " + d.replacementPoolId();
            }
            if (isLinked(p.id()) && replacementPool == null && d.replacementIp() == null) {
                return "a linked pool needs a replacement";
            }
            pools.remove(p.id());
            delegations.remove(p.id());
            for (ObservedDomain domain : List.copyOf(domains.values())) {
                if (p.id().equals(domain.linkedPoolId())) {
                    domains.put(
                            domain.name(),
                            replacementPool != null
                                    ? new ObservedDomain(domain.name(), replacementPool.ips(), replacementPool.id())
                                    : new ObservedDomain(domain.name(), Set.of(d.replacementIp()), null));
                }
            }
            return null;
        }

        private String applyToDomain(MailgunStep step, String name) {
            ObservedDomain d = domains.get(name);
            if (d == null) {
                return "no domain " + name;
            }
            if (step instanceof MailgunStep.LinkDomainPool l) {
                ObservedPool p = pools.get(l.poolId());
                if (p == null) {
                    return "no pool " + l.poolId();
                }
                if (p.ips().isEmpty()) {
                    return "only a pool with IPs can be linked";
                }
                domains.put(name, new ObservedDomain(name, p.ips(), p.id()));
            } else if (step instanceof MailgunStep.UnlinkDomainPool u) {
                if (d.linkedPoolId() == null) {
                    return "the domain is not linked to a pool";
                }
                ObservedPool to = u.replacementPoolId() == null ? null : pools.get(u.replacementPoolId());
                domains.put(
                        name,
                        to != null
                                ? new ObservedDomain(name, to.ips(), to.id())
                                : new ObservedDomain(name, Set.of(u.replacementIp()), null));
            } else if (step instanceof MailgunStep.RemoveDomainPool) {
                domains.put(name, new ObservedDomain(name, Set.of(), null));
            } else if (d.linkedPoolId() != null) {
                return "a linked domain's IPs change only through its pool";
            } else if (step instanceof MailgunStep.AssignDomainIp a) {
                Set<String> ips = new TreeSet<>(d.ips());
                ips.add(a.ip());
                domains.put(name, new ObservedDomain(name, ips, null));
            } else if (step instanceof MailgunStep.RemoveDomainIp r) {
                Set<String> ips = new TreeSet<>(d.ips());
                ips.remove(r.ip());
                if (ips.isEmpty()) {
                    return "a domain keeps at least one IP";
                }
                domains.put(name, new ObservedDomain(name, ips, null));
            }
            return null;
        }

        private String heldElsewhere(List<String> ips, String poolId) {
            for (String ip : ips) {
                for (ObservedPool other : pools.values()) {
                    if (!other.id().equals(poolId) && other.ips().contains(ip)) {
                        return ip + " is in pool " + other.id();
                    }
                }
            }
            return null;
        }

        private boolean isLinked(String poolId) {
            ObservedPool p = pools.get(poolId);
            return p != null && p.linked() || domains.values().stream().anyMatch(d -> poolId.equals(d.linkedPoolId()));
        }

        /** Linked domains follow their pool's IPs, as Mailgun's relinking ends up. */
        ObservedAccount settled(ObservedAccount before) {
            for (ObservedDomain d : List.copyOf(domains.values())) {
                ObservedPool linked = d.linkedPoolId() == null ? null : pools.get(d.linkedPoolId());
                if (linked != null && !linked.ips().equals(d.ips())) {
                    domains.put(d.name(), new ObservedDomain(d.name(), linked.ips(), linked.id()));
                }
            }
            return new ObservedAccount(pools, before.ips(), before.dippsEnabled(), delegations, domains);
        }
    }

    private static String poolIdOf(MailgunStep step) {
        if (step instanceof MailgunStep.UpdatePool u) {
            return u.poolId();
        } else if (step instanceof MailgunStep.AddPoolIps a) {
            return a.poolId();
        } else if (step instanceof MailgunStep.RemovePoolIp r) {
            return r.poolId();
        } else if (step instanceof MailgunStep.DelegatePool d) {
            return d.poolId();
        } else if (step instanceof MailgunStep.RevokePoolDelegation r) {
            return r.poolId();
        } else if (step instanceof MailgunStep.DeletePool d) {
            return d.poolId();
        }
        throw new IllegalArgumentException("not a pool step: " + step);
    }

    /** The domain a domain step changes; null for pool steps. */
    private static String domainOf(MailgunStep step) {
        if (step instanceof MailgunStep.LinkDomainPool l) {
            return l.domain();
        } else if (step instanceof MailgunStep.UnlinkDomainPool u) {
            return u.domain();
        } else if (step instanceof MailgunStep.AssignDomainIp a) {
            return a.domain();
        } else if (step instanceof MailgunStep.RemoveDomainIp r) {
            return r.domain();
        } else if (step instanceof MailgunStep.RemoveDomainPool r) {
            return r.domain();
        }
        return null;
    }

    private static ObservedPool withIps(ObservedPool p, Set<String> ips) {
        return new ObservedPool(
                p.id(), p.name(), p.description(), Set.copyOf(ips), p.inherited(), p.linked(), p.linkedDomains());
    }
}
