package dev.ippools.mailgun.emulator;

import static dev.ippools.mailgun.emulator.ApiException.badRequest;
import static dev.ippools.mailgun.emulator.Json.obj;
import static dev.ippools.mailgun.emulator.Json.success;

import dev.ippools.mailgun.emulator.Router.Call;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The account's IPs, the domains using one, and linking the parent's IPs to subaccounts. */
final class AccountIpsApi extends ResourceApi {

    AccountIpsApi(EmulatorState state) {
        super(state);
    }

    Object list(Call call) {
        Boolean dedicated = call.params().bool("dedicated");
        Boolean enabled = call.params().bool("enabled");
        List<Ip> ips = state.accountIps(call.acting()).stream()
                .filter(ip -> dedicated == null || ip.dedicated() == dedicated)
                .filter(ip -> enabled == null || ip.enabled() == enabled)
                .toList();
        Map<String, Object> body = new LinkedHashMap<>();
        if (state.dippsEnabled()) {
            body.put(
                    "assignable_to_pools",
                    ips.stream()
                            .filter(rules::assignableToPools)
                            .map(Ip::address)
                            .toList());
        }
        List<Object> details = new ArrayList<>();
        for (Ip ip : ips) {
            Map<String, Object> detail = obj("ip", ip.address());
            detail.put("dedicated", ip.dedicated());
            detail.put("enabled", ip.enabled());
            if (state.warming(ip.address())) {
                detail.put("is_on_warmup", true);
            }
            details.add(detail);
        }
        body.put("details", details);
        body.put("items", ips.stream().map(Ip::address).toList());
        body.put("total_count", ips.size());
        return body;
    }

    Object get(Call call) {
        Ip ip = ownedIp(call);
        return obj("ip", ip.address(), "rdns", ip.rdns(), "dedicated", ip.dedicated());
    }

    Object domains(Call call) {
        Ip ip = ownedIp(call);
        Paging.Window window = Paging.Window.of(call.params());
        Predicate<String> search = Paging.search(call.params());
        List<Domain> matches = state.domains(call.acting()).stream()
                .filter(d -> d.visible.ips().contains(ip.address()))
                .filter(d -> search.test(d.name))
                .toList();
        List<Object> items = new ArrayList<>();
        window.page(matches).forEach(d -> items.add(obj("domain", d.name, "ips", d.visible.ips())));
        return obj("items", items, "total_count", matches.size());
    }

    // --------------------------------------------------------- subaccount IP links (Mailgun rule 17)

    Object legacyLinkToSubaccount(Call call) {
        rules.requirePrimary(call.acting());
        Account sub = childAccount(call, call.path("subaccount_id"));
        String address = call.params().first("ip");
        if (address == null) {
            throw badRequest("ip is required");
        }
        rules.requireLinkableToSubaccounts(address);
        sub.linkedIps.add(address);
        return success();
    }

    Object linkToSubaccounts(Call call) {
        rules.requirePrimary(call.acting());
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
        link.forEach(rules::requireLinkableToSubaccounts);
        unlink.forEach(address -> rules.requireUnlinkable(subs, address));
        for (Account sub : subs) {
            sub.linkedIps.addAll(link);
            unlink.forEach(sub.linkedIps::remove);
        }
        return obj("message", all ? "queued" : "success");
    }
}
