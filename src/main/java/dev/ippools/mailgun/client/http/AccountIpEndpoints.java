package dev.ippools.mailgun.client.http;

import static dev.ippools.mailgun.client.http.RequestParams.addIfPresent;
import static dev.ippools.mailgun.client.http.RequestParams.requireSegment;
import static dev.ippools.mailgun.client.http.ResponseBodies.as;
import static dev.ippools.mailgun.client.http.ResponseBodies.isTrue;
import static dev.ippools.mailgun.client.http.ResponseBodies.nullToEmpty;
import static dev.ippools.mailgun.client.http.ResponseBodies.strings;

import dev.ippools.mailgun.client.model.AccountIp;
import dev.ippools.mailgun.client.model.AccountIps;
import dev.ippools.mailgun.client.model.IpDomains;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;

/** Reference §4: the account's IPs and the domains on each ({@code /v3/ips}). */
final class AccountIpEndpoints {

    private final MailgunTransport transport;

    AccountIpEndpoints(MailgunTransport transport) {
        this.transport = transport;
    }

    AccountIps listIps(Boolean dedicated, Boolean enabled) {
        HttpUrl.Builder url = transport.url("v3", "ips");
        addIfPresent(url, "dedicated", dedicated);
        addIfPresent(url, "enabled", enabled);
        return transport.get(Endpoint.LIST_IPS, url, root -> accountIps(as(root, Wire.Ips.class)));
    }

    private static AccountIps accountIps(Wire.Ips wire) {
        List<String> items = strings(wire.items());
        List<AccountIps.IpDetail> details = new ArrayList<>();
        for (Wire.IpDetail d : nullToEmpty(wire.details())) {
            if (d != null && d.ip() != null) {
                details.add(new AccountIps.IpDetail(d.ip(), isTrue(d.isOnWarmup())));
            }
        }
        // Absent means the DIPPs feature is off; keep that distinct from an empty list.
        List<String> assignable = wire.assignableToPools() == null ? null : strings(wire.assignableToPools());
        int total = wire.totalCount() != null ? wire.totalCount() : items.size();
        return new AccountIps(items, details, assignable, total);
    }

    AccountIp getIp(String ip) {
        requireSegment(ip, "ip");
        return transport.get(Endpoint.GET_IP, transport.url("v3", "ips", ip), root -> {
            Wire.Ip wire = as(root, Wire.Ip.class);
            return new AccountIp(wire.ip() != null ? wire.ip() : ip, wire.rdns(), isTrue(wire.dedicated()));
        });
    }

    IpDomains listIpDomains(String ip, Integer limit, Integer skip, String search) {
        requireSegment(ip, "ip");
        HttpUrl.Builder url = transport.url("v3", "ips", ip, "domains");
        addIfPresent(url, "limit", limit);
        addIfPresent(url, "skip", skip);
        addIfPresent(url, "search", search);
        return transport.get(Endpoint.LIST_IP_DOMAINS, url, root -> ipDomains(as(root, Wire.IpDomains.class)));
    }

    private static IpDomains ipDomains(Wire.IpDomains wire) {
        List<IpDomains.Item> items = new ArrayList<>();
        for (Wire.IpDomainItem item : nullToEmpty(wire.items())) {
            if (item != null) {
                items.add(new IpDomains.Item(item.domain(), strings(item.ips())));
            }
        }
        int total = wire.totalCount() != null ? wire.totalCount() : items.size();
        return new IpDomains(items, total);
    }
}
