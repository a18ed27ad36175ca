package dev.ippools.mailgun.plan;

import java.util.List;

/**
 * One Mailgun write, in the order a plan lists them. {@link #describe()} is what the plan command
 * and Events show; it never contains credentials.
 */
public sealed interface MailgunStep {

    String describe();

    /** POST /v3/ip_pools. */
    record CreatePool(String name, String description, List<String> ips) implements MailgunStep {
        public String describe() {
            return "POST /v3/ip_pools name=" + name + " ips=" + ips;
        }
    }

    /** PATCH /v3/ip_pools/{id} for name/description only (null: unchanged). */
    record UpdatePool(String poolId, String name, String description) implements MailgunStep {
        public String describe() {
            return "PATCH /v3/ip_pools/" + poolId
                    + (name != null ? " name=" + name : "")
                    + (description != null ? " description=" + description : "");
        }
    }

    /** PUT /v3/ip_pools/{id}/ips/{ip} for one IP, POST .../ips.json for several. */
    record AddPoolIps(String poolId, List<String> ips) implements MailgunStep {
        public String describe() {
            return ips.size() == 1
                    ? "PUT /v3/ip_pools/" + poolId + "/ips/" + ips.get(0)
                    : "POST /v3/ip_pools/" + poolId + "/ips.json ips=" + ips;
        }
    }

    /** DELETE /v3/ip_pools/{id}/ips/{ip}. */
    record RemovePoolIp(String poolId, String ip) implements MailgunStep {
        public String describe() {
            return "DELETE /v3/ip_pools/" + poolId + "/ips/" + ip;
        }
    }

    /**
     * PATCH /v3/ip_pools/{id} with any of name, description and repeated add_ip / remove_ip:
     * several edits of one pool in one call ({@link PoolEdits}). Lists are never null.
     */
    record EditPool(String poolId, String name, String description, List<String> addIps, List<String> removeIps)
            implements MailgunStep {
        public EditPool {
            addIps = List.copyOf(addIps);
            removeIps = List.copyOf(removeIps);
        }

        public String describe() {
            return "PATCH /v3/ip_pools/" + poolId
                    + (name != null ? " name=" + name : "")
                    + (description != null ? " description=" + description : "")
                    + (addIps.isEmpty() ? "" : " add_ip=" + addIps)
                    + (removeIps.isEmpty() ? "" : " remove_ip=" + removeIps);
        }
    }

    /** PUT /v3/ip_pools/{id}/delegate. */
    record DelegatePool(String poolId, String subaccountId) implements MailgunStep {
        public String describe() {
            return "PUT /v3/ip_pools/" + poolId + "/delegate subaccount_id=" + subaccountId;
        }
    }

    /** DELETE /v3/ip_pools/{id}/delegate. */
    record RevokePoolDelegation(String poolId, String subaccountId) implements MailgunStep {
        public String describe() {
            return "DELETE /v3/ip_pools/" + poolId + "/delegate subaccount_id=" + subaccountId;
        }
    }

    /** DELETE /v3/ip_pools/{id}; at most one of replacementIp / replacementPoolId. */
    record DeletePool(String poolId, String replacementIp, String replacementPoolId) implements MailgunStep {
        public String describe() {
            return "DELETE /v3/ip_pools/" + poolId
                    + (replacementIp != null ? "?ip=" + replacementIp : "")
                    + (replacementPoolId != null ? "?pool_id=" + replacementPoolId : "");
        }
    }

    /**
     * Links (or relinks) a DIPP: PATCH /v3/ip_pools/{id} link_domain=, sent together with the other
     * links of the same pool. Mailgun moves a domain linked elsewhere, so a deleted binding's domain
     * goes to its replacement pool this way too. A pool {@code inherited} from the parent account
     * refuses PATCH: the legacy POST /v3/domains/{name}/ips pool_id= links to it.
     */
    record LinkDomainPool(String domain, String poolId, boolean inherited) implements MailgunStep {
        public LinkDomainPool(String domain, String poolId) {
            this(domain, poolId, false);
        }

        public String describe() {
            return inherited
                    ? "POST /v3/domains/" + domain + "/ips pool_id=" + poolId
                    : "PATCH /v3/ip_pools/" + poolId + " link_domain=" + domain;
        }
    }

    /**
     * DELETE /v3/domains/{name}/ips/ip_pool with exactly one replacement; the planner uses it only
     * for an IP or {@code shared} (a pool is a {@link LinkDomainPool}).
     */
    record UnlinkDomainPool(String domain, String replacementIp, String replacementPoolId) implements MailgunStep {
        public String describe() {
            return "DELETE /v3/domains/" + domain + "/ips/ip_pool"
                    + (replacementIp != null ? "?ip=" + replacementIp : "")
                    + (replacementPoolId != null ? "?pool_id=" + replacementPoolId : "");
        }
    }

    /** POST /v3/domains/{name}/ips ip=. */
    record AssignDomainIp(String domain, String ip) implements MailgunStep {
        public String describe() {
            return "POST /v3/domains/" + domain + "/ips ip=" + ip;
        }
    }

    /** DELETE /v3/domains/{name}/ips/{ip}. */
    record RemoveDomainIp(String domain, String ip) implements MailgunStep {
        public String describe() {
            return "DELETE /v3/domains/" + domain + "/ips/" + ip;
        }
    }

    /** DELETE /v3/domains/{name}/ips/all. */
    record RemoveDomainPool(String domain) implements MailgunStep {
        public String describe() {
            return "DELETE /v3/domains/" + domain + "/ips/all";
        }
    }

    /**
     * POST /v3/ip_warmups/{ip}: starts a dedicated IP's warm-up ({@code spec.warmup: Start}). The
     * IpPool records the IP before it is sent, so a crash never starts it twice.
     */
    record StartWarmup(String ip) implements MailgunStep {
        public String describe() {
            return "POST /v3/ip_warmups/" + ip;
        }
    }

    /** DELETE /v3/ip_warmups/{ip}: cancels a warm-up the IpPool recorded as started by it. */
    record CancelWarmup(String ip) implements MailgunStep {
        public String describe() {
            return "DELETE /v3/ip_warmups/" + ip;
        }
    }
}
