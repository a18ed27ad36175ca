package dev.ippools.mailgun.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.plan.ObservedAccount.ObservedDomain;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedIp;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Small builders for planner tests: desired records, an observed account, expectations. */
final class Fixtures {

    static final String NS = "mail";
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static final String IP1 = "10.0.0.1";
    static final String IP2 = "10.0.0.2";
    static final String IP3 = "10.0.0.3";
    static final String IP4 = "10.0.0.4";
    static final String IP6 = "2001:db8::1";
    static final String SHARED_ONLY = "192.0.2.50";
    static final String WARMING = "192.0.2.60";
    /** A new dedicated IP: neither warm nor warming, so not assignable to pools. */
    static final String COLD = "192.0.2.61";

    static final String POOL_A = "000000000000000000000a01";
    static final String POOL_B = "000000000000000000000b01";
    static final String POOL_C = "000000000000000000000c01";
    static final String FOREIGN = "000000000000000000000f01";
    static final String SUB_1 = "0000000000000000000005b1";
    static final String SUB_2 = "0000000000000000000005b2";

    static final String DOMAIN = "news.example.com";

    private Fixtures() {}

    static ResourceKey key(String name) {
        return new ResourceKey(NS, name);
    }

    static String stamped(String description, String uid) {
        return OwnershipMarker.stamp(description, uid);
    }

    // ---- desired pools

    static PoolBuilder pool(String name) {
        return new PoolBuilder(name);
    }

    static final class PoolBuilder {
        private final String resourceName;
        private String namespace = NS;
        private Set<String> sharedWith = Set.of();
        private String uid;
        private Instant createdAt = T0;
        private String name;
        private String description;
        private Set<String> ips = new LinkedHashSet<>();
        private Set<String> delegatedTo = new LinkedHashSet<>();
        private String adoptPoolId;
        private String recordedPoolId;
        private ManagementPolicy policy = ManagementPolicy.MANAGE;
        private boolean deleting;
        private DesiredPool.DeletionPolicy deletionPolicy = DesiredPool.DeletionPolicy.DELETE;
        private Replacement replacement;
        private DesiredPool.WarmupPolicy warmup = DesiredPool.WarmupPolicy.WAIT;
        private Set<String> warmupsStarted = Set.of();
        private DesiredPool.Adoption adoption = DesiredPool.Adoption.IF_UNCHANGED;
        private String ownerId;
        private String handOverFrom;

        private PoolBuilder(String resourceName) {
            this.resourceName = resourceName;
            this.uid = "uid-" + resourceName;
            this.name = resourceName;
            this.description = "pool " + resourceName;
        }

        /** spec.warmup: Start, with the IPs whose warm-up the operator already started. */
        PoolBuilder startsWarmups(String... started) {
            warmup = DesiredPool.WarmupPolicy.START;
            warmupsStarted = Set.of(started);
            return this;
        }

        PoolBuilder uid(String value) {
            uid = value;
            return this;
        }

        PoolBuilder namespace(String value) {
            namespace = value;
            return this;
        }

        PoolBuilder sharedWith(String... namespaces) {
            sharedWith = Set.of(namespaces);
            return this;
        }

        PoolBuilder createdAt(int secondsAfterT0) {
            createdAt = T0.plusSeconds(secondsAfterT0);
            return this;
        }

        PoolBuilder name(String value) {
            name = value;
            return this;
        }

        PoolBuilder description(String value) {
            description = value;
            return this;
        }

        PoolBuilder ips(String... values) {
            ips = new LinkedHashSet<>(List.of(values));
            return this;
        }

        PoolBuilder delegatedTo(String... values) {
            delegatedTo = new LinkedHashSet<>(List.of(values));
            return this;
        }

        PoolBuilder adopt(String poolId) {
            adoptPoolId = poolId;
            return this;
        }

        PoolBuilder recorded(String poolId) {
            recordedPoolId = poolId;
            return this;
        }

        PoolBuilder observe() {
            policy = ManagementPolicy.OBSERVE;
            return this;
        }

        PoolBuilder deleting() {
            deleting = true;
            return this;
        }

        PoolBuilder orphan() {
            deletionPolicy = DesiredPool.DeletionPolicy.ORPHAN;
            return this;
        }

        PoolBuilder replacement(Replacement value) {
            replacement = value;
            return this;
        }

        /** Planned by the operator with this owner id. */
        PoolBuilder ownerId(String value) {
            ownerId = value;
            return this;
        }

        /** The hand-over annotation: takes over a pool of this owner id. */
        PoolBuilder handOverFrom(String value) {
            handOverFrom = value;
            return this;
        }

        /** spec.adoption: Overwrite. */
        PoolBuilder overwrite() {
            adoption = DesiredPool.Adoption.OVERWRITE;
            return this;
        }

        DesiredPool build() {
            return new DesiredPool(
                    new ResourceKey(namespace, resourceName),
                    uid,
                    createdAt,
                    name,
                    description,
                    ips,
                    delegatedTo,
                    adoptPoolId,
                    recordedPoolId,
                    policy,
                    deleting,
                    deletionPolicy,
                    replacement,
                    sharedWith,
                    warmup,
                    warmupsStarted,
                    adoption,
                    ownerId,
                    handOverFrom);
        }
    }

