package dev.ippools.mailgun.emulator;

import static dev.ippools.mailgun.emulator.ApiException.badRequest;
import static dev.ippools.mailgun.emulator.ApiException.notFound;
import static dev.ippools.mailgun.emulator.Json.obj;
import static dev.ippools.mailgun.emulator.Json.success;

import dev.ippools.mailgun.emulator.Router.Call;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * IP warm-ups ({@code /v3/ip_warmups}, reference §4.5): list the running ones, read one, start,
 * cancel. Progress follows the emulator's clock and the fixture's {@code warmupPlan}.
 */
final class WarmupsApi extends ResourceApi {

    WarmupsApi(EmulatorState state) {
        super(state);
    }

    /** Running warm-ups of the caller's IPs in account order; the cursor holds the next offset. */
    Object list(Call call) {
        int limit = call.params().integer("limit", 10);
        if (limit < 1 || limit > 1000) {
            throw badRequest("limit must be between 1 and 1000");
        }
        String page = call.params().first("page");
        String cursor = page == null ? "" : Paging.decodeCursor(page);
        int from;
        try {
            from = cursor.isEmpty() ? 0 : Integer.parseInt(cursor, 16);
        } catch (NumberFormatException e) {
            throw badRequest("invalid page token");
        }
        Instant now = state.now();
        List<Warmup> running = new ArrayList<>();
        for (Ip ip : state.accountIps(call.acting())) {
            state.warmup(ip.address()).ifPresent(running::add);
        }
        List<Warmup> window = running.stream().skip(from).limit(limit).toList();
        List<Object> items = new ArrayList<>();
        window.forEach(w -> items.add(w.summary(now)));
        String base = call.baseUrl() + call.requestPath() + "?limit=" + limit + "&page=";
        String next = Integer.toHexString(Math.min(running.size(), from + window.size()));
        return obj(
                "items",
                items,
                "paging",
                obj("first", base + Paging.encodeCursor(""), "next", base + Paging.encodeCursor(next)));
    }

    Object get(Call call) {
        Ip ip = ownedIp(call, "addr");
        Warmup warmup = state.warmup(ip.address()).orElseThrow(() -> notFound("ip warmup not found"));
        return obj("details", warmup.details(state.now()));
    }

    Object start(Call call) {
        Ip ip = ownedIp(call, "addr");
        if (!ip.dedicated()) {
            throw badRequest("IP " + ip.address() + " is not a dedicated IP");
        }
        if (state.warming(ip.address())) {
            throw badRequest("IP " + ip.address() + " is already warming up");
        }
        state.startWarmup(ip.address(), 1);
        return success();
    }

    Object cancel(Call call) {
        Ip ip = ownedIp(call, "addr");
        if (!state.warming(ip.address())) {
            throw notFound("ip warmup not found");
        }
        state.cancelWarmup(ip.address());
        return success();
    }
}
