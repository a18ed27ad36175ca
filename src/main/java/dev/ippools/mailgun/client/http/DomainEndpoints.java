package dev.ippools.mailgun.client.http;

import static dev.ippools.mailgun.client.http.ResponseBodies.as;
import static dev.ippools.mailgun.client.http.ResponseBodies.nullToEmpty;

import dev.ippools.mailgun.client.model.AccountDomain;
import dev.ippools.mailgun.client.model.AccountDomainsPage;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;

/** The account's domains ({@code GET /v4/domains}): ids for {@code link_domain}, in bulk. */
final class DomainEndpoints {

    /** Mailgun's largest {@code limit} for this list: 5,000 domains cost five calls. */
    static final int ALL_DOMAINS_PAGE_SIZE = 1000;

    static final int MAX_PAGES = 1000;

    private final MailgunTransport transport;

    DomainEndpoints(MailgunTransport transport) {
        this.transport = transport;
    }

    AccountDomainsPage listDomains(int limit, int skip) {
        if (limit < 1 || skip < 0) {
            throw new IllegalArgumentException("limit must be positive and skip not negative");
        }
        HttpUrl.Builder url = transport
                .url("v4", "domains")
                .addQueryParameter("limit", String.valueOf(limit))
                .addQueryParameter("skip", String.valueOf(skip));
        return transport.get(Endpoint.LIST_DOMAINS, url, root -> {
            Wire.Domains wire = as(root, Wire.Domains.class);
            List<AccountDomain> items = new ArrayList<>();
            for (Wire.Domain d : nullToEmpty(wire.items())) {
                if (d != null && d.id() != null && d.name() != null) {
                    items.add(new AccountDomain(d.id(), d.name()));
                }
            }
            return new AccountDomainsPage(items, wire.totalCount());
        });
    }

    List<AccountDomain> listAllDomains() {
        List<AccountDomain> all = new ArrayList<>();
        for (int pages = 0; pages < MAX_PAGES; pages++) {
            AccountDomainsPage page = listDomains(ALL_DOMAINS_PAGE_SIZE, all.size());
            all.addAll(page.items());
            // A short page ends the list; total_count, when sent, saves the last empty call.
            if (page.items().size() < ALL_DOMAINS_PAGE_SIZE
                    || page.totalCount() != null && all.size() >= page.totalCount()) {
                return List.copyOf(all);
            }
        }
        throw MailgunErrors.inconsistent(Endpoint.LIST_DOMAINS, "there are more than " + MAX_PAGES + " pages");
    }
}
