package dev.ippools.mailgun.client.http;

import static dev.ippools.mailgun.client.http.RequestParams.requireSegment;
import static dev.ippools.mailgun.client.http.RequestParams.requireText;
import static dev.ippools.mailgun.client.http.ResponseBodies.requireObject;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ippools.mailgun.client.model.MailgunResponse;
import dev.ippools.mailgun.client.model.Replacement;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;

/** Reference §3: a domain's IPs and its pool link ({@code /v3/domains/{name}/ips}). */
final class DomainIpEndpoints {

    private final MailgunTransport transport;

    DomainIpEndpoints(MailgunTransport transport) {
        this.transport = transport;
    }

    List<String> legacyListDomainIps(String domain) {
        requireSegment(domain, "domain");
        return transport.get(Endpoint.LIST_DOMAIN_IPS, transport.url("v3", "domains", domain, "ips"), root -> {
            requireObject(root);
            List<String> ips = new ArrayList<>();
            // Items are strings; an {"ip": ...} object is read too, in case a version sends those.
            for (JsonNode item : root.path("items")) {
                String ip = item.isTextual() ? item.asText() : item.path("ip").asText(null);
                if (ip != null) {
                    ips.add(ip);
                }
            }
            return List.copyOf(ips);
        });
    }

    MailgunResponse legacyAssignDomainIp(String domain, String ip) {
        requireSegment(domain, "domain");
        return addDomainIp(domain, new Form().add("ip", requireText(ip, "ip")));
    }

    MailgunResponse legacyLinkDomainPool(String domain, String poolId) {
        requireSegment(domain, "domain");
        return addDomainIp(domain, new Form().add("pool_id", requireText(poolId, "poolId")));
    }

    /** Assigning an IP and linking a pool are the same call with a different field. */
    private MailgunResponse addDomainIp(String domain, Form form) {
        return transport.write(Endpoint.ADD_DOMAIN_IP, transport.url("v3", "domains", domain, "ips"), form.multipart());
    }

    MailgunResponse legacyRemoveDomainIp(String domain, String ip, Replacement replacement) {
        requireSegment(domain, "domain");
        requireSegment(ip, "ip");
        if (ip.equals("all") || ip.equals("ip_pool")) {
            throw new IllegalArgumentException(
                    "'" + ip + "' is not an IP; use legacyRemoveDomainPool or legacyUnlinkDomainPool");
        }
        HttpUrl.Builder url = transport.url("v3", "domains", domain, "ips", ip);
        RequestParams.addReplacement(url, replacement, false);
        return transport.write(Endpoint.REMOVE_DOMAIN_IP, url, null);
    }

    MailgunResponse legacyRemoveDomainPool(String domain) {
        requireSegment(domain, "domain");
        return transport.write(Endpoint.REMOVE_DOMAIN_POOL, transport.url("v3", "domains", domain, "ips", "all"), null);
    }

    MailgunResponse legacyUnlinkDomainPool(String domain, Replacement replacement) {
        requireSegment(domain, "domain");
        HttpUrl.Builder url = transport.url("v3", "domains", domain, "ips", "ip_pool");
        RequestParams.addReplacement(url, replacement, true);
        return transport.write(Endpoint.UNLINK_DOMAIN_POOL, url, null);
    }
}
