package dev.ippools.mailgun.client.http;

/**
 * One Mailgun operation: HTTP method, path template (the label for metrics and errors, never the
 * concrete path) and whether repeating it after an unclear outcome is harmless.
 */
record Endpoint(String method, String pathTemplate, boolean safeToRepeat) {

    static final Endpoint LIST_POOLS = read("/v3/ip_pools");
    static final Endpoint GET_POOL = read("/v3/ip_pools/{pool_id}");
    // A repeated create makes a second pool, so it is only repeated when Mailgun surely did nothing.
    static final Endpoint CREATE_POOL = new Endpoint("POST", "/v3/ip_pools", false);
    static final Endpoint UPDATE_POOL = write("PATCH", "/v3/ip_pools/{pool_id}");
    static final Endpoint DELETE_POOL = write("DELETE", "/v3/ip_pools/{pool_id}");
    static final Endpoint LIST_POOL_DOMAINS = read("/v3/ip_pools/{pool_id}/domains");
    static final Endpoint ADD_POOL_IP = write("PUT", "/v3/ip_pools/{pool_id}/ips/{ip}");
    static final Endpoint ADD_POOL_IPS = write("POST", "/v3/ip_pools/{pool_id}/ips.json");
    static final Endpoint REMOVE_POOL_IP = write("DELETE", "/v3/ip_pools/{pool_id}/ips/{ip}");
    static final Endpoint DELEGATE_POOL = write("PUT", "/v3/ip_pools/{pool_id}/delegate");
    static final Endpoint REVOKE_POOL_DELEGATION = write("DELETE", "/v3/ip_pools/{pool_id}/delegate");
    static final Endpoint LIST_SUBACCOUNT_POOLS = read("/v5/accounts/subaccounts/ip_pools/all");
    static final Endpoint SET_SUBACCOUNT_POOL = write("PUT", "/v5/accounts/subaccounts/{subaccount_id}/ip_pool");
    static final Endpoint REMOVE_SUBACCOUNT_POOL = write("DELETE", "/v5/accounts/subaccounts/{subaccount_id}/ip_pool");
    static final Endpoint LIST_DOMAINS = read("/v4/domains");
    static final Endpoint LIST_DOMAIN_IPS = read("/v3/domains/{name}/ips");
    static final Endpoint ADD_DOMAIN_IP = write("POST", "/v3/domains/{name}/ips");
    static final Endpoint REMOVE_DOMAIN_IP = write("DELETE", "/v3/domains/{name}/ips/{ip}");
    static final Endpoint REMOVE_DOMAIN_POOL = write("DELETE", "/v3/domains/{name}/ips/all");
    static final Endpoint UNLINK_DOMAIN_POOL = write("DELETE", "/v3/domains/{name}/ips/ip_pool");
    static final Endpoint LIST_IPS = read("/v3/ips");
    static final Endpoint GET_IP = read("/v3/ips/{ip}");
    static final Endpoint LIST_IP_DOMAINS = read("/v3/ips/{ip}/domains");
    static final Endpoint LIST_WARMUPS = read("/v3/ip_warmups");
    static final Endpoint GET_WARMUP = read("/v3/ip_warmups/{addr}");
    // A repeated start answers 400 (already warming) if the first one went through: not repeated.
    static final Endpoint START_WARMUP = new Endpoint("POST", "/v3/ip_warmups/{addr}", false);
    static final Endpoint CANCEL_WARMUP = write("DELETE", "/v3/ip_warmups/{addr}");

    private static Endpoint read(String pathTemplate) {
        return new Endpoint("GET", pathTemplate, true);
    }

    private static Endpoint write(String method, String pathTemplate) {
        return new Endpoint(method, pathTemplate, true);
    }

    /** True for statuses that may go away by themselves (408, 429, 5xx). */
    static boolean isTransientStatus(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    /**
     * Whether this status may be retried here. A non-repeatable call is only retried on 429, which
     * Mailgun answers before doing any work: a 5xx (a gateway's 502/504 included) may come after
     * Mailgun made the pool, so the caller looks it up instead of posting again.
     */
    boolean retriesOn(int status) {
        if (safeToRepeat) {
            return isTransientStatus(status);
        }
        return status == 429;
    }

    /** {@code GET /v3/ip_pools/{pool_id}}: the label used by metrics and error messages. */
    @Override
    public String toString() {
        return method + " " + pathTemplate;
    }
}
