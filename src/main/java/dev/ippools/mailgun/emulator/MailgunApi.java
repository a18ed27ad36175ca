package dev.ippools.mailgun.emulator;

import static dev.ippools.mailgun.emulator.ApiException.badRequest;
import static dev.ippools.mailgun.emulator.ApiException.forbidden;
import static dev.ippools.mailgun.emulator.ApiException.notFound;

import dev.ippools.mailgun.emulator.EmulatorState.Account;
import dev.ippools.mailgun.emulator.EmulatorState.Domain;
import dev.ippools.mailgun.emulator.EmulatorState.Ip;
import dev.ippools.mailgun.emulator.EmulatorState.Pool;
import dev.ippools.mailgun.emulator.Router.Call;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Mailgun's IP pool, domain IP, account IP and domain endpoints, with the rules of the reference
 * (§6) checked before any change is made: a rejected call leaves the state as it was.
 */
final class MailgunApi {

  private static final Pattern DOMAIN_NAME =
      Pattern.compile(
          "^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$",
          Pattern.CASE_INSENSITIVE);
  private static final DateTimeFormatter RFC_1123 =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private final EmulatorState state;

  MailgunApi(EmulatorState state) {
    this.state = state;
  }

  void register(Router router) {
    // The /v1 pool paths are the pre-2024 flavour; they share the v3 handlers.
    for (String prefix : List.of("/v3", "/v1")) {
      router.add("GET", prefix + "/ip_pools", this::listPools);
      router.add("POST", prefix + "/ip_pools", this::createPool);
      router.add("GET", prefix + "/ip_pools/{pool_id}", this::getPool);
      router.add("PATCH", prefix + "/ip_pools/{pool_id}", this::updatePool);
      router.add("DELETE", prefix + "/ip_pools/{pool_id}", this::deletePool);
      router.add("GET", prefix + "/ip_pools/{pool_id}/domains", this::poolDomains);
      router.add("POST", prefix + "/ip_pools/{pool_id}/ips.json", this::addPoolIps);
      router.add("PUT", prefix + "/ip_pools/{pool_id}/ips/{ip}", this::addPoolIp);
      router.add("DELETE", prefix + "/ip_pools/{pool_id}/ips/{ip}", this::removePoolIp);
      router.add("PUT", prefix + "/ip_pools/{pool_id}/delegate", this::delegate);
      router.add("DELETE", prefix + "/ip_pools/{pool_id}/delegate", this::revokeDelegation);
    }
    router.add("GET", "/v5/accounts/subaccounts/ip_pools/all", this::legacyDelegations);
    router.add("PUT", "/v5/accounts/subaccounts/{subaccount_id}/ip_pool", this::legacyDelegate);
    router.add("DELETE", "/v5/accounts/subaccounts/{subaccount_id}/ip_pool", this::legacyRevoke);
    router.add("PUT", "/v5/accounts/subaccounts/{subaccount_id}/ip", this::legacyLinkIp);

    router.add("GET", "/v3/domains/{name}/ips", this::domainIps);
    router.add("POST", "/v3/domains/{name}/ips", this::addDomainIp);
    router.add("DELETE", "/v3/domains/{name}/ips/{ip}", this::removeDomainIp);
    router.add("DELETE", "/v3/domains/{name}/pool/{ip}", this::removeDomainIp);

    router.add("GET", "/v3/ips", this::listIps);
    router.add("PATCH", "/v3/ips/subaccounts", this::linkSubaccountIps);
    router.add("GET", "/v3/ips/{ip}", this::getIp);
    router.add("GET", "/v3/ips/{ip}/domains", this::ipDomains);

    // v3 is the older domains API some SDKs (mailgun-go v4) still call; same shapes here.
    for (String prefix : List.of("/v4", "/v3")) {
      router.add("GET", prefix + "/domains", this::listDomains);
      router.add("POST", prefix + "/domains", this::createDomain);
      router.add("GET", prefix + "/domains/{name}", this::getDomain);
    }
  }

  static boolean isDomainName(String name) {
    return DOMAIN_NAME.matcher(name).matches();
  }

  // ---------------------------------------------------------------- pools

  private Object listPools(Call call) {
    List<Object> items = new ArrayList<>();
    for (Pool pool : state.visiblePools(call.acting())) {
      items.add(poolSummary(pool, call.acting()));
    }
    return obj("ip_pools", items, "message", "success");
  }

