package dev.ippools.mailgun.emulator;

import java.util.List;

/**
 * Mailgun's HTTP API over one state: every route, with a handler class per resource group. The
 * handlers check Mailgun's rules ({@link MailgunRules}) before they change anything, so a rejected
 * call leaves the state as it was.
 */
final class MailgunApi {

    private MailgunApi() {}

    static void register(Router router, EmulatorState state) {
        PoolsApi pools = new PoolsApi(state);
        PoolIpsApi poolIps = new PoolIpsApi(state);
        DelegationApi delegation = new DelegationApi(state);
        // The /v1 pool paths are the pre-2024 flavour; they share the v3 handlers.
        for (String prefix : List.of("/v3", "/v1")) {
            router.add("GET", prefix + "/ip_pools", pools::list);
            router.add("POST", prefix + "/ip_pools", pools::create);
            router.add("GET", prefix + "/ip_pools/{pool_id}", pools::get);
            router.add("PATCH", prefix + "/ip_pools/{pool_id}", pools::update);
            router.add("DELETE", prefix + "/ip_pools/{pool_id}", pools::delete);
            router.add("GET", prefix + "/ip_pools/{pool_id}/domains", pools::linkedDomains);
            router.add("POST", prefix + "/ip_pools/{pool_id}/ips.json", poolIps::addIps);
            router.add("PUT", prefix + "/ip_pools/{pool_id}/ips/{ip}", poolIps::addIp);
            router.add("DELETE", prefix + "/ip_pools/{pool_id}/ips/{ip}", poolIps::removeIp);
            router.add("PUT", prefix + "/ip_pools/{pool_id}/delegate", delegation::delegate);
            router.add("DELETE", prefix + "/ip_pools/{pool_id}/delegate", delegation::revoke);
        }
        router.add("GET", "/v5/accounts/subaccounts/ip_pools/all", delegation::legacyDelegations);
        router.add("PUT", "/v5/accounts/subaccounts/{subaccount_id}/ip_pool", delegation::legacyDelegate);
        router.add("DELETE", "/v5/accounts/subaccounts/{subaccount_id}/ip_pool", delegation::legacyRevoke);

        AccountIpsApi accountIps = new AccountIpsApi(state);
        router.add("PUT", "/v5/accounts/subaccounts/{subaccount_id}/ip", accountIps::legacyLinkToSubaccount);

        DomainIpsApi domainIps = new DomainIpsApi(state);
        router.add("GET", "/v3/domains/{name}/ips", domainIps::list);
        router.add("POST", "/v3/domains/{name}/ips", domainIps::add);
        router.add("DELETE", "/v3/domains/{name}/ips/{ip}", domainIps::remove);
        router.add("DELETE", "/v3/domains/{name}/pool/{ip}", domainIps::remove);

        router.add("GET", "/v3/ips", accountIps::list);
        router.add("PATCH", "/v3/ips/subaccounts", accountIps::linkToSubaccounts);
        router.add("GET", "/v3/ips/{ip}", accountIps::get);
        router.add("GET", "/v3/ips/{ip}/domains", accountIps::domains);

        WarmupsApi warmups = new WarmupsApi(state);
        router.add("GET", "/v3/ip_warmups", warmups::list);
        router.add("GET", "/v3/ip_warmups/{addr}", warmups::get);
        router.add("POST", "/v3/ip_warmups/{addr}", warmups::start);
        router.add("DELETE", "/v3/ip_warmups/{addr}", warmups::cancel);

        DomainsApi domains = new DomainsApi(state);
        // v3 is the older domains API some SDKs (mailgun-go v4) still call; same shapes here.
        for (String prefix : List.of("/v4", "/v3")) {
            router.add("GET", prefix + "/domains", domains::list);
            router.add("POST", prefix + "/domains", domains::create);
            router.add("GET", prefix + "/domains/{name}", domains::get);
        }
    }
}
