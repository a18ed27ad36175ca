package dev.ippools.mailgun.client.http;

import static dev.ippools.mailgun.client.http.RequestParams.requireSegment;
import static dev.ippools.mailgun.client.http.RequestParams.requireText;
import static dev.ippools.mailgun.client.http.ResponseBodies.as;
import static dev.ippools.mailgun.client.http.ResponseBodies.nullToEmpty;

import dev.ippools.mailgun.client.model.MailgunResponse;
import dev.ippools.mailgun.client.model.SubaccountPoolDelegation;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;

/**
 * Reference §2: giving pools to subaccounts, the current way ({@code /v3/ip_pools/{id}/delegate})
 * and the legacy one ({@code /v5/accounts/subaccounts}).
 */
final class DelegationEndpoints {

    private final MailgunTransport transport;

    DelegationEndpoints(MailgunTransport transport) {
        this.transport = transport;
    }

    MailgunResponse delegatePool(String poolId, String subaccountId) {
        requireSegment(poolId, "poolId");
        return transport.write(
                Endpoint.DELEGATE_POOL,
                delegateUrl(poolId),
                subaccountForm(subaccountId).multipart());
    }

    /** The one form Mailgun wants url-encoded: a DELETE with {@code subaccount_id} in the body. */
    MailgunResponse revokePoolDelegation(String poolId, String subaccountId) {
        requireSegment(poolId, "poolId");
        return transport.write(
                Endpoint.REVOKE_POOL_DELEGATION,
                delegateUrl(poolId),
                subaccountForm(subaccountId).urlEncoded());
    }

    private HttpUrl.Builder delegateUrl(String poolId) {
        return transport.url("v3", "ip_pools", poolId, "delegate");
    }

    private static Form subaccountForm(String subaccountId) {
        return new Form().add("subaccount_id", requireText(subaccountId, "subaccountId"));
    }

    List<SubaccountPoolDelegation> listSubaccountPoolDelegations() {
        Wire.SubaccountPools wire = transport.get(
                Endpoint.LIST_SUBACCOUNT_POOLS,
                transport.url("v5", "accounts", "subaccounts", "ip_pools", "all"),
                root -> as(root, Wire.SubaccountPools.class));
        List<SubaccountPoolDelegation> out = new ArrayList<>();
        for (Wire.SubaccountPool item : nullToEmpty(wire.items())) {
            if (item != null) {
                out.add(new SubaccountPoolDelegation(item.subaccountId(), item.poolId()));
            }
        }
        return List.copyOf(out);
    }

    MailgunResponse setSubaccountPool(String subaccountId, String poolId) {
        requireSegment(subaccountId, "subaccountId");
        Form form = new Form().add("pool_id", requireText(poolId, "poolId"));
        return transport.write(
                Endpoint.SET_SUBACCOUNT_POOL,
                transport.url("v5", "accounts", "subaccounts", subaccountId, "ip_pool"),
                form.multipart());
    }

    MailgunResponse removeSubaccountPool(String subaccountId, String poolId) {
        requireSegment(subaccountId, "subaccountId");
        HttpUrl.Builder url = transport
                .url("v5", "accounts", "subaccounts", subaccountId, "ip_pool")
                .addQueryParameter("pool_id", requireText(poolId, "poolId"));
        return transport.write(Endpoint.REMOVE_SUBACCOUNT_POOL, url, null);
    }
}
