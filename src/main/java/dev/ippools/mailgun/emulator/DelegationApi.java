package dev.ippools.mailgun.emulator;

import static dev.ippools.mailgun.emulator.ApiException.badRequest;
import static dev.ippools.mailgun.emulator.ApiException.notFound;
import static dev.ippools.mailgun.emulator.Json.obj;
import static dev.ippools.mailgun.emulator.Json.started;
import static dev.ippools.mailgun.emulator.Json.success;

import dev.ippools.mailgun.emulator.Router.Call;
import java.util.ArrayList;
import java.util.List;

/**
 * Delegating pools to subaccounts (Mailgun rule 16): the v3 endpoints, where a subaccount may hold
 * several pools, and the legacy v5 ones, which keep one pool per subaccount. The work runs as a
 * saga on the propagation queue.
 */
final class DelegationApi extends ResourceApi {

    private final PropagationQueue propagation;

    DelegationApi(EmulatorState state) {
        super(state);
        this.propagation = state.propagation();
    }

    Object delegate(Call call) {
        Pool pool = ownPool(call);
        Account sub = childAccount(call, call.params().first("subaccount_id"));
        if (!propagation.delegatedOrPending(pool, sub)) {
            propagation.startDelegationChange(state.newId(), sub, List.of(), pool.id);
        }
        return success();
    }

    Object revoke(Call call) {
        Pool pool = ownPool(call);
        Account sub = childAccount(call, call.params().first("subaccount_id"));
        return revokeDelegation(pool, sub);
    }

    Object legacyDelegations(Call call) {
        List<Object> items = new ArrayList<>();
        if (call.acting().primary) {
            for (Account sub : state.subaccounts()) {
                List<Pool> delegated = state.visiblePools(sub).stream()
                        .filter(p -> state.isInherited(p, sub))
                        .toList();
                if (delegated.isEmpty()) {
                    items.add(obj("pool_id", null, "subaccount_id", sub.id));
                }
                delegated.forEach(p -> items.add(obj("pool_id", p.id, "subaccount_id", sub.id)));
            }
        }
        return obj("items", items, "total_count", items.size());
    }

    Object legacyDelegate(Call call) {
        rules.requireDipps();
        Account sub = childAccount(call, call.path("subaccount_id"));
        Pool pool = legacyPool(call);
        // The legacy endpoint keeps one delegated pool per subaccount: it replaces the others.
        List<String> revoke = state.visiblePools(sub).stream()
                .filter(p -> state.isInherited(p, sub) && p != pool)
                .map(p -> p.id)
                .toList();
        String reference = state.newId();
        propagation.startDelegationChange(reference, sub, revoke, pool.id);
        return started(reference);
    }

    Object legacyRevoke(Call call) {
        rules.requireDipps();
        Account sub = childAccount(call, call.path("subaccount_id"));
        return revokeDelegation(legacyPool(call), sub);
    }

    private Object revokeDelegation(Pool pool, Account sub) {
        if (!propagation.delegatedOrPending(pool, sub)) {
            throw badRequest("ip pool " + pool.id + " is not delegated to subaccount " + sub.id);
        }
        String reference = state.newId();
        propagation.startDelegationChange(reference, sub, List.of(pool.id), null);
        return started(reference);
    }

    /** The legacy endpoints name the pool in a parameter and see only the caller's own pools. */
    private Pool legacyPool(Call call) {
        String poolId = call.params().first("pool_id");
        if (poolId == null) {
            throw badRequest("invalid request parameters");
        }
        return state.pool(poolId)
                .filter(p -> p.ownerId.equals(call.acting().id))
                .orElseThrow(() -> notFound("ip pool not found"));
    }
}
