package dev.ippools.mailgun.preview;

import dev.ippools.mailgun.account.AccountState;
import dev.ippools.mailgun.api.v1alpha1.AccountReference;
import dev.ippools.mailgun.api.v1alpha1.DomainPoolBinding;
import dev.ippools.mailgun.api.v1alpha1.IpPool;
import dev.ippools.mailgun.mapping.DesiredMapper;
import dev.ippools.mailgun.mapping.KindRules;
import dev.ippools.mailgun.mapping.ObservedMapper;
import dev.ippools.mailgun.plan.BindingPlanner;
import dev.ippools.mailgun.plan.DesiredBinding;
import dev.ippools.mailgun.plan.DesiredPool;
import dev.ippools.mailgun.plan.IpAddresses;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedDomain;
import dev.ippools.mailgun.plan.ObservedAccount.ObservedPool;
import dev.ippools.mailgun.plan.ObservedAccount;
import dev.ippools.mailgun.plan.OwnershipMarker;
import dev.ippools.mailgun.plan.Plan;
import dev.ippools.mailgun.plan.PlanningContext;
import dev.ippools.mailgun.plan.PoolPlanner;
import dev.ippools.mailgun.plan.ResourceKey;
import dev.ippools.mailgun.plan.SpecValidator;
import dev.ippools.mailgun.plan.StepSimulator;
import dev.ippools.mailgun.plan.Warmups;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plans manifests the way the operator would reconcile them: the same mapping ({@link
 * DesiredMapper}), the same account view ({@link ObservedMapper}) and the same planners.
 *
 * <p>Two things differ from a cluster, because manifests have not been applied yet:
 *
 * <ul>
 *   <li>A manifest has no recorded pool id. A Mailgun pool whose description carries the operator's
 *       ownership marker and whose name is the IpPool's Mailgun name is taken as the pool the
 *       operator recorded for it when it created it (not for IpPools with {@code spec.poolId}, and
 *       not for inherited pools).
 *   <li>Bindings are planned after every pool, against the account as it would be once the pools'
 *       steps ran: a binding to a pool this plan creates links to a placeholder id ({@link
 *       #placeholderPoolId}) instead of waiting for the pool, and a domain linked to a pool whose
 *       IPs change gets a note that Mailgun will move it, instead of looking stuck in relinking.
 * </ul>
 */
public final class Preview {

  private static final String NEW_POOL_PREFIX = "new-pool:";

  private Preview() {}

  /** The id standing in for the pool this plan creates for an IpPool, until Mailgun assigns one. */
  public static String placeholderPoolId(ResourceKey pool) {
    return NEW_POOL_PREFIX + pool.namespace() + "/" + pool.name();
  }

  /**
   * Reads what planning needs, read-only: the account's pools and IPs (plus delegations when a
   * manifest delegates), then each valid binding's domain and the pool linked to it.
   *
   * @throws RuntimeException the client's error when Mailgun cannot be read
   */
  public static ObservedAccount observe(AccountState account, ManifestSet manifests) {
    boolean delegates =
        manifests.pools().stream()
            .filter(Manifest::valid)
            .map(m -> (IpPool) m.resource())
            .anyMatch(
                p ->
                    p.getSpec() != null
                        && p.getSpec().delegatedTo() != null
                        && !p.getSpec().delegatedTo().isEmpty());
    if (delegates) {
      account.wantDelegations();
    }
    account.refresh();
    Set<String> domains = new LinkedHashSet<>();
    for (DesiredBinding binding : desiredBindings(manifests)) {
      if (SpecValidator.validate(binding).isEmpty()) {
        domains.add(binding.domain().toLowerCase(Locale.ROOT));
      }
    }
    domains.forEach(account::observeDomain);
    List<DesiredPool> pools = manifests.pools().stream().filter(Manifest::valid)
        .map(m -> DesiredMapper.pool((IpPool) m.resource())).toList();
    readWarmupProgress(account, pools);
    return ObservedMapper.observed(account);
  }

  /**
   * The stage of each warm-up a pool waits for, so the plan can say how far it is. Read fresh
   * (a plan runs once); a failed read only leaves the stage out.
   */
  static void readWarmupProgress(AccountState account, List<DesiredPool> pools) {
    ObservedAccount observed = ObservedMapper.observed(account);
    if (pools.stream().anyMatch(p -> Warmups.waitsForWarmup(p, observed))) {
      account.refreshWarmupsIfOlderThan(Instant.MAX);
    }
  }

  /**
   * Plans every pool, then every binding. Pure.
   *
   * @param accountSecretName the name of the Secret the account came from, or null; resources whose
   *     {@code spec.accountRef} names another Secret get a note that they were planned against the
   *     given account anyway
   */
  public static PreviewReport plan(
      ManifestSet manifests, ObservedAccount observed, String accountSecretName) {
    Map<ResourceKey, DesiredPool> pools = desiredPools(manifests, observed);
    List<DesiredBinding> bindings = desiredBindings(manifests);
    PlanningContext poolContext =
        new PlanningContext(observed, List.copyOf(pools.values()), bindings);
    List<ResourcePlan> results = new ArrayList<>();
    Map<ResourceKey, Plan> poolPlans = new LinkedHashMap<>();
    for (Manifest m : manifests.pools()) {
      Plan plan = m.valid() ? PoolPlanner.plan(pools.get(m.key()), poolContext) : invalid(m);
      if (m.valid()) {
        poolPlans.put(m.key(), plan);
      }
      results.add(resource(m, plan, accountSecretName));
    }
    Projection projection = project(poolContext.account(), poolPlans);
    PlanningContext bindingContext =
        new PlanningContext(projection.account(), List.copyOf(pools.values()), bindings);
    Map<ResourceKey, DesiredBinding> byKey = new HashMap<>();
    bindings.forEach(b -> byKey.put(b.key(), b));
    for (Manifest m : manifests.bindings()) {
      DesiredBinding binding = byKey.get(m.key());
      Plan plan = m.valid() ? BindingPlanner.plan(binding, bindingContext) : invalid(m);
      String moved =
          m.valid() && binding.domain() != null
              ? projection.movedDomains().get(binding.domain().toLowerCase(Locale.ROOT))
              : null;
      if (moved != null) {
        plan = plan.withNote(moved);
      }
      results.add(resource(m, plan, accountSecretName));
    }
    return new PreviewReport(results, manifests.skipped(), projection.newPools());
  }

  /** The valid IpPools mapped as the operator maps them, matched to pools it created. */
  private static Map<ResourceKey, DesiredPool> desiredPools(
      ManifestSet manifests, ObservedAccount observed) {
    List<DesiredPool> mapped =
        manifests.pools().stream()
            .filter(Manifest::valid)
            .map(m -> DesiredMapper.pool((IpPool) m.resource()))
            .toList();
    Set<String> taken = new HashSet<>();
    for (DesiredPool p : mapped) {
      if (p.recordedPoolId() != null) {
        taken.add(p.recordedPoolId());
      }
      if (p.adoptPoolId() != null) {
        taken.add(p.adoptPoolId());
      }
    }
    Map<ResourceKey, DesiredPool> out = new LinkedHashMap<>();
    for (DesiredPool p : mapped) {
      Optional<ObservedPool> created =
          p.recordedPoolId() != null || p.adoptPoolId() != null
              ? Optional.empty()
              : createdByOperator(p, observed, taken);
      created.ifPresent(c -> taken.add(c.id()));
      out.put(p.key(), created.map(c -> asRecorded(p, c)).orElse(p));
    }
    return out;
  }

  /** A pool the operator created under this name: its marker and name say so. Lowest id first. */
  private static Optional<ObservedPool> createdByOperator(
      DesiredPool pool, ObservedAccount observed, Set<String> taken) {
    if (observed.pools() == null || pool.name() == null) {
      return Optional.empty();
    }
    return observed.pools().values().stream()
        .filter(o -> !o.inherited() && !taken.contains(o.id()) && pool.name().equals(o.name()))
        .filter(o -> OwnershipMarker.ownerUid(o.description()).isPresent())
        .min(Comparator.comparing(ObservedPool::id));
  }

  /** As if the operator had recorded the pool's id, with the uid it stamped into the marker. */
  private static DesiredPool asRecorded(DesiredPool p, ObservedPool created) {
    String uid = OwnershipMarker.ownerUid(created.description()).orElse(p.uid());
    return p.withRecordedPoolId(created.id()).withUid(uid);
  }

  private static List<DesiredBinding> desiredBindings(ManifestSet manifests) {
    return manifests.bindings().stream()
        .filter(Manifest::valid)
        .map(m -> DesiredMapper.binding((DomainPoolBinding) m.resource()))
        .toList();
  }

  /**
   * The account once the pools' steps ran and Mailgun moved the pools' linked domains to their new
   * IPs, the pools those steps create, and a note per moved domain (by lowercase name).
   */
  private record Projection(
      ObservedAccount account, Map<String, String> newPools, Map<String, String> movedDomains) {}

  private static Projection project(ObservedAccount observed, Map<ResourceKey, Plan> poolPlans) {
    ObservedAccount account = observed;
    Map<String, String> newPools = new LinkedHashMap<>();
    for (Map.Entry<ResourceKey, Plan> e : poolPlans.entrySet()) {
      String placeholder = placeholderPoolId(e.getKey());
      account = StepSimulator.apply(account, e.getValue().steps(), c -> {
        newPools.put(placeholder, c.name());
        return placeholder;
      }).account();
    }
    return new Projection(account, newPools, movedDomains(observed, account));
  }

  /**
   * A note per domain (by lowercase name) whose linked pool's IPs differ between {@code before}
   * and {@code after}: Mailgun relinks such a domain by itself, with no binding step.
   */
  static Map<String, String> movedDomains(ObservedAccount before, ObservedAccount after) {
    Map<String, String> moved = new HashMap<>();
    for (ObservedDomain d : before.domains().values()) {
      ObservedPool was = d.linkedPoolId() == null ? null : before.pools().get(d.linkedPoolId());
      ObservedPool is = d.linkedPoolId() == null ? null : after.pools().get(d.linkedPoolId());
      if (was != null && is != null && !was.ips().equals(is.ips())) {
        moved.put(
            d.name().toLowerCase(Locale.ROOT),
            "the pool changes above move domain "
                + d.name()
                + " to the pool's IPs "
                + sorted(is.ips()));
      }
    }
    return moved;
  }

  private static List<String> sorted(Set<String> ips) {
    return ips.stream().sorted(IpAddresses.ORDER).toList();
  }

  static Plan invalid(Manifest m) {
    return Plan.of(Plan.State.INVALID, null).withProblems(m.problems());
  }

  private static ResourcePlan resource(Manifest m, Plan plan, String accountSecretName) {
    AccountReference ref = KindRules.accountRef(m.resource());
    if (ref != null && ref.secretName() != null && !ref.secretName().equals(accountSecretName)) {
      plan = plan.withNote("spec.accountRef names Secret " + ref.secretName()
          + "; planned against the account given to the plan command");
    }
    return new ResourcePlan(m.kind(), m.key(), m.source(), plan);
  }

  /**
   * Pools whose linked domains were all read are linked exactly while a domain still uses them:
   * Mailgun's is_linked flag turns false once the dropped bindings' unlinks ran.
   */
  static ObservedAccount relinked(ObservedAccount account, Set<String> fullyLinked) {
    Map<String, ObservedPool> pools = new LinkedHashMap<>(account.pools());
    for (String id : fullyLinked) {
      ObservedPool p = pools.get(id);
      if (p == null) {
        continue;
      }
      Set<String> domains = new TreeSet<>();
      for (ObservedDomain d : account.domains().values()) {
        if (id.equals(d.linkedPoolId())) {
          domains.add(d.name());
        }
      }
      pools.put(id, new ObservedPool(p.id(), p.name(), p.description(), p.ips(), p.inherited(),
          !domains.isEmpty(), domains));
    }
    return new ObservedAccount(pools, account.ips(), account.dippsEnabled(),
        account.delegations(), account.domains(), account.delegationsPropagating());
  }
}
