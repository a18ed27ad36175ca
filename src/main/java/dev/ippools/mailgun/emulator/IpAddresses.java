package dev.ippools.mailgun.emulator;

import java.util.regex.Pattern;

/**
 * IPv4 and IPv6 literal checks, by pattern so that nothing is ever resolved through DNS. The
 * operator's {@code plan.IpAddresses} accepts the same set; the emulator keeps its own because it
 * imports nothing from the project (an independent implementation of Mailgun, like LocalStack).
 */
final class IpAddresses {

    /** Dotted decimal, 0 to 255, no leading zeros (some parsers read those as octal). */
    private static final String IPV4_TEXT =
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";

    private static final Pattern IPV4 = Pattern.compile(IPV4_TEXT);
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");

    private IpAddresses() {}

    static boolean isValid(String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        if (value.indexOf(':') < 0) {
            return IPV4.matcher(value).matches();
        }
        int gap = value.indexOf("::");
        if (gap < 0) {
            return groupCount(value, true) == 8;
        }
        if (value.indexOf("::", gap + 1) >= 0) {
            return false;
        }
        int head = groupCount(value.substring(0, gap), false);
        int tail = groupCount(value.substring(gap + 2), true);
        return head >= 0 && tail >= 0 && head + tail <= 7;
    }

    /**
     * How many 16-bit groups a colon-separated run holds, or -1 when it is malformed. An IPv4 address
     * may end the last run and counts as two groups.
     */
    private static int groupCount(String run, boolean ipv4AtEnd) {
        if (run.isEmpty()) {
            return 0;
        }
        String[] groups = run.split(":", -1);
        int count = 0;
        for (int i = 0; i < groups.length; i++) {
            if (ipv4AtEnd && i == groups.length - 1 && IPV4.matcher(groups[i]).matches()) {
                count += 2;
            } else if (HEX_GROUP.matcher(groups[i]).matches()) {
                count++;
            } else {
                return -1;
            }
        }
        return count;
    }
}
