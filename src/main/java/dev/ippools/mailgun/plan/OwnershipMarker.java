package dev.ippools.mailgun.plan;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text stamped into a pool's Mailgun description to prove the operator created it, e.g. {@code
 * Senders for eu [managed-by: mailgun-ip-pool-operator uid=0c5f... owner=prod-eu]}. Mailgun makes
 * the pool id, so after a crash between the POST and recording the id this marker is how the
 * operator finds the pool again instead of posting a second one. {@code owner} is the operator's
 * owner id, so operators of several clusters sharing one account tell their pools apart; markers
 * written before owner ids (no {@code owner=}) count as the reading operator's own.
 */
public final class OwnershipMarker {

    public static final String OPERATOR = "mailgun-ip-pool-operator";

    private static final String PREFIX = "[managed-by: " + OPERATOR + " uid=";
    private static final Pattern MARKER = Pattern.compile(
            "\\s*\\[managed-by: " + Pattern.quote(OPERATOR) + " uid=([^\\]\\s]+)(?: owner=([^\\]\\s]+))?\\]");
    private static final Pattern UID = Pattern.compile("[^\\]\\s]+");
    // Plans and sweeps ask of every pool of the account, each poll: match each description once.
    private static final int OWNERS_KEPT = 50_000;
    private static final Map<String, Optional<Marker>> OWNERS = new ConcurrentHashMap<>();

    /** A parsed marker; {@code ownerId} is null in markers written before owner ids. */
    public record Marker(String uid, String ownerId) {}

    private OwnershipMarker() {}

    /**
     * The description to send: the user's text (any earlier marker removed) followed by the marker
     * for {@code uid}. A blank text gives the marker alone, which still satisfies Mailgun's non-empty
     * description.
     *
     * @throws IllegalArgumentException when uid is blank or contains whitespace or {@code ]}
     */
    public static String stamp(String description, String uid) {
        return stamp(description, uid, null);
    }

    /** As {@link #stamp(String, String)}, naming the operator's owner id too (null: none). */
    public static String stamp(String description, String uid, String ownerId) {
        if (!isValidUid(uid) || ownerId != null && !isValidUid(ownerId)) {
            throw new IllegalArgumentException("uid and owner id must be non-blank tokens without whitespace or ]");
        }
        String text = userText(description);
        String marker = PREFIX + uid + (ownerId == null ? "" : " owner=" + ownerId) + "]";
        return text.isEmpty() ? marker : text + " " + marker;
    }

    /** The uid in the last marker of an observed description, if any. */
    public static Optional<String> ownerUid(String observedDescription) {
        return marker(observedDescription).map(Marker::uid);
    }

    /** The owner id in the last marker of an observed description, if it names one. */
    public static Optional<String> ownerId(String observedDescription) {
        return marker(observedDescription).map(Marker::ownerId);
    }

    /**
     * Whether the marker is another operator's: it names an owner id other than {@code ownerId}.
     * Unmarked pools, markers without an owner id, and a null {@code ownerId} are never foreign.
     */
    public static boolean markedElsewhere(String observedDescription, String ownerId) {
        return ownerId != null
                && ownerId(observedDescription).filter(o -> !o.equals(ownerId)).isPresent();
    }

    /** The last marker of an observed description, if any. */
    public static Optional<Marker> marker(String observedDescription) {
        if (observedDescription == null) {
            return Optional.empty();
        }
        Optional<Marker> known = OWNERS.get(observedDescription);
        if (known != null) {
            return known;
        }
        if (OWNERS.size() >= OWNERS_KEPT) {
            OWNERS.clear();
        }
        Optional<Marker> marker = match(observedDescription);
        OWNERS.put(observedDescription, marker);
        return marker;
    }

    private static Optional<Marker> match(String observedDescription) {
        Matcher matcher = MARKER.matcher(observedDescription);
        Marker last = null;
        while (matcher.find()) {
            last = new Marker(matcher.group(1), matcher.group(2));
        }
        return Optional.ofNullable(last);
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

    /** Whether {@code id} can be stamped: a non-blank token without whitespace or {@code ]}. */
    public static boolean isValidUid(String uid) {
        return uid != null && UID.matcher(uid).matches();
    }
}
