package dev.ippools.mailgun.client;

import dev.ippools.mailgun.client.model.AccountDomain;
import dev.ippools.mailgun.client.model.AccountDomainsPage;
import dev.ippools.mailgun.client.model.AccountIp;
import dev.ippools.mailgun.client.model.AccountIps;
import dev.ippools.mailgun.client.model.CreatedPool;
import dev.ippools.mailgun.client.model.IpDomains;
import dev.ippools.mailgun.client.model.IpPoolDetails;
import dev.ippools.mailgun.client.model.IpWarmup;
import dev.ippools.mailgun.client.model.IpWarmupsPage;
import dev.ippools.mailgun.client.model.MailgunPool;
import dev.ippools.mailgun.client.model.MailgunResponse;
import dev.ippools.mailgun.client.model.NewPool;
import dev.ippools.mailgun.client.model.PoolChange;
import dev.ippools.mailgun.client.model.PoolDomain;
import dev.ippools.mailgun.client.model.PoolDomainsPage;
import dev.ippools.mailgun.client.model.Replacement;
import dev.ippools.mailgun.client.model.SubaccountPoolDelegation;
import java.util.List;

/**
 * Mailgun's dedicated-IP-pool, domain-IP and account-IP endpoints (reference §2–§4).
 *
 * <p>Every method is one HTTP call (list helpers that follow pages say so). Calls throw {@link
 * MailgunException} subtypes; responses Mailgun answers with {@code started} mean "accepted, the
 * effect on domains follows later".
 *
 * <p>Made by {@code OkHttpMailgunClient.create(options)} in {@code client.http}; this package does
 * not depend on its implementation.
 */
public interface MailgunClient extends AutoCloseable {

    /** A client for the same account acting for a subaccount ({@code X-Mailgun-On-Behalf-Of}). */
    MailgunClient onBehalfOf(String subaccountId);

    // --- §2 dedicated IP pools ---

    /** {@code GET /v3/ip_pools}. */
    List<MailgunPool> listPools();

    /** {@code GET /v3/ip_pools/{pool_id}}. */
    IpPoolDetails getPool(String poolId);

    /** {@code POST /v3/ip_pools} with repeated {@code ip} fields. */
    CreatedPool createPool(NewPool pool);

    /** {@code PATCH /v3/ip_pools/{pool_id}}; the caller makes sure the change is not a no-op. */
    MailgunResponse updatePool(String poolId, PoolChange change);

    /**
     * {@code DELETE /v3/ip_pools/{pool_id}} with an optional replacement ({@code ip} or {@code
     * pool_id}).
     */
    MailgunResponse deletePool(String poolId, Replacement replacement);

    /** {@code GET /v3/ip_pools/{pool_id}/domains}, one page ({@code page} null for the first). */
    PoolDomainsPage listPoolDomains(String poolId, int limit, String page);

    /** Every domain linked to a pool, following the cursor until an empty or short page. */
    List<PoolDomain> listAllPoolDomains(String poolId);

    /** {@code PUT /v3/ip_pools/{pool_id}/ips/{ip}}. */
    MailgunResponse addPoolIp(String poolId, String ip);

    /** {@code POST /v3/ip_pools/{pool_id}/ips.json} with {@code {"ips": [...]}}. */
    MailgunResponse addPoolIps(String poolId, List<String> ips);

    /** {@code DELETE /v3/ip_pools/{pool_id}/ips/{ip}}. */
    MailgunResponse removePoolIp(String poolId, String ip);

    /** {@code PUT /v3/ip_pools/{pool_id}/delegate} with {@code subaccount_id}. */
    MailgunResponse delegatePool(String poolId, String subaccountId);

    /** {@code DELETE /v3/ip_pools/{pool_id}/delegate} with {@code subaccount_id} in the body. */
    MailgunResponse revokePoolDelegation(String poolId, String subaccountId);

