package dev.ippools.mailgun.client.http;

import java.util.List;

/**
 * Response shapes where Mailgun's names or optional fields differ from the model records. Field
 * names map to snake_case ({@code isInherited} is {@code is_inherited}); everything may be absent.
 */
final class Wire {

    private Wire() {}

    record PoolList(List<Pool> ipPools) {}

    /** A pool in the list, in {@code details}, or flat; {@code linkedDomains} only in details. */
    record Pool(
            String poolId,
            String name,
            String description,
            List<String> ips,
            Boolean isInherited,
            Boolean isLinked,
            List<String> linkedDomains) {}

    record PoolDomains(List<PoolDomain> domains, Paging paging) {}

    record PoolDomain(String id, String name) {}

    record Paging(String first, String next, String previous, String last) {}

    record SubaccountPools(List<SubaccountPool> items) {}

    record SubaccountPool(String subaccountId, String poolId) {}

    record Items(List<String> items) {}

    record Domains(List<Domain> items, Integer totalCount) {}

    record Domain(String id, String name) {}

    record Ips(List<String> items, List<IpDetail> details, List<String> assignableToPools, Integer totalCount) {}

    record IpDetail(String ip, Boolean isOnWarmup) {}

    record IpDomains(List<IpDomainItem> items, Integer totalCount) {}

    record IpDomainItem(String domain, List<String> ips) {}

    record Ip(String ip, String rdns, Boolean dedicated) {}

    record Message(String message, String referenceId) {}

    record Created(String message, String poolId) {}

    /** Request body of {@code POST /v3/ip_pools/{pool_id}/ips.json}. */
    record IpsBody(List<String> ips) {}
}
