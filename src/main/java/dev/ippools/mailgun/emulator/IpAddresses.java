package dev.ippools.mailgun.emulator;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** IP literal checks that never resolve names through DNS. */
final class IpAddresses {

  private static final Pattern IPV4 =
      Pattern.compile(
          "^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");
  private static final Pattern IPV6_CHARS = Pattern.compile("^[0-9A-Fa-f:.]+$");

  private IpAddresses() {}

  static boolean isValid(String value) {
    if (value == null || value.isEmpty()) {
      return false;
    }
    if (IPV4.matcher(value).matches()) {
      return true;
    }
    if (!value.contains(":") || !IPV6_CHARS.matcher(value).matches()) {
      return false;
    }
    try {
      // A string with ':' is parsed as an IPv6 literal; no lookup happens.
      InetAddress.getByName(value);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
