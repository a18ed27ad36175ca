package dev.ippools.mailgun.client.http;

import static dev.ippools.mailgun.client.http.RequestParams.requireSegment;
import static dev.ippools.mailgun.client.http.RequestParams.requireText;
import static dev.ippools.mailgun.client.http.ResponseBodies.as;
import static dev.ippools.mailgun.client.http.ResponseBodies.isTrue;
import static dev.ippools.mailgun.client.http.ResponseBodies.nullToEmpty;
import static dev.ippools.mailgun.client.http.ResponseBodies.requireObject;
import static dev.ippools.mailgun.client.http.ResponseBodies.strings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ippools.mailgun.client.model.CreatedPool;
import dev.ippools.mailgun.client.model.IpPoolDetails;
import dev.ippools.mailgun.client.model.MailgunPool;
import dev.ippools.mailgun.client.model.MailgunResponse;
import dev.ippools.mailgun.client.model.NewPool;
import dev.ippools.mailgun.client.model.PoolChange;
import dev.ippools.mailgun.client.model.Replacement;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.RequestBody;

/** Reference §2: the pools themselves and their IPs ({@code /v3/ip_pools}). */
final class PoolEndpoints {

    private static final MediaType JSON = MediaType.get("application/json");

    private final MailgunTransport transport;

    PoolEndpoints(MailgunTransport transport) {
        this.transport = transport;
    }

    List<MailgunPool> listPools() {
        Wire.PoolList list = transport.get(
                Endpoint.LIST_POOLS, transport.url("v3", "ip_pools"), root -> as(root, Wire.PoolList.class));
        List<MailgunPool> pools = new ArrayList<>();
        for (Wire.Pool p : nullToEmpty(list.ipPools())) {
            if (p != null) {
                if (p.poolId() == null || p.poolId().isBlank()) {
                    throw MailgunErrors.inconsistent(Endpoint.LIST_POOLS, "a pool in ip_pools has no pool_id");
                }
                pools.add(new MailgunPool(
                        p.poolId(),
                        p.name(),
                        p.description(),
                        strings(p.ips()),
                        isTrue(p.isInherited()),
                        isTrue(p.isLinked())));
            }
        }
        return List.copyOf(pools);
    }

    IpPoolDetails getPool(String poolId) {
        requireSegment(poolId, "poolId");
        return transport.get(
                Endpoint.GET_POOL, transport.url("v3", "ip_pools", poolId), root -> poolDetails(root, poolId));
    }

    /** {@code details} wrapper (OAS), {@code ips} outside it (JS type) or a flat object (PHP). */
    private static IpPoolDetails poolDetails(JsonNode root, String requestedId) throws IOException {
        requireObject(root);
        JsonNode details = root.get("details");
        Wire.Pool pool = as(details != null && details.isObject() ? details : root, Wire.Pool.class);
        List<String> ips = pool.ips();
        if (ips == null) {
            ips = new ArrayList<>();
            for (JsonNode ip : root.path("ips")) {
                if (ip.isTextual()) {
                    ips.add(ip.asText());
                }
            }
        }
        List<String> linkedDomains = strings(pool.linkedDomains());
        boolean linked = pool.isLinked() != null ? pool.isLinked() : !linkedDomains.isEmpty();
        return new IpPoolDetails(
                pool.poolId() != null ? pool.poolId() : requestedId,
                pool.name(),
                pool.description(),
                strings(ips),
                isTrue(pool.isInherited()),
                linked,
                linkedDomains);
    }

    CreatedPool createPool(NewPool pool) {
        Objects.requireNonNull(pool, "pool");
        Form form = new Form();
        form.add("name", requireText(pool.name(), "name"));
        form.add("description", requireText(pool.description(), "description"));
        form.addAll("ip", pool.ips());
        return transport.execute(Endpoint.CREATE_POOL, transport.url("v3", "ip_pools"), form.multipart(), root -> {
            Wire.Created created = as(root, Wire.Created.class);
            if (created.poolId() == null || created.poolId().isBlank()) {
                throw new ResponseBodies.ShapeException("the answer has no pool_id");
            }
            return new CreatedPool(created.poolId(), created.message());
        });
    }

    MailgunResponse updatePool(String poolId, PoolChange change) {
        requireSegment(poolId, "poolId");
        Objects.requireNonNull(change, "change");
        Form form = new Form();
        form.addIfPresent("name", change.name());
        form.addIfPresent("description", change.description());
        form.addAll("add_ip", change.addIps());
        form.addAll("remove_ip", change.removeIps());
        form.addAll("link_domain", change.linkDomains());
        form.addAll("unlink_domain", change.unlinkDomains());
        if (form.isEmpty()) {
            throw new IllegalArgumentException("the PoolChange changes nothing; Mailgun rejects that");
        }
        return transport.write(Endpoint.UPDATE_POOL, transport.url("v3", "ip_pools", poolId), form.multipart());
    }

    MailgunResponse deletePool(String poolId, Replacement replacement) {
        requireSegment(poolId, "poolId");
        HttpUrl.Builder url = transport.url("v3", "ip_pools", poolId);
        RequestParams.addReplacement(url, replacement, false);
        return transport.write(Endpoint.DELETE_POOL, url, null);
    }

    MailgunResponse addPoolIp(String poolId, String ip) {
        requireSegment(poolId, "poolId");
        requireSegment(ip, "ip");
        return transport.write(
                Endpoint.ADD_POOL_IP,
                transport.url("v3", "ip_pools", poolId, "ips", ip),
                RequestBody.create(new byte[0], null));
    }

    MailgunResponse addPoolIps(String poolId, List<String> ips) {
        requireSegment(poolId, "poolId");
        Objects.requireNonNull(ips, "ips");
        if (ips.isEmpty()) {
            throw new IllegalArgumentException("ips must not be empty");
        }
        byte[] json;
        try {
            json = MailgunJson.MAPPER.writeValueAsBytes(new Wire.IpsBody(List.copyOf(ips)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the ips.json body", e);
        }
        return transport.write(
                Endpoint.ADD_POOL_IPS,
                transport.url("v3", "ip_pools", poolId, "ips.json"),
                RequestBody.create(json, JSON));
    }

    MailgunResponse removePoolIp(String poolId, String ip) {
        requireSegment(poolId, "poolId");
        requireSegment(ip, "ip");
        return transport.write(Endpoint.REMOVE_POOL_IP, transport.url("v3", "ip_pools", poolId, "ips", ip), null);
    }
}