  private Object createPool(Call call) {
    requireDipps();
    Params params = call.params();
    String name = params.first("name");
    String description = params.first("description");
    if (name == null) {
      throw badRequest("name is required");
    }
    if (description == null) {
      throw badRequest("description is required");
    }
    // Current clients send repeated `ip`; the legacy API took `ips` as a comma list.
    List<String> addresses = params.list("ip", "ips");
    for (String address : addresses) {
      rejectIf(state.poolEligibilityProblem(call.acting(), address, null));
    }
    Pool pool = state.createPool(call.acting(), name, description, addresses);
    return obj("message", "success", "pool_id", pool.id);
  }

  private Object getPool(Call call) {
    Pool pool = visiblePool(call);
    Map<String, Object> details = poolSummary(pool, call.acting());
    details.put(
        "linked_domains",
        state.visibleLinks(pool, call.acting()).stream().map(d -> d.name).toList());
    return obj("details", details, "message", "success");
  }

  private Object updatePool(Call call) {
    Pool pool = ownPool(call);
    Params params = call.params();
    String name = params.first("name");
    String description = params.first("description");
    if (params.has("name") && name == null) {
      throw badRequest("name cannot be empty");
    }
    if (params.has("description") && description == null) {
      throw badRequest("description cannot be empty");
    }
    List<String> add = params.list("add_ip");
    List<String> remove = params.list("remove_ip");
    for (String address : add) {
      if (remove.contains(address)) {
        throw badRequest("IP " + address + " cannot be both added and removed");
      }
    }
    List<String> toAdd = new ArrayList<>();
    for (String address : add) {
      if (!pool.ips.containsKey(address)) {
        rejectIf(state.poolEligibilityProblem(call.acting(), address, pool));
        toAdd.add(address);
      }
    }
    List<String> toRemove = new ArrayList<>();
    for (String address : remove) {
      requireIp(address);
      if (pool.ips.containsKey(address)) {
        toRemove.add(address);
      }
    }
    List<Domain> link = domainsByRef(call, params.list("link_domain"));
    List<Domain> unlink = domainsByRef(call, params.list("unlink_domain"));
    for (Domain domain : link) {
      if (unlink.contains(domain)) {
        throw badRequest("domain " + domain.name + " cannot be both linked and unlinked");
      }
    }
    List<Domain> toLink = link.stream().filter(d -> !pool.id.equals(d.poolId)).toList();
    List<Domain> toUnlink = unlink.stream().filter(d -> pool.id.equals(d.poolId)).toList();
    boolean renamed = name != null && !name.equals(pool.name);
    boolean described = description != null && !description.equals(pool.description);
    boolean ipsChanged = !toAdd.isEmpty() || !toRemove.isEmpty();
    boolean linksChanged = !toLink.isEmpty() || !toUnlink.isEmpty();
    if (!renamed && !described && !ipsChanged && !linksChanged) {
      throw badRequest("no changes");
    }
    Set<String> resultingIps = new LinkedHashSet<>(pool.ips.keySet());
    resultingIps.addAll(toAdd);
    toRemove.forEach(resultingIps::remove);
    if (resultingIps.isEmpty()) {
      if (!toLink.isEmpty()) {
        throw badRequest("only an ip pool with dedicated IPs can be linked to a domain");
      }
      boolean stillLinked =
          state.committedLinks(pool).stream().anyMatch(d -> !toUnlink.contains(d));
      if (stillLinked) {
        throw badRequest("ip pool is linked to domains and must keep at least one IP");
      }
    }

    if (renamed) {
      pool.name = name;
    }
    if (described) {
      pool.description = description;
    }
    Instant now = state.now();
    toAdd.forEach(address -> pool.ips.put(address, now));
    toRemove.forEach(pool.ips::remove);
    for (Domain domain : toUnlink) {
      // An unlinked domain keeps sending from the pool's IPs; if none are left, the defaults.
      if (resultingIps.isEmpty()) {
        state.resetToDefault(domain);
      } else {
        domain.poolId = null;
        domain.ips = List.copyOf(resultingIps);
      }
    }
    for (Domain domain : toLink) {
      domain.poolId = pool.id;
      domain.ips = List.of();
    }
    if (!ipsChanged && !linksChanged) {
      return success();
    }
    String reference = state.newId();
    Set<Domain> touched = new LinkedHashSet<>(toUnlink);
    touched.addAll(toLink);
    if (ipsChanged) {
      touched.addAll(state.committedLinks(pool));
    }
    touched.forEach(domain -> state.commit(domain, true, reference));
    return started(reference);
  }

