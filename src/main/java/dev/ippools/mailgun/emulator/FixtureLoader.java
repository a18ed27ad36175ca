package dev.ippools.mailgun.emulator;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Fills an empty state from an {@link AccountFixture}, checking it against the same rules as the
 * API so that a loaded account is one Mailgun could have; an inconsistent fixture fails to load.
 */
final class FixtureLoader {

    private static final Pattern OBJECT_ID = Pattern.compile("^[0-9a-f]{24}$");

    private final EmulatorState state;

    FixtureLoader(EmulatorState state) {
        this.state = state;
    }

    void load(AccountFixture fixture) {
        String accountId = fixture.accountId() == null ? state.newId() : fixture.accountId();
        requireObjectId(accountId, "accountId");
        state.setFeatures(fixture.features().dipps(), fixture.features().sharedIpEligible());
        loadWarmupPlan(fixture.warmupPlan());
        Account primary = new Account(accountId, "primary", true);
        state.addAccount(primary);
        fixture.ips().forEach(this::loadIp);
        fixture.subaccounts().forEach(this::loadSubaccount);
        fixture.pools().forEach(pool -> loadPool(primary, pool));
        fixture.subaccounts().forEach(this::loadSubaccountIps);
        for (AccountFixture.DomainFixture df : fixture.domains()) {
            loadDomain(primary, df);
        }
        for (AccountFixture.SubaccountFixture sf : fixture.subaccounts()) {
            for (AccountFixture.DomainFixture df : sf.domains()) {
                loadDomain(state.account(sf.id()).orElseThrow(), df);
            }
        }
    }

    private void loadIp(AccountFixture.IpFixture ip) {
        if (!IpAddresses.isValid(ip.ip())) {
            throw fixtureError("invalid IP address '" + ip.ip() + "'");
        }
        if (state.ip(ip.ip()).isPresent()) {
            throw fixtureError("IP " + ip.ip() + " is listed twice");
        }
        String rdns = ip.rdns() == null ? defaultRdns(ip.ip()) : ip.rdns();
        state.addIp(new Ip(ip.ip(), ip.dedicated(), ip.enabled(), rdns));
        if ((ip.warmup() || !ip.warm()) && !ip.dedicated()) {
            throw fixtureError("IP " + ip.ip() + " is shared; only dedicated IPs warm up");
        }
        if (ip.warmup() && !ip.warm()) {
            throw fixtureError("IP " + ip.ip() + " cannot be warming up and never warmed (warm: false)");
        }
        if (ip.warmupStage() != null && !ip.warmup()) {
            throw fixtureError("IP " + ip.ip() + " has a warmupStage but is not warming up");
        }
        int stage = ip.warmupStage() == null ? 1 : ip.warmupStage();
        if (stage < 1 || stage > state.warmupStages()) {
            throw fixtureError("IP " + ip.ip() + ": warmupStage must be between 1 and " + state.warmupStages());
        }
        if (ip.warmup()) {
            state.startWarmup(ip.ip(), stage);
        } else if (!ip.warm()) {
            state.markCold(ip.ip());
        }
    }

    private void loadWarmupPlan(AccountFixture.WarmupPlan plan) {
        java.time.Duration stageDuration;
        try {
            stageDuration = java.time.Duration.parse(plan.stageDuration());
        } catch (java.time.format.DateTimeParseException e) {
            throw fixtureError("warmupPlan.stageDuration '" + plan.stageDuration() + "' is not an ISO-8601 duration");
        }
        try {
            state.setWarmupPlan(plan.stages(), stageDuration);
        } catch (IllegalArgumentException e) {
            throw fixtureError("warmupPlan: " + e.getMessage());
        }
    }

    private void loadSubaccount(AccountFixture.SubaccountFixture sub) {
        requireObjectId(sub.id(), "subaccount id");
        if (state.account(sub.id()).isPresent()) {
            throw fixtureError("account id " + sub.id() + " is used twice");
        }
        String name = sub.name() == null ? sub.id() : sub.name();
        state.addAccount(new Account(sub.id(), name, false));
    }

