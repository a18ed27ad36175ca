package dev.ippools.mailgun.client.model;

import java.util.List;

/**
 * {@code GET /v3/ips}. {@code assignableToPools} is null when the account lacks the DIPPs feature
 * (Mailgun omits the field then).
 */
public record AccountIps(List<String> items, List<IpDetail> details, List<String> assignableToPools, int totalCount) {

    public AccountIps {
        items = items == null ? List.of() : List.copyOf(items);
        details = details == null ? List.of() : List.copyOf(details);
        assignableToPools = assignableToPools == null ? null : List.copyOf(assignableToPools);
    }

    public record IpDetail(String ip, boolean onWarmup) {}

    public boolean dippsEnabled() {
        return assignableToPools != null;
    }
}
