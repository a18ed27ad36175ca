package dev.ippools.mailgun.plan;

import dev.ippools.mailgun.plan.ObservedAccount.ObservedIp;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import dev.ippools.mailgun.plan.Plan.Problem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks desired records before anything is planned. Problems are data, never exceptions: every
 * method returns a (possibly empty) list and never throws. {@code validate} looks at the spec
 * alone; {@code checkAccount} at the spec against the observed account.
 */
public final class SpecValidator {

    /** Mailgun documents no limits; these keep obviously broken input out. */
    public static final int MAX_NAME_LENGTH = 255;

    public static final int MAX_DESCRIPTION_LENGTH = 1000;

    /** The special replacement IP value that makes Mailgun pick a shared IP. */
    public static final String SHARED = "shared";

    static final Problem FEATURE_OFF =
            new Problem(null, "the Mailgun account does not have the Dedicated IP Pools (DIPPs) feature enabled");

    private static final Pattern ID = Pattern.compile("[0-9a-f]{24}");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final String POOL_ID_ANNOTATION = "metadata.annotations[mailgun.ippools.dev/pool-id]";

    private SpecValidator() {}

    /** Spec-only checks of an IpPool. */
    public static List<Problem> validate(DesiredPool pool) {
        List<Problem> out = new ArrayList<>();
        if (!OwnershipMarker.isValidUid(pool.uid())) {
            out.add(new Problem(
                    "metadata.uid",
                    "is missing or contains whitespace; the operator stamps it into the pool"
                            + " description to prove ownership"));
        }
        if (pool.name() != null) {
            if (pool.name().isBlank()) {
                out.add(new Problem("spec.name", "must not be empty"));
            } else if (pool.name().length() > MAX_NAME_LENGTH) {
                out.add(new Problem(
                        "spec.name",
                        "is " + pool.name().length() + " characters; at most " + MAX_NAME_LENGTH + " are allowed"));
            } else if (pool.name().chars().anyMatch(Character::isISOControl)) {
                out.add(new Problem("spec.name", "must be one line without control characters"));
            }
        }
        if (pool.description() != null) {
            if (pool.description().length() > MAX_DESCRIPTION_LENGTH) {
                out.add(new Problem(
                        "spec.description",
                        "is "
                                + pool.description().length()
                                + " characters; at most "
                                + MAX_DESCRIPTION_LENGTH
                                + " are allowed"));
            }
            if (OwnershipMarker.containsMarker(pool.description())) {
                out.add(new Problem(
                        "spec.description",
                        "must not contain an ownership marker ([managed-by: ...]); the operator adds its" + " own"));
            }
        }
        checkIps(pool.ips(), "spec.ips", out);
        if (pool.delegatedTo() != null) {
            for (String subaccount : sorted(pool.delegatedTo())) {
                if (!isId(subaccount)) {
                    out.add(new Problem(
                            "spec.delegatedTo",
                            quote(subaccount) + " is not a subaccount id (24 lowercase hex characters)"));
                }
            }
        }
        if (pool.adoptPoolId() != null && !isId(pool.adoptPoolId())) {
            out.add(new Problem("spec.poolId", notAnId(pool.adoptPoolId())));
        }
        if (pool.recordedPoolId() != null && !isId(pool.recordedPoolId())) {
            out.add(new Problem(POOL_ID_ANNOTATION, notAnId(pool.recordedPoolId())));
        }
        checkReplacement(pool.replacement(), pool.key().name(), out);
        return out;
    }

