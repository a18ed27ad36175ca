package dev.ippools.mailgun.client.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.client.model.AccountDomain;
import dev.ippools.mailgun.client.model.AccountDomainsPage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code GET /v4/domains}: the account's domain ids, in pages of up to 1,000. */
class DomainEndpointsTest extends MockMailgun {

    @Test
    void listDomainsSendsLimitAndSkipAndReadsIdsAndNames() throws Exception {
        enqueue(jsonBody("{\"items\":[{\"id\":\"67bcf63306fcfd2fb4b7e056\",\"name\":\"a.example.com\","
                + "\"state\":\"active\"},{\"name\":\"no-id.example.com\"}],\"total_count\":12}"));

        AccountDomainsPage page = client().listDomains(10, 20);

        assertThat(take().getPath()).isEqualTo("/v4/domains?limit=10&skip=20");
        assertThat(page.items()).containsExactly(new AccountDomain("67bcf63306fcfd2fb4b7e056", "a.example.com"));
        assertThat(page.totalCount()).isEqualTo(12);
    }

    @Test
    void listAllDomainsSkipsPageByPageUntilAShortPage() throws Exception {
        enqueue(jsonBody(page(0, 1000, null)), jsonBody(page(1000, 3, null)));

        List<AccountDomain> all = client().listAllDomains();

        assertThat(all).hasSize(1003);
        assertThat(take().getPath()).isEqualTo("/v4/domains?limit=1000&skip=0");
        assertThat(take().getPath()).isEqualTo("/v4/domains?limit=1000&skip=1000");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void listAllDomainsTrustsTotalCountToSaveTheLastCall() throws Exception {
        enqueue(jsonBody(page(0, 1000, 1000)));

        assertThat(client().listAllDomains()).hasSize(1000);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    private static String page(int from, int count, Integer total) {
        StringBuilder json = new StringBuilder("{\"items\":[");
        for (int i = from; i < from + count; i++) {
            json.append(i > from ? "," : "")
                    .append("{\"id\":\"id-")
                    .append(i)
                    .append("\",\"name\":\"d")
                    .append(i)
                    .append(".example.com\"}");
        }
        return json.append("]")
                .append(total == null ? "" : ",\"total_count\":" + total)
                .append("}")
                .toString();
    }
}
