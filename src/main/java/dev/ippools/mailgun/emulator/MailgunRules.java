package dev.ippools.mailgun.emulator;

import static dev.ippools.mailgun.emulator.ApiException.badRequest;
import static dev.ippools.mailgun.emulator.ApiException.forbidden;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Mailgun's rules (reference §6, rule numbers below), in one place: which IPs may join a pool or a
 * domain, which pools a caller may change, what may replace a pool or an IP, and what a domain
 * falls back to. Handlers and the fixture loader check them before changing anything, so a rejected
 * call leaves the state as it was. The {@code require...} methods answer 400 or 403; the {@code
 * ...Problem} methods return the reason, or null when the rule holds.
 */
final class MailgunRules {

    private static final Pattern DOMAIN_NAME = Pattern.compile(
            "^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", Pattern.CASE_INSENSITIVE);

    private final EmulatorState state;

    MailgunRules(EmulatorState state) {
        this.state = state;
    }

    // ---------------------------------------------------------------- Mailgun rule 19: validation

    static boolean isDomainName(String name) {
        return DOMAIN_NAME.matcher(name).matches();
    }

    static void requireIp(String address) {
        if (!IpAddresses.isValid(address)) {
            throw badRequest("invalid IP address: " + address);
        }
    }

    static void rejectIf(String problem) {
        if (problem != null) {
            throw badRequest(problem);
        }
    }

    // ---------------------------------------------------------------- rules 1 and 4: who may change

    void requireDipps() {
        if (!state.dippsEnabled()) {
            throw forbidden("DIPPs feature is not enabled for the account");
        }
    }

    void requireNotInherited(Pool pool, Account acting) {
        if (state.isInherited(pool, acting)) {
            throw badRequest("inherited pool cannot be modified");
        }
    }

    // ---------------------------------------------------------------- rules 2 and 3: eligible IPs

    /** Why an IP may not join {@code target} (null when it may); target null for a new pool. */
    String poolIpProblem(Account account, String address, Pool target) {
        String problem = domainIpProblem(account, address);
        if (problem != null) {
            return problem;
        }
        if (state.warming(address)) {
            return "IP " + address + " is on warmup and cannot be added to a pool";
        }
        if (state.cold(address)) {
            return "IP " + address + " has not been warmed up and cannot be added to a pool";
        }
        Optional<Pool> holder = state.poolHolding(address);
        if (holder.isPresent() && holder.get() != target) {
            return "IP " + address + " belongs to another pool";
        }
        return null;
    }

    void requirePoolIp(Account account, String address, Pool target) {
        rejectIf(poolIpProblem(account, address, target));
    }

    /** Why an IP may not be assigned to a domain of the account (null when it may). */
    String domainIpProblem(Account account, String address) {
        if (!IpAddresses.isValid(address)) {
            return "invalid IP address: " + address;
        }
        if (!state.owns(account, address)) {
            return "IP " + address + " does not belong to the account";
        }
        if (!state.ip(address).orElseThrow().dedicated()) {
            return "IP " + address + " is not a dedicated IP";
        }
        return null;
    }

    void requireDomainIp(Account account, String address) {
        rejectIf(domainIpProblem(account, address));
    }

    boolean assignableToPools(Ip ip) {
        return ip.dedicated()
                && ip.enabled()
                && !state.warming(ip.address())
                && !state.cold(ip.address())
                && state.poolHolding(ip.address()).isEmpty();
    }

    // ---------------------------------------------------------------- rules 8, 9 and 14: links

    /** Mailgun rule 8: a domain linked to a pool takes its IPs from the pool only. */
    void requireNotLinked(Domain domain) {
        if (domain.poolId != null) {
            throw badRequest("domain "
                    + domain.name
                    + " is linked to ip pool "
                    + domain.poolId
                    + "; its IPs cannot be changed directly");
        }
    }

    /** Mailgun rule 9: a pool without IPs cannot be linked to a domain. */
    void requireLinkable(Collection<String> poolIps) {
        if (poolIps.isEmpty()) {
            throw badRequest("only an ip pool with dedicated IPs can be linked to a domain");
        }
    }

    /**
     * Mailgun rule 14: a pool keeps at least one IP while domains (other than those unlinked) use it.
     */
    void requireKeepsAnIp(Pool pool, Collection<String> resultingIps, Collection<Domain> unlinked) {
        if (resultingIps.isEmpty() && state.committedLinks(pool).stream().anyMatch(d -> !unlinked.contains(d))) {
            throw badRequest("ip pool is linked to domains and must keep at least one IP");
        }
    }

    // ---------------------------------------------------------------- rules 6 and 10: replacements