    /** Spec-only checks of a DomainPoolBinding. */
    public static List<Problem> validate(DesiredBinding binding) {
        List<Problem> out = new ArrayList<>();
        if (binding.domain() == null || binding.domain().isBlank()) {
            out.add(new Problem("spec.domain", "must not be empty"));
        } else if (!isDomainName(binding.domain())) {
            out.add(new Problem("spec.domain", quote(binding.domain()) + " is not a valid domain name"));
        }
        DesiredBinding.Target target = binding.target();
        if (target == null) {
            out.add(new Problem("spec", "set exactly one of spec.poolRef.name, spec.poolId or spec.ips"));
        } else if (target instanceof DesiredBinding.Target.PoolRef ref) {
            if (ref.name() == null || ref.name().isBlank()) {
                out.add(new Problem("spec.poolRef.name", "must not be empty"));
            }
        } else if (target instanceof DesiredBinding.Target.PoolId id) {
            if (!isId(id.poolId())) {
                out.add(new Problem("spec.poolId", notAnId(id.poolId())));
            }
        } else if (target instanceof DesiredBinding.Target.Ips ips) {
            if (ips.ips() == null || ips.ips().isEmpty()) {
                out.add(new Problem("spec.ips", "must list at least one IP: a domain always sends from at least one"));
            }
            checkIps(ips.ips(), "spec.ips", out);
        }
        Replacement replacement = binding.replacement();
        checkReplacement(replacement, null, out);
        if (replacement instanceof Replacement.PoolRef r
                && target instanceof DesiredBinding.Target.PoolRef t
                && r.name() != null
                && r.name().equals(t.name())) {
            out.add(new Problem("spec.replacement.poolRef.name", "must name a different pool than spec.poolRef.name"));
        }
        if (replacement instanceof Replacement.PoolId r
                && target instanceof DesiredBinding.Target.PoolId t
                && r.poolId() != null
                && r.poolId().equals(t.poolId())) {
            out.add(new Problem("spec.replacement.poolId", "must name a different pool than spec.poolId"));
        }
        return out;
    }

    /**
     * An IpPool against the account: the DIPPs feature, and every IP the pool would have to add (IPs
     * it already holds are not re-checked) must be the account's, dedicated and assignable, or
     * warming up (waited for), or new under {@code spec.warmup: Start}; a linked pool must keep at
     * least one IP (Mailgun rule 14).
     */
    public static List<Problem> checkAccount(DesiredPool pool, PlanningContext ctx) {
        List<Problem> out = new ArrayList<>();
        if (!ctx.account().dippsEnabled()) {
            out.add(FEATURE_OFF);
            return out;
        }
        Optional<ObservedPool> owned = ctx.ownedPool(pool);
        Set<String> held = owned.map(p -> PlanningContext.canonicalSet(p.ips())).orElseGet(TreeSet::new);
        for (String ip : PlanningContext.canonicalSet(pool.ips())) {
            if (held.contains(ip) || !IpAddresses.isValid(ip)) {
                continue;
            }
            Optional<ObservedIp> observed = ctx.accountIp(ip);
            if (observed.isEmpty()) {
                out.add(new Problem("spec.ips", "IP " + ip + " is not an IP of this Mailgun account"));
            } else if (!observed.get().dedicated()) {
                out.add(new Problem(
                        "spec.ips", "IP " + ip + " is not a dedicated IP; only dedicated IPs can join a pool"));
            } else if (observed.get().onWarmup()) {
                continue; // waited for: the planner leaves it out until it is warm
            } else if (observed.get().cold(ctx.poolHolding(ip).isPresent())
                    && pool.warmup() != DesiredPool.WarmupPolicy.START) {
                out.add(new Problem(
                        "spec.ips",
                        "IP "
                                + ip
                                + " is not assignable to pools: it is neither warm nor warming up (a new IP;"
                                + " start its warm-up in Mailgun or set spec.warmup: Start), or it is in a"
                                + " Dynamic IP Pool"));
            }
        }
        if (owned.isPresent()
                && ctx.isLinked(owned.get())
                && (pool.ips() == null || pool.ips().isEmpty())) {
            out.add(new Problem(
                    "spec.ips",
                    "pool "
                            + owned.get().id()
                            + " is linked to domains and must keep at least one IP;"
                            + " list at least one IP, or move its domains to another pool first"));
        }
        return out;
    }

    /**
     * A DomainPoolBinding against the account: the domain must exist, pool targets need the DIPPs
     * feature, explicit IPs must be the account's dedicated IPs (pool membership does not matter).
     */
    public static List<Problem> checkAccount(DesiredBinding binding, PlanningContext ctx) {
        List<Problem> out = new ArrayList<>();
        if (ctx.domain(binding.domain()).isEmpty()) {
            out.add(new Problem("spec.domain", "domain not found on the Mailgun account: " + binding.domain()));
        }
        if (binding.target() instanceof DesiredBinding.Target.Ips ips) {
            for (String ip : PlanningContext.canonicalSet(ips.ips())) {
                Optional<ObservedIp> observed = ctx.accountIp(ip);
                if (observed.isEmpty()) {
                    out.add(new Problem("spec.ips", "IP " + ip + " is not an IP of this Mailgun account"));
                } else if (!observed.get().dedicated()) {
                    out.add(new Problem(
                            "spec.ips",
                            "IP "
                                    + ip
                                    + " is not a dedicated IP; only dedicated IPs can be assigned to a"
                                    + " domain"));
                }
            }
        } else if (binding.target() != null && !ctx.account().dippsEnabled()) {
            out.add(FEATURE_OFF);
        }
        return out;
    }