  private Object deletePool(Call call) {
    Pool pool = ownPool(call);
    String ip = call.params().first("ip");
    String replacementId = call.params().first("pool_id");
    if (ip != null && replacementId != null) {
      throw badRequest("specify either ip or pool_id, not both");
    }
    Pool replacement = null;
    String replacementIp = null;
    if (replacementId != null) {
      replacement = replacementPool(call.acting(), replacementId, pool);
    } else if (ip != null) {
      replacementIp = replacementIp(call.acting(), ip, pool);
    } else if (!pool.ips.isEmpty()) {
      throw badRequest("ip pool has IPs: a replacement ip or pool_id is required to delete it");
    }

    String reference = state.newId();
    List<Domain> linked = state.committedLinks(pool);
    for (Domain domain : linked) {
      if (replacement != null) {
        domain.poolId = replacement.id;
        domain.ips = List.of();
      } else if (replacementIp != null) {
        domain.poolId = null;
        domain.ips = List.of(replacementIp);
      } else {
        state.resetToDefault(domain);
      }
    }
    if (replacement != null && replacement.ownerId.equals(pool.ownerId)) {
      // Subaccounts that used the deleted pool keep a pool: the replacement.
      replacement.delegatedTo.addAll(pool.delegatedTo);
    }
    state.removePool(pool);
    linked.forEach(domain -> state.commit(domain, true, reference));
    return started(reference);
  }

  private Object poolDomains(Call call) {
    Pool pool = visiblePool(call);
    int limit = intParam(call.params(), "limit", 10);
    if (limit < 10 || limit > 500) {
      throw badRequest("limit must be between 10 and 500");
    }
    String after = decodePage(call.params().first("page"));
    List<Domain> page =
        state.visibleLinks(pool, call.acting()).stream()
            .filter(d -> d.id.compareTo(after) > 0)
            .limit(limit)
            .toList();
    String base = call.baseUrl() + call.requestPath() + "?limit=" + limit + "&page=";
    String nextCursor = page.isEmpty() ? after : page.get(page.size() - 1).id;
    List<Object> items = new ArrayList<>();
    page.forEach(d -> items.add(obj("id", d.id, "name", d.name)));
    return obj(
        "domains",
        items,
        "paging",
        obj("first", base + encodePage(""), "next", base + encodePage(nextCursor)));
  }

  private Object addPoolIp(Call call) {
    Pool pool = ownPool(call);
    String address = call.path("ip");
    requireIp(address);
    boolean added = false;
    if (!pool.ips.containsKey(address)) {
      rejectIf(state.poolEligibilityProblem(call.acting(), address, pool));
      pool.ips.put(address, state.now());
      added = true;
    }
    String reference = state.newId();
    if (added) {
      propagate(pool, reference);
    }
    return started(reference);
  }

  private Object removePoolIp(Call call) {
    Pool pool = ownPool(call);
    String address = call.path("ip");
    requireIp(address);
    if (!pool.ips.containsKey(address)) {
      throw notFound("IP " + address + " is not in ip pool " + pool.id);
    }
    if (pool.ips.size() == 1 && !state.committedLinks(pool).isEmpty()) {
      throw badRequest("ip pool is linked to domains and must keep at least one IP");
    }
    pool.ips.remove(address);
    String reference = state.newId();
    propagate(pool, reference);
    return started(reference);
  }

  private Object addPoolIps(Call call) {
    Pool pool = ownPool(call);
    List<String> addresses = call.params().list("ips");
    if (addresses.isEmpty()) {
      throw badRequest("ips is required");
    }
    List<String> toAdd = new ArrayList<>();
    for (String address : addresses) {
      if (!pool.ips.containsKey(address)) {
        rejectIf(state.poolEligibilityProblem(call.acting(), address, pool));
        toAdd.add(address);
      }
    }
    String reference = state.newId();
    if (!toAdd.isEmpty()) {
      Instant now = state.now();
      toAdd.forEach(address -> pool.ips.put(address, now));
      propagate(pool, reference);
    }
    return started(reference);
  }

