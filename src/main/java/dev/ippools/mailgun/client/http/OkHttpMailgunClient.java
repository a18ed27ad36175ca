package dev.ippools.mailgun.client.http;

import dev.ippools.mailgun.client.AccountRateLimiter;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.MailgunClientOptions;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MailgunClient} over okhttp. Forms go out as multipart/form-data (as Mailgun's OpenAPI
 * declares) with lists as repeated fields; DELETE parameters as query parameters, except {@code
 * subaccount_id} on revoke, which is a url-encoded body. Responses are read leniently where
 * Mailgun's sources disagree (reference §5).
 *
 * <p>Each group of endpoints has its own class; all of them go through one {@link
 * MailgunTransport}, which owns the connections, retries, error mapping and redaction.
 */
public final class OkHttpMailgunClient implements MailgunClient {

    private static final String WIRE_LOGGER = "dev.ippools.mailgun.client.http.wire";

    private final MailgunTransport transport;
    private final PoolEndpoints pools;
    private final PoolDomainEndpoints poolDomains;
    private final DelegationEndpoints delegation;
    private final DomainEndpoints domains;
    private final DomainIpEndpoints domainIps;
    private final AccountIpEndpoints accountIps;
    private final WarmupEndpoints warmups;

    /** The client the operator uses; callers keep to the {@link MailgunClient} interface. */
    public static MailgunClient create(MailgunClientOptions options) {
        return new OkHttpMailgunClient(options);
    }

    public OkHttpMailgunClient(MailgunClientOptions options) {
        this(options, LoggerFactory.getLogger(WIRE_LOGGER));
    }

    OkHttpMailgunClient(MailgunClientOptions options, Logger wireLog) {
        this(new MailgunTransport(options, wireLog));
    }

    private OkHttpMailgunClient(MailgunTransport transport) {
        this.transport = transport;
        this.pools = new PoolEndpoints(transport);
        this.poolDomains = new PoolDomainEndpoints(transport);
        this.delegation = new DelegationEndpoints(transport);
        this.domains = new DomainEndpoints(transport);
        this.domainIps = new DomainIpEndpoints(transport);
        this.accountIps = new AccountIpEndpoints(transport);
        this.warmups = new WarmupEndpoints(transport);
    }

    /** Shares this client's connections, rate limiter and listener; closing it closes nothing. */
    @Override
    public MailgunClient onBehalfOf(String subaccountId) {
        String id = RequestParams.requireText(subaccountId, "subaccountId");
        return new OkHttpMailgunClient(transport.onBehalfOf(id));
    }

    // --- §2 dedicated IP pools ---

    @Override
    public List<MailgunPool> listPools() {
        return pools.listPools();
    }

    @Override
    public IpPoolDetails getPool(String poolId) {
        return pools.getPool(poolId);
    }

    @Override
    public CreatedPool createPool(NewPool pool) {
        return pools.createPool(pool);
    }

    @Override
    public MailgunResponse updatePool(String poolId, PoolChange change) {
        return pools.updatePool(poolId, change);
    }

    @Override
    public MailgunResponse deletePool(String poolId, Replacement replacement) {
        return pools.deletePool(poolId, replacement);
    }

    @Override
    public PoolDomainsPage listPoolDomains(String poolId, int limit, String page) {
        return poolDomains.listPoolDomains(poolId, limit, page);
    }

    @Override
    public List<PoolDomain> listAllPoolDomains(String poolId) {
        return poolDomains.listAllPoolDomains(poolId);
    }

    @Override
    public MailgunResponse addPoolIp(String poolId, String ip) {
        return pools.addPoolIp(poolId, ip);
    }

    @Override
    public MailgunResponse addPoolIps(String poolId, List<String> ips) {
        return pools.addPoolIps(poolId, ips);
    }

    @Override
    public MailgunResponse removePoolIp(String poolId, String ip) {
        return pools.removePoolIp(poolId, ip);
    }

    @Override
    public MailgunResponse delegatePool(String poolId, String subaccountId) {
        return delegation.delegatePool(poolId, subaccountId);
    }

    @Override
    public MailgunResponse revokePoolDelegation(String poolId, String subaccountId) {
        return delegation.revokePoolDelegation(poolId, subaccountId);
    }

    @Override
    public List<SubaccountPoolDelegation> listSubaccountPoolDelegations() {
        return delegation.listSubaccountPoolDelegations();
    }

    @Override
    public MailgunResponse setSubaccountPool(String subaccountId, String poolId) {
        return delegation.setSubaccountPool(subaccountId, poolId);
    }

    @Override
    public MailgunResponse removeSubaccountPool(String subaccountId, String poolId) {
        return delegation.removeSubaccountPool(subaccountId, poolId);
    }

    // --- domains ---

    @Override
    public AccountDomainsPage listDomains(int limit, int skip) {
        return domains.listDomains(limit, skip);
    }

    @Override
    public List<AccountDomain> listAllDomains() {
        return domains.listAllDomains();
    }

    // --- §3 legacy domain IP endpoints ---

    @Override
    public List<String> legacyListDomainIps(String domain) {
        return domainIps.legacyListDomainIps(domain);
    }

    @Override
    public MailgunResponse legacyAssignDomainIp(String domain, String ip) {
        return domainIps.legacyAssignDomainIp(domain, ip);
    }

    @Override
    public MailgunResponse legacyLinkDomainPool(String domain, String poolId) {
        return domainIps.legacyLinkDomainPool(domain, poolId);
    }

    @Override
    public MailgunResponse legacyRemoveDomainIp(String domain, String ip, Replacement replacement) {
        return domainIps.legacyRemoveDomainIp(domain, ip, replacement);
    }

    @Override
    public MailgunResponse legacyRemoveDomainPool(String domain) {
        return domainIps.legacyRemoveDomainPool(domain);
    }

    @Override
    public MailgunResponse legacyUnlinkDomainPool(String domain, Replacement replacement) {
        return domainIps.legacyUnlinkDomainPool(domain, replacement);
    }

    // --- §4 account IPs ---

    @Override
    public AccountIps listIps(Boolean dedicated, Boolean enabled) {
        return accountIps.listIps(dedicated, enabled);
    }

    @Override
    public AccountIp getIp(String ip) {
        return accountIps.getIp(ip);
    }

    @Override
    public IpDomains listIpDomains(String ip, Integer limit, Integer skip, String search) {
        return accountIps.listIpDomains(ip, limit, skip, search);
    }

    // --- §4.5 IP warm-ups ---

    @Override
    public IpWarmupsPage listWarmups(int limit, String page) {
        return warmups.listWarmups(limit, page);
    }

    @Override
    public List<IpWarmup> listAllWarmups() {
        return warmups.listAllWarmups();
    }

    @Override
    public IpWarmup getWarmup(String ip) {
        return warmups.getWarmup(ip);
    }

    @Override
    public MailgunResponse startWarmup(String ip) {
        return warmups.startWarmup(ip);
    }

    @Override
    public MailgunResponse cancelWarmup(String ip) {
        return warmups.cancelWarmup(ip);
    }

    @Override
    public MailgunClient deferrable() {
        return new OkHttpMailgunClient(transport.deferrable());
    }

    @Override
    public AccountRateLimiter rateLimiter() {
        return transport.rateLimiter();
    }

    /** Closes the connections and threads this client created; a shared OkHttpClient stays open. */
    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String toString() {
        String subaccountId = transport.subaccountId();
        return "OkHttpMailgunClient{baseUrl="
                + transport.baseUrl()
                + (subaccountId == null ? "" : ", onBehalfOf=" + subaccountId)
                + "}";
    }
}