    /** A literal replacement IP against the account: the account's, dedicated. */
    static Optional<Problem> checkReplacementIp(String ip, PlanningContext ctx) {
        if (SHARED.equals(ip)) {
            return Optional.empty();
        }
        Optional<ObservedIp> observed = ctx.accountIp(ip);
        if (observed.isEmpty()) {
            return Optional.of(
                    new Problem("spec.replacement.ip", "IP " + ip + " is not an IP of this Mailgun account"));
        }
        if (!observed.get().dedicated()) {
            return Optional.of(new Problem(
                    "spec.replacement.ip", "IP " + ip + " is not a dedicated IP; use a dedicated IP or \"shared\""));
        }
        return Optional.empty();
    }

    /** Shape of a replacement alone, as checked when a deletion needs it. */
    static List<Problem> validateReplacement(Replacement replacement, String selfName) {
        List<Problem> out = new ArrayList<>();
        checkReplacement(replacement, selfName, out);
        return out;
    }

    static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    static boolean isDomainName(String domain) {
        String lower = domain.toLowerCase(Locale.ROOT);
        if (lower.length() > 253) {
            return false;
        }
        String[] labels = lower.split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        // an all-numeric top-level label means an IP address, not a domain
        return !labels[labels.length - 1].chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static void checkReplacement(Replacement replacement, String selfName, List<Problem> out) {
        if (replacement instanceof Replacement.Ip ip) {
            if (ip.ip() == null || ip.ip().isBlank()) {
                out.add(new Problem("spec.replacement.ip", "must not be empty"));
            } else if (!ip.shared() && !IpAddresses.isValid(ip.ip())) {
                out.add(new Problem(
                        "spec.replacement.ip", quote(ip.ip()) + " is neither a valid IP address nor \"shared\""));
            }
        } else if (replacement instanceof Replacement.PoolId id) {
            if (!isId(id.poolId())) {
                out.add(new Problem("spec.replacement.poolId", notAnId(id.poolId())));
            }
        } else if (replacement instanceof Replacement.PoolRef ref) {
            if (ref.name() == null || ref.name().isBlank()) {
                out.add(new Problem("spec.replacement.poolRef.name", "must not be empty"));
            } else if (ref.name().equals(selfName)) {
                out.add(new Problem("spec.replacement.poolRef.name", "must name another IpPool, not this one"));
            }
        }
    }

    private static void checkIps(Set<String> ips, String field, List<Problem> out) {
        if (ips == null) {
            return;
        }
        Map<String, String> seen = new HashMap<>();
        for (String ip : sorted(ips)) {
            if (ip == null || ip.isBlank()) {
                out.add(new Problem(field, "contains an empty entry"));
            } else if (SHARED.equals(ip)) {
                out.add(new Problem(field, "\"shared\" is not an address; it is only allowed as spec.replacement.ip"));
            } else {
                Optional<String> canonical = IpAddresses.canonical(ip);
                if (canonical.isEmpty()) {
                    out.add(new Problem(field, quote(ip) + " is not a valid IPv4 or IPv6 address"));
                } else {
                    String earlier = seen.putIfAbsent(canonical.get(), ip);
                    if (earlier != null) {
                        out.add(new Problem(field, quote(earlier) + " and " + quote(ip) + " are the same address"));
                    }
                }
            }
        }
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream()
                .sorted(Comparator.nullsFirst(Comparator.naturalOrder()))
                .toList();
    }

    private static String notAnId(String value) {
        return quote(value) + " is not a Mailgun pool id (24 lowercase hex characters)";
    }

    private static String quote(String value) {
        return "\"" + value + "\"";
    }
}
