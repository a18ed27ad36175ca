package dev.ippools.mailgun.preview;

import dev.ippools.mailgun.account.AccountKey;
import dev.ippools.mailgun.account.AccountState;
import dev.ippools.mailgun.account.Credentials;
import dev.ippools.mailgun.api.v1alpha1.AccountReference;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.mapping.CredentialsResolver;
import dev.ippools.mailgun.mapping.DesiredMapper;
import dev.ippools.mailgun.mapping.KindRules;
import dev.ippools.mailgun.mapping.ObservedMapper;
import dev.ippools.mailgun.plan.BindingPlanner;
import dev.ippools.mailgun.plan.DesiredBinding;
import dev.ippools.mailgun.plan.DesiredPool;
import dev.ippools.mailgun.plan.ObservedAccount;
import dev.ippools.mailgun.plan.Plan;
import dev.ippools.mailgun.plan.PlanningContext;
import dev.ippools.mailgun.plan.PoolPlanner;
import dev.ippools.mailgun.plan.ResourceKey;
import dev.ippools.mailgun.plan.SpecValidator;
import dev.ippools.mailgun.plan.StepSimulator;
import dev.ippools.mailgun.preview.ManifestSet.Skipped;
import dev.ippools.mailgun.preview.ResourcePlan.Action;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The one preview: {@code plan --cluster} plans the manifests against what the cluster holds, for
 * every account in use; {@code plan} alone plans them over an empty cluster against the one account
 * it is given ({@link #planManifests}).
 *
 * <p>The cluster after a merge ({@link ClusterMerge}) holds the manifests (keeping the uid,
 * creation time, pool id annotations and status of the objects they replace, as {@code kubectl
 * apply} does), minus the IpPools and DomainPoolBindings of the manifests' namespaces that no
 * manifest names: those are planned as being deleted, with the operator's own planners. Objects of other namespaces stay as
 * they are; they are not reported, but they still claim IPs, pools and domains of their accounts.
 *
 * <p>Per account the plan runs in the order the operator converges in: pools that stay, then
 * bindings (new links, and the unlinks of dropped bindings), then the pools being deleted, each
 * phase on the account as the earlier phases leave it.
 */
public final class ClusterPreview {

    private ClusterPreview() {}

    /**
     * One resource as the cluster holds it after the merge.
     *
     * @param action null for an object that stays: its plan decides between update and no-op
     * @param reported whether the plan shows it: manifests, and objects the merge deletes
     */
    public record Subject(Manifest manifest, Action action, boolean reported) {
        boolean deleting() {
            HasMetadata r = manifest.resource();
            return r != null && r.getMetadata().getDeletionTimestamp() != null;
        }
    }

    /**
     * The resources of one account.
     *
     * @param label what a person knows the account by: its API root and the Secrets naming it
     * @param observed what Mailgun shows; null when the account cannot be used
     * @param problem why the account cannot be used, or null
     * @param fullyLinked pools whose linked domains were all read
     */
    public record AccountGroup(
            String label, ObservedAccount observed, String problem, List<Subject> subjects, Set<String> fullyLinked) {}

    /**
     * Groups the resources by account and reads each account that has a reported resource, read-only:
     * pools and IPs, each reported binding's domain, and the domains linked to each pool being
     * deleted. An account that cannot be read becomes a problem of its resources.
     *
     * @param defaultAccount how the report names the operator's default account
     */
    public static List<AccountGroup> observe(
            List<Subject> subjects,
            CredentialsResolver credentials,
            Function<Credentials, AccountState> accounts,
            String defaultAccount) {
        Map<AccountKey, List<Subject>> byKey = new LinkedHashMap<>();
        Map<AccountKey, Credentials> keys = new HashMap<>();
        Map<AccountKey, Set<String>> sources = new HashMap<>();
        Map<String, List<Subject>> unusable = new LinkedHashMap<>();
        Map<String, String> problems = new HashMap<>();
        for (Subject s : subjects) {
            HasMetadata r = s.manifest().resource();
            if (r == null) {
                unusable.computeIfAbsent("(unreadable manifests)", k -> new ArrayList<>())
                        .add(s);
                continue;
            }
            AccountReference ref = KindRules.accountRef(r);
            String source =
                    ref == null ? defaultAccount : "Secret " + r.getMetadata().getNamespace() + "/" + ref.secretName();
            CredentialsResolver.Resolved resolved =
                    credentials.resolve(r.getMetadata().getNamespace(), ref);
            if (resolved.value().isEmpty()) {
                unusable.computeIfAbsent(source, k -> new ArrayList<>()).add(s);
                problems.put(source, resolved.problem());
                continue;
            }
            byKey.computeIfAbsent(resolved.key(), k -> new ArrayList<>()).add(s);
            keys.putIfAbsent(resolved.key(), resolved.credentials());
            sources.computeIfAbsent(resolved.key(), k -> new TreeSet<>()).add(source);
        }
        List<AccountGroup> out = new ArrayList<>();
        for (Map.Entry<AccountKey, List<Subject>> e : byKey.entrySet()) {
            List<Subject> members = e.getValue();
            if (members.stream().noneMatch(Subject::reported)) {
                continue; // an account the pull request does not touch is not read
            }
            AccountKey key = e.getKey();
            String label = key.baseUrl()
                    + (key.subaccountId() == null ? "" : " on behalf of " + key.subaccountId())
                    + " (" + String.join(", ", sources.get(key)) + ")";
            out.add(read(label, accounts.apply(keys.get(key)), members));
        }
        unusable.forEach((source, members) -> {
            if (members.stream().anyMatch(Subject::reported)) {
                out.add(new AccountGroup(source, null, problems.get(source), members, Set.of()));
            }
        });
        return out;
    }

    private static AccountGroup read(String label, AccountState account, List<Subject> members) {
        try {
            return readOrThrow(label, account, members);
        } catch (RuntimeException e) {
            // the client's messages name the endpoint and Mailgun's answer, never the key
            String problem = "cannot read the Mailgun account: " + e.getMessage();
            return new AccountGroup(label, null, problem, members, Set.of());
        }
    }

    private static AccountGroup readOrThrow(String label, AccountState account, List<Subject> members) {
        boolean delegates = members.stream()
                .filter(s -> s.manifest().valid() && s.manifest().resource() instanceof IpPool)
                .map(s -> DesiredMapper.pool((IpPool) s.manifest().resource()))
                .anyMatch(p -> !p.delegatedTo().isEmpty());
        if (delegates) {
            account.wantDelegations();
        }
        account.refresh();
        Set<String> domains = new LinkedHashSet<>();
        Set<String> deletedPools = new LinkedHashSet<>();
        for (Subject s : members) {
            if (!s.reported() || !s.manifest().valid()) {
                continue;
            }
            if (s.manifest().resource() instanceof DomainPoolBinding b) {
                // a domain the planner refuses is not read
                if (b.getSpec().domain() != null
                        && SpecValidator.validate(DesiredMapper.binding(b)).isEmpty()) {
                    domains.add(b.getSpec().domain().toLowerCase(Locale.ROOT));
                }
            } else if (s.deleting()) {
                DesiredPool p = DesiredMapper.pool((IpPool) s.manifest().resource());
                String id = p.recordedPoolId() != null ? p.recordedPoolId() : p.adoptPoolId();
                if (id != null && KindRules.writesOnDelete(p)) {
                    deletedPools.add(id);
                }
            }
        }
        domains.forEach(account::observeDomain);
        Set<String> fullyLinked = new LinkedHashSet<>();
        Set<String> known = ObservedMapper.observed(account).pools().keySet();
        for (String id : deletedPools) {
            if (known.contains(id)) {
                account.observeLinkedDomains(id);
                fullyLinked.add(id);
            }
        }
        Preview.readWarmupProgress(
                account,
                members.stream()
                        .filter(s -> s.manifest().valid() && s.manifest().resource() instanceof IpPool)
                        .map(s -> DesiredMapper.pool((IpPool) s.manifest().resource()))
                        .toList());
        return new AccountGroup(label, ObservedMapper.observed(account), null, members, fullyLinked);
    }

    /** Plans every account's reported resources: pools, then bindings, per account. */
    public static PreviewReport plan(List<AccountGroup> groups, List<Skipped> skipped) {
        List<ResourcePlan> results = new ArrayList<>();
        Map<String, String> newPools = new LinkedHashMap<>();
        for (AccountGroup group : groups) {
            results.addAll(planGroup(group, newPools, null));
        }
        return new PreviewReport(results, skipped, newPools, true);
    }

    /**
     * {@code plan} without {@code --cluster}: the manifests over an empty cluster, all against the
     * one account given. Its pools without a pool id take the pools the operator created for them
     * ({@link Preview#withCreatedPools}), and only Mailgun calls count as changes. Pure.
     *
     * @param accountSecretName the Secret the account came from, or null; resources whose {@code
     *     spec.accountRef} names another get a note that they were planned against the given one
     */
    public static PreviewReport planManifests(
            ManifestSet manifests, ObservedAccount observed, String accountSecretName) {
        List<Subject> subjects = overEmptyCluster(manifests);
        Map<String, String> newPools = new LinkedHashMap<>();
        // without manifests the account was not read
        List<ResourcePlan> results = subjects.isEmpty()
                ? List.of()
                : planGroup(new AccountGroup(null, observed, null, subjects, Set.of()), newPools, accountSecretName);
        return new PreviewReport(results, manifests.skipped(), newPools, false);
    }

    /**
     * Reads what {@link #planManifests} needs from the given account, read-only.
     *
     * @throws RuntimeException the client's error when Mailgun cannot be read
     */
    public static ObservedAccount observeManifests(AccountState account, ManifestSet manifests) {
        return readOrThrow(null, account, overEmptyCluster(manifests)).observed();
    }

    private static List<Subject> overEmptyCluster(ManifestSet manifests) {
        // any instant: with nothing in the cluster it only orders the manifests
        return ClusterMerge.merge(manifests, ClusterMerge.Cluster.EMPTY, Set.of(), Instant.EPOCH);
    }

    /** @param given the Secret of the one given account, or null when planning against a cluster */
    private static List<ResourcePlan> planGroup(AccountGroup group, Map<String, String> newPools, String given) {
        boolean cluster = group.label() != null;
        Map<Subject, Plan> plans = new IdentityHashMap<>();
        Map<Subject, String> effects = new IdentityHashMap<>();
        List<Subject> reported =
                group.subjects().stream().filter(Subject::reported).toList();
        if (group.observed() == null) {
            reported.forEach(s -> plans.put(s, unusable(s, group.problem())));
            return results(group, reported, plans, effects, given);
        }
        Map<ResourceKey, DesiredPool> pools = new LinkedHashMap<>();
        Map<ResourceKey, DesiredBinding> bindings = new LinkedHashMap<>();
        for (Subject s : group.subjects()) {
            if (!s.manifest().valid()) {
                continue;
            }
            if (s.manifest().resource() instanceof IpPool p) {
                pools.put(s.manifest().key(), DesiredMapper.pool(p));
            } else if (s.manifest().resource() instanceof DomainPoolBinding b) {
                bindings.put(s.manifest().key(), DesiredMapper.binding(b));
            }
        }
        if (!cluster) {
            pools = Preview.withCreatedPools(pools, group.observed());
        }
        List<DesiredPool> allPools = List.copyOf(pools.values());
        List<DesiredBinding> allBindings = List.copyOf(bindings.values());
        for (Subject s : reported) {
            if (!s.manifest().valid()) {
                plans.put(s, Preview.invalid(s.manifest()));
            }
        }

        // pools that stay
        ObservedAccount account = group.observed();
        PlanningContext ctx = new PlanningContext(account, allPools, allBindings);
        for (Subject s : valid(reported, IpPool.class, false)) {
            Plan plan = PoolPlanner.plan(pools.get(s.manifest().key()), ctx);
            plans.put(s, plan);
            account = project(account, s.manifest().key(), plan, newPools);
        }
        // bindings: new links, and unlinks of dropped bindings
        Map<String, String> moved = Preview.movedDomains(group.observed(), account);
        ctx = new PlanningContext(account, allPools, allBindings);
        for (Subject s : valid(reported, DomainPoolBinding.class, null)) {
            DesiredBinding binding = bindings.get(s.manifest().key());
            Plan plan = BindingPlanner.plan(binding, ctx);
            String note =
                    binding.domain() == null ? null : moved.get(binding.domain().toLowerCase(Locale.ROOT));
            if (note != null && !binding.deleting()) {
                plan = plan.withNote(note);
            }
            plans.put(s, plan);
            if (binding.deleting()) {
                effects.put(s, DeletionEffects.of(binding, plan));
            }
            account = project(account, s.manifest().key(), plan, newPools);
        }
        // pools being deleted, once no binding links them any more
        ctx = new PlanningContext(Preview.relinked(account, group.fullyLinked()), allPools, allBindings);
        for (Subject s : valid(reported, IpPool.class, true)) {
            DesiredPool pool = pools.get(s.manifest().key());
            Plan plan = PoolPlanner.plan(pool, ctx);
            plans.put(s, plan);
            effects.put(s, DeletionEffects.of(pool, plan, ctx));
        }
        return results(group, reported, plans, effects, given);
    }

    /** Valid reported subjects of a kind; {@code deleting} null: both live and deleting ones. */
    private static List<Subject> valid(List<Subject> reported, Class<?> kind, Boolean deleting) {
        return reported.stream()
                .filter(s ->
                        s.manifest().valid() && kind.isInstance(s.manifest().resource()))
                .filter(s -> deleting == null || s.deleting() == deleting)
                .toList();
    }

    private static List<ResourcePlan> results(
            AccountGroup group,
            List<Subject> reported,
            Map<Subject, Plan> plans,
            Map<Subject, String> effects,
            String given) {
        List<ResourcePlan> out = new ArrayList<>();
        for (String kind : List.of(Manifest.IP_POOL, Manifest.DOMAIN_POOL_BINDING)) {
            for (Subject s : reported) {
                if (!s.manifest().kind().equals(kind)) {
                    continue;
                }
                Plan plan = plans.get(s);
                if (group.label() == null) {
                    // no cluster: the manifests' own order, and only Mailgun tells what changes
                    Manifest m = s.manifest();
                    out.add(new ResourcePlan(
                            m.kind(), m.key(), m.source(), Preview.plannedAgainstGiven(m, plan, given)));
                    continue;
                }
                Action action = s.action();
                if (action == null) {
                    action = plan.steps().isEmpty() ? Action.NO_OP : Action.UPDATE;
                }
                String effect =
                        action == Action.DELETE ? effects.getOrDefault(s, DeletionEffects.fallback(plan)) : null;
                Manifest m = s.manifest();
                out.add(new ResourcePlan(m.kind(), m.key(), m.source(), plan, action, group.label(), effect));
            }
        }
        return out;
    }

    private static ObservedAccount project(
            ObservedAccount account, ResourceKey key, Plan plan, Map<String, String> newPools) {
        String placeholder = Preview.placeholderPoolId(key);
        return StepSimulator.apply(account, plan.steps(), c -> {
                    newPools.put(placeholder, c.name());
                    return placeholder;
                })
                .account();
    }

    /**
     * The plan of a resource whose account cannot be used: what the operator does anyway (deletions
     * that need no Mailgun call), else the account's problem.
     */
    private static Plan unusable(Subject s, String problem) {
        Manifest m = s.manifest();
        if (!m.valid()) {
            return Preview.invalid(m);
        }
        PlanningContext none = new PlanningContext(null, List.of(), List.of());
        if (s.deleting() && m.resource() instanceof IpPool p) {
            DesiredPool pool = DesiredMapper.pool(p);
            if (!KindRules.writesOnDelete(pool) || KindRules.noPoolWasEverCreated(p, pool)) {
                return PoolPlanner.plan(pool, none);
            }
        }
        if (s.deleting() && m.resource() instanceof DomainPoolBinding b) {
            DesiredBinding binding = DesiredMapper.binding(b);
            if (!KindRules.writesOnDelete(binding)) {
                return BindingPlanner.plan(binding, none);
            }
        }
        String field = KindRules.accountRef(m.resource()) != null ? "spec.accountRef" : null;
        return Plan.of(s.deleting() ? Plan.State.DELETION_BLOCKED : Plan.State.INVALID, null)
                .withProblems(List.of(new Plan.Problem(field, problem)));
    }
}
