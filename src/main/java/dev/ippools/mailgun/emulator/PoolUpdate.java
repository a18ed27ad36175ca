package dev.ippools.mailgun.emulator;

import static dev.ippools.mailgun.emulator.ApiException.badRequest;

import dev.ippools.mailgun.emulator.Router.Call;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What a pool PATCH really changes, read from its parameters and checked, with no-ops dropped: a
 * new name and description (null when unchanged), IPs to add and remove, domains to link and
 * unlink.
 */
record PoolUpdate(
        String name,
        String description,
        List<String> toAdd,
        List<String> toRemove,
        List<Domain> toLink,
        List<Domain> toUnlink) {

    /** Reads and checks the update; {@code domains} finds the caller's domains by name or id. */
    static PoolUpdate read(Call call, Pool pool, MailgunRules rules, Function<List<String>, List<Domain>> domains) {
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
                rules.requirePoolIp(call.acting(), address, pool);
                toAdd.add(address);
            }
        }
        List<String> toRemove = new ArrayList<>();
        for (String address : remove) {
            MailgunRules.requireIp(address);
            if (pool.ips.containsKey(address)) {
                toRemove.add(address);
            }
        }
        List<Domain> link = domains.apply(params.list("link_domain"));
        List<Domain> unlink = domains.apply(params.list("unlink_domain"));
        for (Domain domain : link) {
            if (unlink.contains(domain)) {
                throw badRequest("domain " + domain.name + " cannot be both linked and unlinked");
            }
        }
        return new PoolUpdate(
                name != null && !name.equals(pool.name) ? name : null,
                description != null && !description.equals(pool.description) ? description : null,
                toAdd,
                toRemove,
                link.stream().filter(d -> !pool.id.equals(d.poolId)).toList(),
                unlink.stream().filter(d -> pool.id.equals(d.poolId)).toList());
    }

    boolean ipsChanged() {
        return !toAdd.isEmpty() || !toRemove.isEmpty();
    }

    boolean linksChanged() {
        return !toLink.isEmpty() || !toUnlink.isEmpty();
    }

    boolean isEmpty() {
        return name == null && description == null && !ipsChanged() && !linksChanged();
    }
}
