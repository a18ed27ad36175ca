package dev.ippools.mailgun.emulator;

import static dev.ippools.mailgun.emulator.ApiException.badRequest;
import static dev.ippools.mailgun.emulator.Json.obj;

import dev.ippools.mailgun.emulator.Router.Call;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Domains: list, create (with IPs, a pool, or the account defaults, Mailgun rule 13) and read. */
final class DomainsApi extends ResourceApi {

    DomainsApi(EmulatorState state) {
        super(state);
    }

    Object list(Call call) {
        Paging.Window window = Paging.Window.of(call.params());
        Predicate<String> search = Paging.search(call.params());
        List<Domain> matches = state.domains(call.acting()).stream()
                .filter(d -> search.test(d.name))
                .toList();
        List<Object> items = new ArrayList<>();
        window.page(matches).forEach(d -> items.add(json(d)));
        return obj("items", items, "total_count", matches.size());
    }

    Object get(Call call) {
        Domain domain = domain(call);
        return obj("domain", json(domain), "receiving_dns_records", List.of(), "sending_dns_records", List.of());
    }

    Object create(Call call) {
        Params params = call.params();
        String name = params.first("name");
        if (name == null) {
            throw badRequest("name is required");
        }
        if (!MailgunRules.isDomainName(name)) {
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
            rules.requireDipps();
            pool = visiblePool(call.acting(), poolId);
            rules.requireLinkable(pool.ips.keySet());
        }
        for (String address : ips) {
            rules.requireDomainIp(call.acting(), address);
        }
        Domain domain = state.createDomain(call.acting(), name);
        if (pool != null) {
            domain.linkTo(pool);
        } else if (!ips.isEmpty()) {
            domain.assign(ips);
        } else {
            domain.assign(rules.defaultIps(call.acting()));
        }
        state.commit(domain, false);
        return obj(
                "domain",
                json(domain),
                "message",
                "Domain DNS records have been created",
                "receiving_dns_records",
                List.of(),
                "sending_dns_records",
                List.of());
    }

    private static Map<String, Object> json(Domain domain) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("created_at", Json.rfc1123(domain.createdAt));
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
}