  private Object delegate(Call call) {
    Pool pool = ownPool(call);
    Account sub = childAccount(call, call.params().first("subaccount_id"));
    if (!state.delegatedOrPending(pool, sub)) {
      state.startDelegationChange(state.newId(), sub, List.of(), pool.id);
    }
    return success();
  }

  private Object revokeDelegation(Call call) {
    Pool pool = ownPool(call);
    Account sub = childAccount(call, call.params().first("subaccount_id"));
    if (!state.delegatedOrPending(pool, sub)) {
      throw badRequest("ip pool " + pool.id + " is not delegated to subaccount " + sub.id);
    }
    String reference = state.newId();
    state.startDelegationChange(reference, sub, List.of(pool.id), null);
    return started(reference);
  }

  // ---------------------------------------------------------------- legacy v5 delegation

  private Object legacyDelegations(Call call) {
    List<Object> items = new ArrayList<>();
    if (call.acting().primary) {
      for (Account sub : state.subaccounts()) {
        List<Pool> delegated =
            state.visiblePools(sub).stream().filter(p -> state.isInherited(p, sub)).toList();
        if (delegated.isEmpty()) {
          items.add(obj("pool_id", null, "subaccount_id", sub.id));
        }
        delegated.forEach(p -> items.add(obj("pool_id", p.id, "subaccount_id", sub.id)));
      }
    }
    return obj("items", items, "total_count", items.size());
  }

  private Object legacyDelegate(Call call) {
    requireDipps();
    Account sub = childAccount(call, call.path("subaccount_id"));
    Pool pool = legacyPool(call);
    // The legacy endpoint keeps one delegated pool per subaccount: it replaces the others.
    List<String> revoke =
        state.visiblePools(sub).stream()
            .filter(p -> state.isInherited(p, sub) && p != pool)
            .map(p -> p.id)
            .toList();
    String reference = state.newId();
    state.startDelegationChange(reference, sub, revoke, pool.id);
    return started(reference);
  }

  private Object legacyRevoke(Call call) {
    requireDipps();
    Account sub = childAccount(call, call.path("subaccount_id"));
    Pool pool = legacyPool(call);
    if (!state.delegatedOrPending(pool, sub)) {
      throw badRequest("ip pool " + pool.id + " is not delegated to subaccount " + sub.id);
    }
    String reference = state.newId();
    state.startDelegationChange(reference, sub, List.of(pool.id), null);
    return started(reference);
  }

  private Pool legacyPool(Call call) {
    String poolId = call.params().first("pool_id");
    if (poolId == null) {
      throw badRequest("invalid request parameters");
    }
    return state
        .pool(poolId)
        .filter(p -> p.ownerId.equals(call.acting().id))
        .orElseThrow(() -> notFound("ip pool not found"));
  }

  // ---------------------------------------------------------------- subaccount IP links (rule 17)

  private Object legacyLinkIp(Call call) {
    requirePrimary(call);
    Account sub = childAccount(call, call.path("subaccount_id"));
    String address = call.params().first("ip");
    if (address == null) {
      throw badRequest("ip is required");
    }
    rejectIf(subaccountLinkProblem(address));
    state.linkIpToSubaccount(sub, address);
    return success();
  }

  private Object linkSubaccountIps(Call call) {
    requirePrimary(call);
    Params params = call.params();
    boolean all = "true".equalsIgnoreCase(params.first("all_subaccounts"));
    List<String> ids = params.list("subaccount_id");
    if (!all && ids.isEmpty()) {
      throw badRequest("subaccount_id or all_subaccounts is required");
    }
    List<Account> subs = new ArrayList<>();
    if (all) {
      subs.addAll(state.subaccounts());
    } else {
      for (String id : ids) {
        subs.add(childAccount(call, id));
      }
    }
    List<String> link = params.list("link_ip");
    List<String> unlink = params.list("unlink_ip");
    if (link.isEmpty() && unlink.isEmpty()) {
      throw badRequest("link_ip or unlink_ip is required");
    }
    for (String address : link) {
      rejectIf(subaccountLinkProblem(address));
    }
    for (String address : unlink) {
      requireIp(address);
      for (Account sub : subs) {
        if (usedBySubaccount(sub, address)) {
          throw badRequest(
              "IP " + address + " is used by a pool or domain of subaccount " + sub.id);
        }
      }
    }
    for (Account sub : subs) {
      link.forEach(address -> state.linkIpToSubaccount(sub, address));
      unlink.forEach(address -> state.unlinkIpFromSubaccount(sub, address));
    }
    return obj("message", all ? "queued" : "success");
  }

