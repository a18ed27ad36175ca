package dev.ippools.mailgun.emulator;

import static dev.ippools.mailgun.emulator.ApiException.badRequest;
import static dev.ippools.mailgun.emulator.ApiException.notFound;

import dev.ippools.mailgun.emulator.Router.Call;
import java.util.ArrayList;
import java.util.List;

/**
 * Base of the handlers of one resource group (see {@link MailgunApi} for the routes): finds what a
 * request names, answering 404 as Mailgun does when it is not there (Mailgun rule 18).
 */
abstract class ResourceApi {

    protected final EmulatorState state;
    protected final MailgunRules rules;

    ResourceApi(EmulatorState state) {
        this.state = state;
        this.rules = state.rules();
    }

    /** The pool of the {@code pool_id} path variable, if the caller sees it. */
    Pool visiblePool(Call call) {
        return visiblePool(call.acting(), call.path("pool_id"));
    }

    Pool visiblePool(Account acting, String id) {
        return state.visiblePool(acting, id).orElseThrow(() -> notFound("ip pool not found"));
    }

    /** A pool the caller may change: feature on, visible, and not inherited from the parent. */
    Pool ownPool(Call call) {
        rules.requireDipps();
        Pool pool = visiblePool(call);
        rules.requireNotInherited(pool, call.acting());
        return pool;
    }

    /** A subaccount of the calling (parent) account, or 404 as Mailgun's account service says. */
    Account childAccount(Call call, String id) {
        if (id == null) {
            throw badRequest("subaccount_id is required");
        }
        if (!call.acting().primary) {
            throw notFound("account not found");
        }
        return state.subaccount(id).orElseThrow(() -> notFound("account not found"));
    }

    /** The caller's domain of the {@code name} path variable. */
    Domain domain(Call call) {
        return domain(call, call.path("name"));
    }

    /** The caller's domains by name or id, each once. */
    List<Domain> domains(Call call, List<String> refs) {
        List<Domain> out = new ArrayList<>();
        for (String ref : refs) {
            Domain domain = domain(call, ref);
            if (!out.contains(domain)) {
                out.add(domain);
            }
        }
        return out;
    }

    private Domain domain(Call call, String ref) {
        return state.domain(call.acting(), ref).orElseThrow(() -> notFound("Domain not found: " + ref));
    }

    /** An IP of the {@code ip} path variable that the caller's account has. */
    Ip ownedIp(Call call) {
        return ownedIp(call, "ip");
    }

    /** An IP of path variable {@code variable} that the caller's account has. */
    Ip ownedIp(Call call, String variable) {
        String address = call.path(variable);
        MailgunRules.requireIp(address);
        if (!state.owns(call.acting(), address)) {
            throw notFound("ip not found");
        }
        return state.ip(address).orElseThrow();
    }
}
