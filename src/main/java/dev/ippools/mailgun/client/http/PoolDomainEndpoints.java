package dev.ippools.mailgun.client.http;

import static dev.ippools.mailgun.client.http.RequestParams.requireSegment;
import static dev.ippools.mailgun.client.http.ResponseBodies.as;
import static dev.ippools.mailgun.client.http.ResponseBodies.nullToEmpty;

import dev.ippools.mailgun.client.model.PoolDomain;
import dev.ippools.mailgun.client.model.PoolDomainsPage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import okhttp3.HttpUrl;

/** Reference §2: the domains linked to a pool, one cursor page at a time or all of them. */
final class PoolDomainEndpoints {

    // Mailgun's largest page: a pool's domains in one call up to 500.
    static final int ALL_DOMAINS_PAGE_SIZE = 500;
    static final int MAX_DOMAIN_PAGES = 1000;

    private final MailgunTransport transport;

    PoolDomainEndpoints(MailgunTransport transport) {
        this.transport = transport;
    }

    PoolDomainsPage listPoolDomains(String poolId, int limit, String page) {
        requireSegment(poolId, "poolId");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        HttpUrl.Builder url =
                transport.url("v3", "ip_pools", poolId, "domains").addQueryParameter("limit", String.valueOf(limit));
        RequestParams.addIfPresent(url, "page", page);
        return transport.get(Endpoint.LIST_POOL_DOMAINS, url, root -> {
            Wire.PoolDomains wire = as(root, Wire.PoolDomains.class);
            List<PoolDomain> domains = new ArrayList<>();
            for (Wire.PoolDomain d : nullToEmpty(wire.domains())) {
                if (d != null) {
                    domains.add(new PoolDomain(d.id(), d.name()));
                }
            }
            String next = wire.paging() == null ? null : pageToken(wire.paging().next());
            return new PoolDomainsPage(domains, next);
        });
    }

    List<PoolDomain> listAllPoolDomains(String poolId) {
        List<PoolDomain> all = new ArrayList<>();
        Set<String> seenTokens = new HashSet<>();
        String page = null;
        for (int pages = 0; pages < MAX_DOMAIN_PAGES; pages++) {
            PoolDomainsPage current = listPoolDomains(poolId, ALL_DOMAINS_PAGE_SIZE, page);
            all.addAll(current.domains());
            // Mailgun does not document how the last page looks: a short page ends the list.
            if (current.domains().size() < ALL_DOMAINS_PAGE_SIZE || current.nextPage() == null) {
                return List.copyOf(all);
            }
            if (!seenTokens.add(current.nextPage())) {
                throw MailgunErrors.inconsistent(Endpoint.LIST_POOL_DOMAINS, "a paging cursor came back a second time");
            }
            page = current.nextPage();
        }
        throw MailgunErrors.inconsistent(
                Endpoint.LIST_POOL_DOMAINS, "there are more than " + MAX_DOMAIN_PAGES + " pages");
    }

    /** The {@code page} query parameter of a {@code paging.next} URL (absolute or relative). */
    private String pageToken(String nextUrl) {
        if (nextUrl == null || nextUrl.isBlank()) {
            return null;
        }
        HttpUrl next = transport.baseUrl().resolve(nextUrl.trim());
        String token = next == null ? null : next.queryParameter("page");
        return token == null || token.isEmpty() ? null : token;
    }
}