  private String subaccountLinkProblem(String address) {
    if (!IpAddresses.isValid(address)) {
      return "invalid IP address: " + address;
    }
    Ip ip = state.ip(address).orElse(null);
    if (ip == null || !ip.dedicated()) {
      return "IP " + address + " is not a dedicated IP of the account";
    }
    boolean inParentPool =
        state.poolHolding(address).filter(p -> p.ownerId.equals(state.primary().id)).isPresent();
    if (inParentPool) {
      return "IP " + address + " belongs to a dedicated IP pool of the parent account";
    }
    return null;
  }

  private boolean usedBySubaccount(Account sub, String address) {
    boolean inOwnPool =
        state.visiblePools(sub).stream()
            .anyMatch(p -> !state.isInherited(p, sub) && p.ips.containsKey(address));
    boolean onDomain =
        state.domains(sub).stream()
            .anyMatch(
                d ->
                    state.committedAssignment(d).ips().contains(address)
                        || d.visible.ips().contains(address));
    return inOwnPool || onDomain;
  }

  // ---------------------------------------------------------------- domain IPs

  private Object domainIps(Call call) {
    Domain domain = domain(call);
    return obj("items", domain.visible.ips(), "total_count", domain.visible.ips().size());
  }

  private Object addDomainIp(Call call) {
    Domain domain = domain(call);
    String address = call.params().first("ip");
    String poolId = call.params().first("pool_id");
    if (address != null && poolId != null) {
      throw badRequest("specify either ip or pool_id, not both");
    }
    if (address == null && poolId == null) {
      throw badRequest("ip or pool_id is required");
    }
    if (poolId != null) {
      requireDipps();
      Pool pool =
          state.visiblePool(call.acting(), poolId).orElseThrow(() -> notFound("ip pool not found"));
      if (pool.ips.isEmpty()) {
        throw badRequest("only an ip pool with dedicated IPs can be linked to a domain");
      }
      if (!pool.id.equals(domain.poolId)) {
        domain.poolId = pool.id;
        domain.ips = List.of();
        state.commit(domain, true);
      }
      return success();
    }
    requireNotLinked(domain);
    rejectIf(state.domainIpProblem(call.acting(), address));
    if (!domain.ips.contains(address)) {
      List<String> ips = new ArrayList<>(domain.ips);
      ips.add(address);
      domain.ips = List.copyOf(ips);
      state.commit(domain, false);
    }
    return success();
  }

  private Object removeDomainIp(Call call) {
    Domain domain = domain(call);
    String target = call.path("ip");
    if ("ip_pool".equals(target)) {
      return unlinkDomainPool(call, domain);
    }
    if ("all".equals(target)) {
      // The domain leaves the IP system's books and falls back to the account default set.
      boolean wasLinked = domain.poolId != null;
      state.resetToDefault(domain);
      state.commit(domain, wasLinked);
      return success();
    }
    return removeLiteralDomainIp(call, domain, target);
  }

  private Object unlinkDomainPool(Call call, Domain domain) {
    requireDipps();
    if (domain.poolId == null) {
      throw badRequest("domain " + domain.name + " is not linked to an ip pool");
    }
    String ip = call.params().first("ip");
    String replacementId = call.params().first("pool_id");
    if ((ip == null) == (replacementId == null)) {
      throw badRequest("exactly one of ip or pool_id is required to unlink an ip pool");
    }
    Pool linked = state.pool(domain.poolId).orElseThrow();
    if (replacementId != null) {
      Pool replacement = replacementPool(call.acting(), replacementId, linked);
      domain.poolId = replacement.id;
      domain.ips = List.of();
    } else {
      String replacementIp = replacementIp(call.acting(), ip, linked);
      domain.poolId = null;
      domain.ips = List.of(replacementIp);
    }
    state.commit(domain, true);
    return success();
  }

