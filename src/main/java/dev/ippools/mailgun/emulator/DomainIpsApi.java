package dev.ippools.mailgun.emulator;

import static dev.ippools.mailgun.emulator.ApiException.badRequest;
import static dev.ippools.mailgun.emulator.ApiException.notFound;
import static dev.ippools.mailgun.emulator.Json.obj;
import static dev.ippools.mailgun.emulator.Json.success;

import dev.ippools.mailgun.emulator.Router.Call;
import java.util.ArrayList;
import java.util.List;

/**
 * A domain's IPs: read them, assign an IP or link a pool, remove an IP, all of them, or the linked
 * pool (with a replacement).
 */
final class DomainIpsApi extends ResourceApi {

    DomainIpsApi(EmulatorState state) {
        super(state);
    }

    Object list(Call call) {
        Domain domain = domain(call);
        return obj(
                "items",
                domain.visible.ips(),
                "total_count",
                domain.visible.ips().size());
    }

    Object add(Call call) {
        Domain domain = domain(call);
        String address = call.params().first("ip");
        String poolId = call.params().first("pool_id");
        call.params().requireNotBoth("ip", "pool_id");
        if (address == null && poolId == null) {
            throw badRequest("ip or pool_id is required");
        }
        if (poolId != null) {
            rules.requireDipps();
            Pool pool = visiblePool(call.acting(), poolId);
            rules.requireLinkable(pool.ips.keySet());
            if (!pool.id.equals(domain.poolId)) {
                domain.linkTo(pool);
                state.commit(domain, true);
            }
            return success();
        }
        rules.requireNotLinked(domain);
        rules.requireDomainIp(call.acting(), address);
        if (!domain.ips.contains(address)) {
            List<String> ips = new ArrayList<>(domain.ips);
            ips.add(address);
            domain.ips = List.copyOf(ips);
            state.commit(domain, false);
        }
        return success();
    }

    Object remove(Call call) {
        Domain domain = domain(call);
        String target = call.path("ip");
        if ("ip_pool".equals(target)) {
            return unlinkPool(call, domain);
        }
        if ("all".equals(target)) {
            // The domain leaves the IP system's books and falls back to the account default set.
            boolean wasLinked = domain.poolId != null;
            state.resetToDefault(domain);
            state.commit(domain, wasLinked);
            return success();
        }
        return removeIp(call, domain, target);
    }

    private Object unlinkPool(Call call, Domain domain) {
        rules.requireDipps();
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
            domain.linkTo(rules.replacementPool(call.acting(), replacementId, linked));
        } else {
            domain.assign(List.of(rules.replacementIp(call.acting(), ip, linked)));
        }
        state.commit(domain, true);
        return success();
    }

    private Object removeIp(Call call, Domain domain, String address) {
        MailgunRules.requireIp(address);
        rules.requireNotLinked(domain);
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
            rules.requireDomainIp(call.acting(), replacement);
        }
        List<String> remaining = new ArrayList<>(domain.ips);
        remaining.remove(address);
        if (replacement != null && !remaining.contains(replacement)) {
            remaining.add(replacement);
        }
        domain.ips = rules.keepSending(call.acting(), domain, remaining);
        state.commit(domain, false);
        return success();
    }
}