    private void loadPool(Account primary, AccountFixture.PoolFixture pf) {
        if (pf.name() == null || pf.name().isBlank()) {
            throw fixtureError("every pool needs a name");
        }
        String id = pf.id() == null ? state.newId() : pf.id();
        requireObjectId(id, "pool id");
        if (state.pool(id).isPresent()) {
            throw fixtureError("pool id " + id + " is used twice");
        }
        String description = pf.description() == null ? pf.name() : pf.description();
        Pool pool = new Pool(id, primary.id, pf.name(), description);
        for (String address : pf.ips()) {
            String problem = state.rules().poolIpProblem(primary, address, null);
            if (problem != null) {
                throw fixtureError("pool " + pf.name() + ": " + problem);
            }
            pool.ips.put(address, state.now());
        }
        state.addPool(pool);
        for (String subId : pf.delegatedTo()) {
            if (state.subaccount(subId).isEmpty()) {
                throw fixtureError("pool " + pf.name() + " is delegated to unknown subaccount " + subId);
            }
            pool.delegatedTo.add(subId);
        }
    }

    private void loadSubaccountIps(AccountFixture.SubaccountFixture sf) {
        Account sub = state.account(sf.id()).orElseThrow();
        for (String address : sf.ips()) {
            Ip ip = state.ip(address).orElse(null);
            if (ip == null || !ip.dedicated()) {
                throw fixtureError("subaccount " + sf.id() + ": " + address + " is not a dedicated IP of the account");
            }
            if (state.poolHolding(address).isPresent()) {
                throw fixtureError("subaccount " + sf.id() + ": " + address + " belongs to a pool of the parent");
            }
            sub.linkedIps.add(address);
        }
    }

    private void loadDomain(Account account, AccountFixture.DomainFixture df) {
        if (df.name() == null || !MailgunRules.isDomainName(df.name())) {
            throw fixtureError("invalid domain name '" + df.name() + "'");
        }
        String name = df.name().toLowerCase(Locale.ROOT);
        if (state.domainNamed(name).isPresent()) {
            throw fixtureError("domain " + name + " is listed twice");
        }
        String id = df.id() == null ? state.newId() : df.id();
        requireObjectId(id, "domain id");
        if (state.domainById(id).isPresent()) {
            throw fixtureError("domain id " + id + " is used twice");
        }
        Domain domain = new Domain(id, name, account.id, state.now());
        if (df.pool() != null && df.ips() != null) {
            throw fixtureError("domain " + name + " sets both pool and ips");
        }
        if (df.pool() != null) {
            Pool pool = state.visiblePools(account).stream()
                    .filter(p -> p.id.equals(df.pool()) || p.name.equals(df.pool()))
                    .findFirst()
                    .orElseThrow(() -> fixtureError("domain " + name + ": unknown pool " + df.pool()));
            if (pool.ips.isEmpty()) {
                throw fixtureError("domain " + name + ": pool " + df.pool() + " has no IPs");
            }
            domain.linkTo(pool);
        } else if (df.ips() != null) {
            for (String address : df.ips()) {
                String problem = state.rules().domainIpProblem(account, address);
                if (problem != null) {
                    throw fixtureError("domain " + name + ": " + problem);
                }
            }
            domain.assign(List.copyOf(new LinkedHashSet<>(df.ips())));
        } else {
            domain.assign(state.rules().defaultIps(account));
        }
        state.addDomain(domain);
        state.commit(domain, false);
    }

    private static IllegalArgumentException fixtureError(String message) {
        return new IllegalArgumentException("emulator fixture: " + message);
    }

    private static void requireObjectId(String value, String what) {
        if (value == null || !OBJECT_ID.matcher(value).matches()) {
            throw fixtureError(what + " must be 24 lowercase hex characters, got '" + value + "'");
        }
    }

    private static String defaultRdns(String address) {
        return "ip-" + address.replace('.', '-').replace(':', '-') + ".mailgun.example";
    }
}