  private Object removeLiteralDomainIp(Call call, Domain domain, String address) {
    requireIp(address);
    requireNotLinked(domain);
    if (call.params().first("pool_id") != null) {
      throw badRequest("pool_id can only replace a linked ip pool");
    }
    if (!domain.ips.contains(address)) {
      throw notFound("IP " + address + " is not assigned to domain " + domain.name);
    }
    String replacement = call.params().first("ip");
    if ("shared".equals(replacement)) {
      throw badRequest("shared can only replace a linked ip pool");
    }
    if (replacement != null) {
      rejectIf(state.domainIpProblem(call.acting(), replacement));
    }
    List<String> remaining = new ArrayList<>(domain.ips);
    remaining.remove(address);
    if (replacement != null && !remaining.contains(replacement)) {
      remaining.add(replacement);
    }
    if (remaining.isEmpty()) {
      if (!state.sharedIpEligible()) {
        throw badRequest(
            "cannot remove the last IP of domain "
                + domain.name
                + ": the account is not eligible for shared IPs");
      }
      state.sharedIp().ifPresent(remaining::add);
    } else if (remaining.stream().allMatch(this::isWarming)) {
      // Mailgun adds a warm IP so the domain is not left sending from warming IPs only.
      state.spareWarmIp(call.acting(), remaining).ifPresent(remaining::add);
    }
    domain.ips = List.copyOf(remaining);
    state.commit(domain, false);
    return success();
  }

  private boolean isWarming(String address) {
    return state.ip(address).map(Ip::warmup).orElse(false);
  }

  // ---------------------------------------------------------------- account IPs

  private Object listIps(Call call) {
    Boolean dedicated = boolParam(call.params(), "dedicated");
    Boolean enabled = boolParam(call.params(), "enabled");
    List<Ip> ips =
        state.accountIps(call.acting()).stream()
            .filter(ip -> dedicated == null || ip.dedicated() == dedicated)
            .filter(ip -> enabled == null || ip.enabled() == enabled)
            .toList();
    Map<String, Object> body = new LinkedHashMap<>();
    if (state.dippsEnabled()) {
      body.put(
          "assignable_to_pools",
          ips.stream().filter(state::assignableToPools).map(Ip::address).toList());
    }
    List<Object> details = new ArrayList<>();
    for (Ip ip : ips) {
      Map<String, Object> detail = obj("ip", ip.address());
      detail.put("dedicated", ip.dedicated());
      detail.put("enabled", ip.enabled());
      if (ip.warmup()) {
        detail.put("is_on_warmup", true);
      }
      details.add(detail);
    }
    body.put("details", details);
    body.put("items", ips.stream().map(Ip::address).toList());
    body.put("total_count", ips.size());
    return body;
  }

  private Object getIp(Call call) {
    Ip ip = ownedIp(call);
    return obj("ip", ip.address(), "rdns", ip.rdns(), "dedicated", ip.dedicated());
  }

  private Object ipDomains(Call call) {
    Ip ip = ownedIp(call);
    int limit = intParam(call.params(), "limit", 100);
    int skip = intParam(call.params(), "skip", 0);
    if (limit < 1 || limit > 1000) {
      throw badRequest("limit must be between 1 and 1000");
    }
    if (skip < 0) {
      throw badRequest("skip must not be negative");
    }
    List<String> words = searchWords(call.params().first("search"));
    List<Domain> matches =
        state.domains(call.acting()).stream()
            .filter(d -> d.visible.ips().contains(ip.address()))
            .filter(d -> words.isEmpty() || words.stream().anyMatch(d.name::contains))
            .toList();
    List<Object> items = new ArrayList<>();
    matches.stream()
        .skip(skip)
        .limit(limit)
        .forEach(d -> items.add(obj("domain", d.name, "ips", d.visible.ips())));
    return obj("items", items, "total_count", matches.size());
  }

  private Ip ownedIp(Call call) {
    String address = call.path("ip");
    requireIp(address);
    if (!state.owns(call.acting(), address)) {
      throw notFound("ip not found");
    }
    return state.ip(address).orElseThrow();
  }

  // ---------------------------------------------------------------- v4 domains

  private Object listDomains(Call call) {
    int limit = intParam(call.params(), "limit", 100);
    int skip = intParam(call.params(), "skip", 0);
    if (limit < 1 || limit > 1000) {
      throw badRequest("limit must be between 1 and 1000");
    }
    if (skip < 0) {
      throw badRequest("skip must not be negative");
    }
    List<String> words = searchWords(call.params().first("search"));
    List<Domain> matches =
        state.domains(call.acting()).stream()
            .filter(d -> words.isEmpty() || words.stream().anyMatch(d.name::contains))
            .toList();
    List<Object> items = new ArrayList<>();
    matches.stream().skip(skip).limit(limit).forEach(d -> items.add(domainJson(d)));
    return obj("items", items, "total_count", matches.size());
  }