    // ---- desired bindings

    static BindingBuilder binding(String name) {
        return new BindingBuilder(name);
    }

    static final class BindingBuilder {
        private final String resourceName;
        private String namespace = NS;
        private Instant createdAt = T0;
        private String domain = DOMAIN;
        private DesiredBinding.Target target;
        private ManagementPolicy policy = ManagementPolicy.MANAGE;
        private boolean deleting;
        private DesiredBinding.OnDelete onDelete = DesiredBinding.OnDelete.UNLINK;
        private Replacement replacement;
        private boolean adoptsOnlyUnchanged;

        private BindingBuilder(String resourceName) {
            this.resourceName = resourceName;
        }

        BindingBuilder createdAt(int secondsAfterT0) {
            createdAt = T0.plusSeconds(secondsAfterT0);
            return this;
        }

        BindingBuilder namespace(String value) {
            namespace = value;
            return this;
        }

        BindingBuilder domain(String value) {
            domain = value;
            return this;
        }

        BindingBuilder poolRef(String name) {
            target = new DesiredBinding.Target.PoolRef(name);
            return this;
        }

        BindingBuilder poolId(String id) {
            target = new DesiredBinding.Target.PoolId(id);
            return this;
        }

        BindingBuilder ips(String... values) {
            target = new DesiredBinding.Target.Ips(new LinkedHashSet<>(List.of(values)));
            return this;
        }

        BindingBuilder noTarget() {
            target = null;
            return this;
        }

        BindingBuilder observe() {
            policy = ManagementPolicy.OBSERVE;
            return this;
        }

        BindingBuilder deleting(DesiredBinding.OnDelete value) {
            deleting = true;
            onDelete = value;
            return this;
        }

        BindingBuilder replacement(Replacement value) {
            replacement = value;
            return this;
        }

        /** Not settled yet, spec.adoption IfUnchanged. */
        BindingBuilder adopting() {
            adoptsOnlyUnchanged = true;
            return this;
        }

        DesiredBinding build() {
            return new DesiredBinding(
                    new ResourceKey(namespace, resourceName),
                    createdAt,
                    domain,
                    target,
                    policy,
                    deleting,
                    onDelete,
                    replacement,
                    adoptsOnlyUnchanged);
        }
    }

    // ---- observed account

    /** An account whose IPs 10.0.0.1-4 and 2001:db8::1 are dedicated and assignable. */
    static AccountBuilder account() {
        return new AccountBuilder()
                .dedicated(IP1, IP2, IP3, IP4, IP6)
                .ip(new ObservedIp(SHARED_ONLY, false, false, false))
                .ip(new ObservedIp(WARMING, true, true, false))
                .ip(new ObservedIp(COLD, true, false, false));
    }

    static final class AccountBuilder {
        private final Map<String, ObservedPool> pools = new LinkedHashMap<>();
        private final Map<String, ObservedIp> ips = new LinkedHashMap<>();
        private boolean dippsEnabled = true;
        private final Map<String, Set<String>> delegations = new LinkedHashMap<>();
        private final Map<String, ObservedDomain> domains = new LinkedHashMap<>();
        private final Map<String, Set<String>> propagating = new LinkedHashMap<>();

        AccountBuilder dedicated(String... addresses) {
            for (String ip : addresses) {
                ips.put(ip, new ObservedIp(ip, true, false, true));
            }
            return this;
        }

        /** {@code ip} warming up, in {@code stage} of {@code total}, as the progress read says. */
        AccountBuilder warming(String ip, int stage, int total, String sent) {
            return ip(new ObservedIp(
                    ip,
                    true,
                    true,
                    false,
                    new ObservedAccount.ObservedWarmup(
                            stage, total, sent, T0, T0.minus(java.time.Duration.ofDays(stage - 1L)))));
        }

        AccountBuilder ip(ObservedIp ip) {
            ips.put(ip.ip(), ip);
            return this;
        }

        AccountBuilder dippsOff() {
            dippsEnabled = false;
            return this;
        }

        /** A pool the operator created for the IpPool named {@code owner} (marker with its uid). */
        AccountBuilder owned(String id, String owner, String... poolIps) {
            return pool(new ObservedPool(
                    id, owner, stamped("pool " + owner, "uid-" + owner), Set.of(poolIps), false, false, null));
        }

        /** A pool nobody here manages. */
        AccountBuilder foreign(String id, String name, String... poolIps) {
            return pool(new ObservedPool(id, name, "legacy " + name, Set.of(poolIps), false, false, null));
        }

        AccountBuilder pool(ObservedPool pool) {
            pools.put(pool.id(), pool);
            return this;
        }

        /** Marks an existing pool as linked (Mailgun's is_linked). */
        AccountBuilder linked(String id) {
            ObservedPool p = pools.get(id);
            pools.put(
                    id,
                    new ObservedPool(
                            p.id(), p.name(), p.description(), p.ips(), p.inherited(), true, p.linkedDomains()));
            return this;
        }