    /** {@code GET /v5/accounts/subaccounts/ip_pools/all}: which pool each subaccount was given. */
    List<SubaccountPoolDelegation> listSubaccountPoolDelegations();

    /** {@code PUT /v5/accounts/subaccounts/{id}/ip_pool} (legacy delegation, replaces). */
    MailgunResponse setSubaccountPool(String subaccountId, String poolId);

    /** {@code DELETE /v5/accounts/subaccounts/{id}/ip_pool?pool_id=} (legacy revoke). */
    MailgunResponse removeSubaccountPool(String subaccountId, String poolId);

    // --- domains (current API) ---

    /** {@code GET /v4/domains?limit=&skip=}: one page of the account's domains, ids and names. */
    AccountDomainsPage listDomains(int limit, int skip);

    /** Every domain of the account, following {@code skip} until a short page. */
    List<AccountDomain> listAllDomains();

    // --- §3 legacy domain IP endpoints ---
    // Absent from Mailgun's current API reference. Links go through PATCH /v3/ip_pools/{id}
    // (link_domain / unlink_domain); these remain for what no current endpoint does: a domain's
    // explicit IP set, and an unlink that names the domain's replacement IP or pool.

    /** {@code GET /v3/domains/{name}/ips}. */
    List<String> legacyListDomainIps(String domain);

    /** {@code POST /v3/domains/{name}/ips} with {@code ip}. */
    MailgunResponse legacyAssignDomainIp(String domain, String ip);

    /** {@code POST /v3/domains/{name}/ips} with {@code pool_id}: link a DIPP. */
    MailgunResponse legacyLinkDomainPool(String domain, String poolId);

    /** {@code DELETE /v3/domains/{name}/ips/{ip}}, optionally with a replacement {@code ip}. */
    MailgunResponse legacyRemoveDomainIp(String domain, String ip, Replacement replacement);

    /** {@code DELETE /v3/domains/{name}/ips/all}: drop the domain's IP assignment and DIPP link. */
    MailgunResponse legacyRemoveDomainPool(String domain);

    /** {@code DELETE /v3/domains/{name}/ips/ip_pool}: unlink the DIPP; exactly one replacement. */
    MailgunResponse legacyUnlinkDomainPool(String domain, Replacement replacement);

    // --- §4 account IPs ---

    /** {@code GET /v3/ips?dedicated=&enabled=} (null leaves a filter out). */
    AccountIps listIps(Boolean dedicated, Boolean enabled);

    /** {@code GET /v3/ips/{ip}}. */
    AccountIp getIp(String ip);

    /** {@code GET /v3/ips/{ip}/domains?limit=&skip=&search=} (null leaves a parameter out). */
    IpDomains listIpDomains(String ip, Integer limit, Integer skip, String search);

    // --- §4.5 IP warm-ups ---

    /** {@code GET /v3/ip_warmups?limit=&page=}, one page ({@code page} null for the first). */
    IpWarmupsPage listWarmups(int limit, String page);

    /** Every running warm-up, following the cursor until an empty or short page. */
    List<IpWarmup> listAllWarmups();

    /** {@code GET /v3/ip_warmups/{addr}}: a running warm-up's details; 404 when none runs. */
    IpWarmup getWarmup(String ip);

    /** {@code POST /v3/ip_warmups/{addr}}: starts a warm-up plan for a dedicated IP. */
    MailgunResponse startWarmup(String ip);

    /** {@code DELETE /v3/ip_warmups/{addr}}: cancels a running warm-up. */
    MailgunResponse cancelWarmup(String ip);

    /**
     * The same client for deferrable work (a batcher's own calls): while its calls wait for a
     * permit they are not other demand that {@link AccountRateLimiter#awaitSpare} leaves permits
     * to. Shares connections and rate limiter; closing it closes nothing.
     */
    MailgunClient deferrable();

    /** The account's rate limiter, shared by every client of the account. */
    AccountRateLimiter rateLimiter();

    @Override
    void close();
}
