package dev.ippools.mailgun.emulator;

import static dev.ippools.mailgun.emulator.ApiException.badRequest;
import static dev.ippools.mailgun.emulator.Json.obj;
import static dev.ippools.mailgun.emulator.Json.started;
import static dev.ippools.mailgun.emulator.Json.success;

import dev.ippools.mailgun.emulator.Router.Call;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Dedicated IP pools: list, create, read, edit and delete, and the domains linked to one. */
final class PoolsApi extends ResourceApi {

    PoolsApi(EmulatorState state) {
        super(state);
    }

    Object list(Call call) {
        List<Object> items = new ArrayList<>();
        for (Pool pool : state.visiblePools(call.acting())) {
            items.add(summary(pool, call.acting()));
        }
        return obj("ip_pools", items, "message", "success");
    }

    Object create(Call call) {
        rules.requireDipps();
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
            rules.requirePoolIp(call.acting(), address, null);
        }
        Pool pool = state.createPool(call.acting(), name, description, addresses);
        return obj("message", "success", "pool_id", pool.id);
    }

    Object get(Call call) {
        Pool pool = visiblePool(call);
        Map<String, Object> details = summary(pool, call.acting());
        details.put(
                "linked_domains",
                state.visibleLinks(pool, call.acting()).stream()
                        .map(d -> d.name)
                        .toList());
        return obj("details", details, "message", "success");
    }

    Object update(Call call) {
        Pool pool = ownPool(call);
        PoolUpdate update = PoolUpdate.read(call, pool, rules, refs -> domains(call, refs));
        if (update.isEmpty()) {
            throw badRequest("no changes");
        }
        Set<String> resultingIps = new LinkedHashSet<>(pool.ips.keySet());
        resultingIps.addAll(update.toAdd());
        update.toRemove().forEach(resultingIps::remove);
        if (!update.toLink().isEmpty()) {
            rules.requireLinkable(resultingIps);
        }
        rules.requireKeepsAnIp(pool, resultingIps, update.toUnlink());

        if (update.name() != null) {
            pool.name = update.name();
        }
        if (update.description() != null) {
            pool.description = update.description();
        }
        Instant now = state.now();
        update.toAdd().forEach(address -> pool.ips.put(address, now));
        update.toRemove().forEach(pool.ips::remove);
        for (Domain domain : update.toUnlink()) {
            // An unlinked domain keeps sending from the pool's IPs; if none are left, the defaults.
            if (resultingIps.isEmpty()) {
                state.resetToDefault(domain);
            } else {
                domain.assign(List.copyOf(resultingIps));
            }
        }
        update.toLink().forEach(domain -> domain.linkTo(pool));
        if (!update.ipsChanged() && !update.linksChanged()) {
            return success();
        }
        String reference = state.newId();
        Set<Domain> touched = new LinkedHashSet<>(update.toUnlink());
        touched.addAll(update.toLink());
        if (update.ipsChanged()) {
            touched.addAll(state.committedLinks(pool));
        }
        touched.forEach(domain -> state.commit(domain, true, reference));
        return started(reference);
    }

    Object delete(Call call) {
        Pool pool = ownPool(call);
        String ip = call.params().first("ip");
        String replacementId = call.params().first("pool_id");
        call.params().requireNotBoth("ip", "pool_id");
        Pool replacement = null;
        String replacementIp = null;
        if (replacementId != null) {
            replacement = rules.replacementPool(call.acting(), replacementId, pool);
        } else if (ip != null) {
            replacementIp = rules.replacementIp(call.acting(), ip, pool);
        } else if (!pool.ips.isEmpty()) {
            throw badRequest("ip pool has IPs: a replacement ip or pool_id is required to delete it");
        }

        String reference = state.newId();
        List<Domain> linked = state.committedLinks(pool);
        for (Domain domain : linked) {
            if (replacement != null) {
                domain.linkTo(replacement);
            } else if (replacementIp != null) {
                domain.assign(List.of(replacementIp));
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

    Object linkedDomains(Call call) {
        Pool pool = visiblePool(call);
        int limit = call.params().integer("limit", 10);
        if (limit < 10 || limit > 500) {
            throw badRequest("limit must be between 10 and 500");
        }
        String after = Paging.decodeCursor(call.params().first("page"));
        List<Domain> page = state.visibleLinks(pool, call.acting()).stream()
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
                obj("first", base + Paging.encodeCursor(""), "next", base + Paging.encodeCursor(nextCursor)));
    }

    private Map<String, Object> summary(Pool pool, Account viewer) {
        Map<String, Object> assignments = new LinkedHashMap<>();
        pool.ips.forEach((address, since) -> assignments.put(address, obj("linked_at", Json.rfc3339(since))));
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
}
