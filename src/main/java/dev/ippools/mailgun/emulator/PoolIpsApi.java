package dev.ippools.mailgun.emulator;

import static dev.ippools.mailgun.emulator.ApiException.badRequest;
import static dev.ippools.mailgun.emulator.ApiException.notFound;
import static dev.ippools.mailgun.emulator.Json.started;

import dev.ippools.mailgun.emulator.Router.Call;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The IPs of a pool, one or several at a time. Membership changes at once; the linked domains
 * follow through propagation (Mailgun rule 15).
 */
final class PoolIpsApi extends ResourceApi {

    PoolIpsApi(EmulatorState state) {
        super(state);
    }

    Object addIp(Call call) {
        Pool pool = ownPool(call);
        String address = call.path("ip");
        MailgunRules.requireIp(address);
        return add(call, pool, List.of(address));
    }

    Object addIps(Call call) {
        Pool pool = ownPool(call);
        List<String> addresses = call.params().list("ips");
        if (addresses.isEmpty()) {
            throw badRequest("ips is required");
        }
        return add(call, pool, addresses);
    }

    /** Adds the addresses not in the pool yet; started even when there are none. */
    private Object add(Call call, Pool pool, List<String> addresses) {
        List<String> toAdd = new ArrayList<>();
        for (String address : addresses) {
            if (!pool.ips.containsKey(address)) {
                rules.requirePoolIp(call.acting(), address, pool);
                toAdd.add(address);
            }
        }
        String reference = state.newId();
        if (!toAdd.isEmpty()) {
            Instant now = state.now();
            toAdd.forEach(address -> pool.ips.put(address, now));
            state.commitLinks(pool, reference);
        }
        return started(reference);
    }

    Object removeIp(Call call) {
        Pool pool = ownPool(call);
        String address = call.path("ip");
        MailgunRules.requireIp(address);
        if (!pool.ips.containsKey(address)) {
            throw notFound("IP " + address + " is not in ip pool " + pool.id);
        }
        rules.requireKeepsAnIp(pool, remainingWithout(pool, address), List.of());
        pool.ips.remove(address);
        String reference = state.newId();
        state.commitLinks(pool, reference);
        return started(reference);
    }

    private static Set<String> remainingWithout(Pool pool, String address) {
        Set<String> remaining = new LinkedHashSet<>(pool.ips.keySet());
        remaining.remove(address);
        return remaining;
    }
}