    /**
     * A replacement pool for a delete or unlink. Unknown ids are a 400, not a 404: a 404 on DELETE
     * reads as "already gone" to clients.
     */
    Pool replacementPool(Account acting, String id, Pool replaced) {
        if (id.equals(replaced.id)) {
            throw badRequest("the replacement ip pool must differ from the replaced one");
        }
        Pool replacement =
                state.visiblePool(acting, id).orElseThrow(() -> badRequest("replacement ip pool " + id + " not found"));
        if (replacement.ips.isEmpty()) {
            throw badRequest("the replacement ip pool must have at least one IP");
        }
        return replacement;
    }

    /** A replacement IP ({@code shared} or a literal) for a pool that is deleted or unlinked. */
    String replacementIp(Account acting, String ip, Pool replaced) {
        if ("shared".equals(ip)) {
            if (!state.sharedIpEligible()) {
                throw badRequest("the account is not eligible for shared IPs");
            }
            return sharedIp().orElseThrow(() -> badRequest("no shared IP is available"));
        }
        requireDomainIp(acting, ip);
        state.poolHolding(ip).filter(holder -> holder != replaced).ifPresent(holder -> {
            throw badRequest("IP " + ip + " belongs to another pool");
        });
        return ip;
    }

    // ---------------------------------------------------------------- rules 11 and 13: fallbacks

    /** Mailgun rule 13: the account's enabled dedicated IPs, else the shared IP when eligible. */
    List<String> defaultIps(Account account) {
        List<String> dedicated = state.accountIps(account).stream()
                .filter(ip -> ip.dedicated() && ip.enabled())
                .map(Ip::address)
                .toList();
        if (!dedicated.isEmpty()) {
            return dedicated;
        }
        return state.sharedIpEligible() ? sharedIp().map(List::of).orElse(List.of()) : List.of();
    }

    /** The shared IP Mailgun would pick: the first non-dedicated IP of the fixture. */
    Optional<String> sharedIp() {
        return state.ips().stream()
                .filter(ip -> !ip.dedicated())
                .map(Ip::address)
                .findFirst();
    }

    /**
     * Mailgun rule 11: the IPs a domain keeps after losing some. With none left it falls back to the
     * shared IP, if eligible; with warming IPs only, Mailgun adds a warm one.
     */
    List<String> keepSending(Account acting, Domain domain, List<String> remaining) {
        List<String> kept = new ArrayList<>(remaining);
        if (kept.isEmpty()) {
            if (!state.sharedIpEligible()) {
                throw badRequest("cannot remove the last IP of domain "
                        + domain.name
                        + ": the account is not eligible for shared IPs");
            }
            sharedIp().ifPresent(kept::add);
        } else if (kept.stream().allMatch(this::isWarming)) {
            spareWarmIp(acting, kept).ifPresent(kept::add);
        }
        return List.copyOf(kept);
    }

    private boolean isWarming(String address) {
        return state.warming(address);
    }

    /** An enabled dedicated IP that is not warming up, not in a pool and not in {@code exclude}. */
    private Optional<String> spareWarmIp(Account account, List<String> exclude) {
        return state.accountIps(account).stream()
                .filter(ip -> ip.dedicated() && ip.enabled() && !state.warming(ip.address()))
                .map(Ip::address)
                .filter(a -> !exclude.contains(a) && state.poolHolding(a).isEmpty())
                .findFirst();
    }

    // ---------------------------------------------------------- Mailgun rule 17: subaccount IP links

    void requirePrimary(Account acting) {
        if (!acting.primary) {
            throw forbidden("only the parent account can link IPs to subaccounts");
        }
    }

    /** An IP may be linked to subaccounts unless it is in a pool of the parent. */
    void requireLinkableToSubaccounts(String address) {
        requireIp(address);
        Ip ip = state.ip(address).orElse(null);
        if (ip == null || !ip.dedicated()) {
            throw badRequest("IP " + address + " is not a dedicated IP of the account");
        }
        boolean inParentPool = state.poolHolding(address)
                .filter(p -> p.ownerId.equals(state.primary().id))
                .isPresent();
        if (inParentPool) {
            throw badRequest("IP " + address + " belongs to a dedicated IP pool of the parent account");
        }
    }

    /** An IP may be unlinked from subaccounts none of whose own pools or domains use it. */
    void requireUnlinkable(List<Account> subs, String address) {
        requireIp(address);
        for (Account sub : subs) {
            if (usedBySubaccount(sub, address)) {
                throw badRequest("IP " + address + " is used by a pool or domain of subaccount " + sub.id);
            }
        }
    }

    private boolean usedBySubaccount(Account sub, String address) {
        boolean inOwnPool = state.visiblePools(sub).stream()
                .anyMatch(p -> !state.isInherited(p, sub) && p.ips.containsKey(address));
        boolean onDomain = state.domains(sub).stream()
                .anyMatch(d -> state.committedAssignment(d).ips().contains(address)
                        || d.visible.ips().contains(address));
        return inOwnPool || onDomain;
    }
}