  private Object getDomain(Call call) {
    Domain domain = domain(call);
    return obj(
        "domain",
        domainJson(domain),
        "receiving_dns_records",
        List.of(),
        "sending_dns_records",
        List.of());
  }

  private Object createDomain(Call call) {
    Params params = call.params();
    String name = params.first("name");
    if (name == null) {
      throw badRequest("name is required");
    }
    if (!isDomainName(name)) {
      throw badRequest("invalid domain name: " + name);
    }
    if (state.domainNamed(name).isPresent()) {
      throw badRequest("This domain name is already taken");
    }
    List<String> ips = params.list("ips");
    String poolId = params.first("pool_id");
    if (!ips.isEmpty() && poolId != null) {
      throw badRequest("specify either ips or pool_id, not both");
    }
    Pool pool = null;
    if (poolId != null) {
      requireDipps();
      pool =
          state.visiblePool(call.acting(), poolId).orElseThrow(() -> notFound("ip pool not found"));
      if (pool.ips.isEmpty()) {
        throw badRequest("only an ip pool with dedicated IPs can be linked to a domain");
      }
    }
    for (String address : ips) {
      rejectIf(state.domainIpProblem(call.acting(), address));
    }
    Domain domain = state.createDomain(call.acting(), name);
    if (pool != null) {
      domain.poolId = pool.id;
    } else if (!ips.isEmpty()) {
      domain.ips = ips;
    } else {
      domain.ips = state.defaultIps(call.acting());
    }
    state.commit(domain, false);
    return obj(
        "domain",
        domainJson(domain),
        "message",
        "Domain DNS records have been created",
        "receiving_dns_records",
        List.of(),
        "sending_dns_records",
        List.of());
  }

