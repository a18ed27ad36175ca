package dev.ippools.mailgun.plan;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text stamped into a pool's Mailgun description to prove the operator created it, e.g. {@code
 * Senders for eu [managed-by: mailgun-ip-pool-operator uid=0c5f...]}. Mailgun makes the pool id, so
 * after a crash between the POST and recording the id this marker is how the operator finds the
 * pool again instead of posting a second one.
 */
public final class OwnershipMarker {

  public static final String OPERATOR = "mailgun-ip-pool-operator";

  private static final String PREFIX = "[managed-by: " + OPERATOR + " uid=";
  private static final Pattern MARKER =
      Pattern.compile("\\s*\\[managed-by: " + Pattern.quote(OPERATOR) + " uid=([^\\]\\s]+)\\]");
  private static final Pattern UID = Pattern.compile("[^\\]\\s]+");
  // Plans and sweeps ask of every pool of the account, each poll: match each description once.
  private static final int OWNERS_KEPT = 50_000;
  private static final Map<String, Optional<String>> OWNERS = new ConcurrentHashMap<>();

  private OwnershipMarker() {}

  /**
   * The description to send: the user's text (any earlier marker removed) followed by the marker
   * for {@code uid}. A blank text gives the marker alone, which still satisfies Mailgun's non-empty
   * description.
   *
   * @throws IllegalArgumentException when uid is blank or contains whitespace or {@code ]}
   */
  public static String stamp(String description, String uid) {
    if (!isValidUid(uid)) {
      throw new IllegalArgumentException("uid must be a non-blank token without whitespace or ]");
    }
    String text = userText(description);
    String marker = PREFIX + uid + "]";
    return text.isEmpty() ? marker : text + " " + marker;
  }

  /** The uid in the last marker of an observed description, if any. */
  public static Optional<String> ownerUid(String observedDescription) {
    if (observedDescription == null) {
      return Optional.empty();
    }
    Optional<String> known = OWNERS.get(observedDescription);
    if (known != null) {
      return known;
    }
    if (OWNERS.size() >= OWNERS_KEPT) {
      OWNERS.clear();
    }
    Optional<String> owner = matchOwner(observedDescription);
    OWNERS.put(observedDescription, owner);
    return owner;
  }

  private static Optional<String> matchOwner(String observedDescription) {
    Matcher matcher = MARKER.matcher(observedDescription);
    String uid = null;
    while (matcher.find()) {
      uid = matcher.group(1);
    }
    return Optional.ofNullable(uid);
  }

  /** The description without any marker and surrounding whitespace: what the user wrote. */
  public static String userText(String observedDescription) {
    if (observedDescription == null) {
      return "";
    }
    return MARKER.matcher(observedDescription).replaceAll("").strip();
  }

  /** Whether the text contains something that looks like a marker (any uid). */
  public static boolean containsMarker(String text) {
    return text != null && (MARKER.matcher(text).find() || text.contains("[managed-by:"));
  }

  static boolean isValidUid(String uid) {
    return uid != null && UID.matcher(uid).matches();
  }
}