        AccountBuilder inherited(String id) {
            ObservedPool p = pools.get(id);
            pools.put(
                    id,
                    new ObservedPool(p.id(), p.name(), p.description(), p.ips(), true, p.linked(), p.linkedDomains()));
            return this;
        }

        AccountBuilder delegated(String poolId, String... subaccounts) {
            delegations.put(poolId, Set.of(subaccounts));
            return this;
        }

        /** Delegation changes Mailgun accepted but does not list yet (delegations shows them made). */
        AccountBuilder propagating(String poolId, String... subaccounts) {
            propagating.put(poolId, Set.of(subaccounts));
            return this;
        }

        AccountBuilder domain(String name, String linkedPoolId, String... domainIps) {
            domains.put(name, new ObservedDomain(name, Set.of(domainIps), linkedPoolId));
            return this;
        }

        /** A domain as the pools' domain lists show it: in none of them; its IPs were not read. */
        AccountBuilder domainInNoListedPool(String name) {
            domains.put(name, new ObservedDomain(name, null, null));
            return this;
        }

        ObservedAccount build() {
            return new ObservedAccount(
                    new LinkedHashMap<>(pools),
                    new LinkedHashMap<>(ips),
                    dippsEnabled,
                    new LinkedHashMap<>(delegations),
                    new LinkedHashMap<>(domains),
                    new LinkedHashMap<>(propagating));
        }
    }

    static PlanningContext ctx(AccountBuilder account, List<DesiredPool> pools) {
        return new PlanningContext(account.build(), pools, List.of());
    }

    static PlanningContext ctx(AccountBuilder account, List<DesiredPool> pools, List<DesiredBinding> bindings) {
        return new PlanningContext(account.build(), pools, bindings);
    }

    // ---- expectations

    static Expect expect(Plan.State state) {
        return new Expect(state);
    }

    /** Exact state and ordered steps; counts of waits/conflicts/problems; fragments to mention. */
    static final class Expect {
        private final Plan.State state;
        private final List<String> steps = new ArrayList<>();
        private int waits;
        private int conflicts;
        private int problems;
        private final List<String> mentions = new ArrayList<>();
        private Boolean relinking;
        private List<String> waitsOn;
        private List<String> warmups = List.of();

        private Expect(Plan.State state) {
            this.state = state;
        }

        Expect steps(String... describe) {
            steps.addAll(List.of(describe));
            return this;
        }

        Expect waits(int n) {
            waits = n;
            return this;
        }

        /** Exactly these waits, in order, by what they wait on. */
        Expect waitsOn(String... on) {
            waitsOn = List.of(on);
            waits = on.length;
            return this;
        }

        /** Exactly these IPs wait for warm-up, each as {@link PendingWarmup#describe()} says. */
        Expect warmups(String... described) {
            warmups = List.of(described);
            return this;
        }

        Expect conflicts(int n) {
            conflicts = n;
            return this;
        }

        Expect problems(int n) {
            problems = n;
            return this;
        }

        Expect mentions(String... fragments) {
            mentions.addAll(List.of(fragments));
            return this;
        }

        Expect relinking(boolean value) {
            relinking = value;
            return this;
        }

        void verify(Plan plan) {
            List<String> lines = Plans.lines(plan);
            String shown = String.join("\n", lines);
            assertThat(plan.state()).as(shown).isEqualTo(state);
            assertThat(plan.steps()).extracting(MailgunStep::describe).as(shown).containsExactlyElementsOf(steps);
            assertThat(plan.waits()).as(shown).hasSize(waits);
            assertThat(plan.conflicts()).as(shown).hasSize(conflicts);
            assertThat(plan.problems()).as(shown).hasSize(problems);
            assertThat(plan.warmups())
                    .extracting(PendingWarmup::describe)
                    .as(shown)
                    .containsExactlyElementsOf(warmups);
            if (waitsOn != null) {
                assertThat(plan.waits()).extracting(Plan.Wait::on).as(shown).containsExactlyElementsOf(waitsOn);
            }
            if (relinking != null) {
                assertThat(plan.relinking()).as(shown).isEqualTo(relinking);
            }
            List<String> explanations = lines.subList(plan.steps().size(), lines.size());
            for (String fragment : mentions) {
                assertThat(explanations).as(shown).anyMatch(line -> line.contains(fragment));
            }
        }

        @Override
        public String toString() {
            return state + " " + steps;
        }
    }

    // ---- walks a plan: Mailgun's rules are checked by the simulator, any violation fails the test

    static ObservedAccount apply(ObservedAccount account, List<MailgunStep> steps) {
        int[] created = {0};
        StepSimulator.Result result = StepSimulator.apply(
                account,
                steps,
                c -> String.format("%024x", 0xeee000 + account.pools().size() + (++created[0])));
        assertThat(result.violations()).as("steps Mailgun would reject").isEmpty();
        return result.account();
    }
}
