package dev.ippools.mailgun.client.model;

import java.util.List;

/**
 * {@code GET /v3/ips}. {@code assignableToPools} is null when the account lacks the DIPPs feature
 * (Mailgun omits the field then).
 */
public record AccountIps(
    List<String> items, List<IpDetail> details, List<String> assignableToPools, int totalCount) {

  public record IpDetail(String ip, boolean onWarmup) {}

  public boolean dippsEnabled() {
    return assignableToPools != null;
  }
}