  private Map<String, Object> domainJson(Domain domain) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("created_at", RFC_1123.format(domain.createdAt));
    json.put("id", domain.id);
    json.put("is_disabled", false);
    json.put("name", domain.name);
    json.put("require_tls", false);
    json.put("skip_verification", false);
    json.put("smtp_login", "postmaster@" + domain.name);
    json.put("spam_action", "disabled");
    json.put("state", "active");
    json.put("type", "custom");
    json.put("web_prefix", "email");
    json.put("web_scheme", "https");
    json.put("wildcard", false);
    return json;
  }

  // ---------------------------------------------------------------- shared checks

  private void requireDipps() {
    if (!state.dippsEnabled()) {
      throw forbidden("DIPPs feature is not enabled for the account");
    }
  }

  private void requirePrimary(Call call) {
    if (!call.acting().primary) {
      throw forbidden("only the parent account can link IPs to subaccounts");
    }
  }

  private Pool visiblePool(Call call) {
    return state
        .visiblePool(call.acting(), call.path("pool_id"))
        .orElseThrow(() -> notFound("ip pool not found"));
  }

  /** A pool the caller may change: feature on, visible, and not inherited from the parent. */
  private Pool ownPool(Call call) {
    requireDipps();
    Pool pool = visiblePool(call);
    if (state.isInherited(pool, call.acting())) {
      throw badRequest("inherited pool cannot be modified");
    }
    return pool;
  }

  /**
   * A replacement pool for a delete or unlink. Unknown ids are a 400, not a 404: a 404 on DELETE
   * reads as "already gone" to clients.
   */
  private Pool replacementPool(Account acting, String id, Pool replaced) {
    if (id.equals(replaced.id)) {
      throw badRequest("the replacement ip pool must differ from the replaced one");
    }
    Pool replacement =
        state
            .visiblePool(acting, id)
            .orElseThrow(() -> badRequest("replacement ip pool " + id + " not found"));
    if (replacement.ips.isEmpty()) {
      throw badRequest("the replacement ip pool must have at least one IP");
    }
    return replacement;
  }

  /** A replacement IP ({@code shared} or a literal) for a pool that is deleted or unlinked. */
  private String replacementIp(Account acting, String ip, Pool replaced) {
    if ("shared".equals(ip)) {
      if (!state.sharedIpEligible()) {
        throw badRequest("the account is not eligible for shared IPs");
      }
      return state.sharedIp().orElseThrow(() -> badRequest("no shared IP is available"));
    }
    rejectIf(state.domainIpProblem(acting, ip));
    state
        .poolHolding(ip)
        .filter(holder -> holder != replaced)
        .ifPresent(
            holder -> {
              throw badRequest("IP " + ip + " belongs to another pool");
            });
    return ip;
  }

  /** A subaccount of the calling (parent) account, or 404 as Mailgun's account service says. */
  private Account childAccount(Call call, String id) {
    if (id == null) {
      throw badRequest("subaccount_id is required");
    }
    if (!call.acting().primary) {
      throw notFound("account not found");
    }
    return state.subaccount(id).orElseThrow(() -> notFound("account not found"));
  }

  private Domain domain(Call call) {
    String name = call.path("name");
    return state
        .domain(call.acting(), name)
        .orElseThrow(() -> notFound("Domain not found: " + name));
  }

  private List<Domain> domainsByRef(Call call, List<String> refs) {
    List<Domain> out = new ArrayList<>();
    for (String ref : refs) {
      Domain domain =
          state.domain(call.acting(), ref).orElseThrow(() -> notFound("Domain not found: " + ref));
      if (!out.contains(domain)) {
        out.add(domain);
      }
    }
    return out;
  }

  private void requireNotLinked(Domain domain) {
    if (domain.poolId != null) {
      throw badRequest(
          "domain "
              + domain.name
              + " is linked to ip pool "
              + domain.poolId
              + "; its IPs cannot be changed directly");
    }
  }

  private void propagate(Pool pool, String reference) {
    state.committedLinks(pool).forEach(domain -> state.commit(domain, true, reference));
  }

  private static void requireIp(String address) {
    if (!IpAddresses.isValid(address)) {
      throw badRequest("invalid IP address: " + address);
    }
  }

  private static void rejectIf(String problem) {
    if (problem != null) {
      throw badRequest(problem);
    }
  }

  private static int intParam(Params params, String name, int fallback) {
    String value = params.first(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw badRequest(name + " must be an integer");
    }
  }

  /** Booleans as SDKs send them: true/false (Go, Java) or 1/0 (PHP). */
  private static Boolean boolParam(Params params, String name) {
    String value = params.first(name);
    if (value == null) {
      return null;
    }
    switch (value.toLowerCase(Locale.ROOT)) {
      case "true":
      case "1":
        return true;
      case "false":
      case "0":
        return false;
      default:
        throw badRequest("invalid value for " + name + ": " + value);
    }
  }

  private static List<String> searchWords(String search) {
    if (search == null) {
      return List.of();
    }
    return Arrays.stream(search.toLowerCase(Locale.ROOT).split("\\s+"))
        .filter(w -> !w.isEmpty())
        .toList();
  }

  private static String encodePage(String cursor) {
    String json = "{\"cursor\":\"" + cursor + "\"}";
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodePage(String token) {
    if (token == null) {
      return "";
    }
    try {
      String normalized = token.replace('+', '-').replace('/', '_').replace("=", "");
      String json = new String(Base64.getUrlDecoder().decode(normalized), StandardCharsets.UTF_8);
      var matcher = Pattern.compile("^\\{\"cursor\":\"([0-9a-f]*)\"}$").matcher(json);
      if (!matcher.matches()) {
        throw badRequest("invalid page token");
      }
      return matcher.group(1);
    } catch (IllegalArgumentException e) {
      throw badRequest("invalid page token");
    }
  }

  private Map<String, Object> poolSummary(Pool pool, Account viewer) {
    Map<String, Object> assignments = new LinkedHashMap<>();
    pool.ips.forEach(
        (address, since) -> assignments.put(address, obj("linked_at", rfc3339(since))));
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("description", pool.description);
    summary.put("ips", List.copyOf(pool.ips.keySet()));
    summary.put("is_inherited", state.isInherited(pool, viewer));
    summary.put("is_linked", !state.visibleLinks(pool, viewer).isEmpty());
    summary.put("metadata", obj("assignments", assignments));
    summary.put("name", pool.name);
    summary.put("pool_id", pool.id);
    return summary;
  }

  private static String rfc3339(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  private Map<String, Object> started(String reference) {
    return obj("message", "started", "reference_id", reference);
  }

  private static Map<String, Object> success() {
    return obj("message", "success");
  }

  static Map<String, Object> obj(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
