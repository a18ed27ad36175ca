package dev.ippools.mailgun.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class OwnershipMarkerTest {

    private static final String UID = "0c5f2a8e-1d2b-4c3d-9e4f-5a6b7c8d9e0f";

    @Test
    void stampsAfterTheUsersText() {
        assertThat(OwnershipMarker.stamp("EU senders", UID))
                .isEqualTo("EU senders [managed-by: mailgun-ip-pool-operator uid=" + UID + "]");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void blankTextGivesTheMarkerAlone(String text) {
        assertThat(OwnershipMarker.stamp(text, UID))
                .isEqualTo("[managed-by: mailgun-ip-pool-operator uid=" + UID + "]");
    }

    @Test
    void restampingReplacesAnEarlierMarker() {
        String once = OwnershipMarker.stamp("EU senders", "old-uid");
        String twice = OwnershipMarker.stamp(once, UID);
        assertThat(twice).isEqualTo(OwnershipMarker.stamp("EU senders", UID));
        assertThat(OwnershipMarker.ownerUid(twice)).contains(UID);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "EU senders [managed-by: mailgun-ip-pool-operator uid=abc]|abc|EU senders",
                "[managed-by: mailgun-ip-pool-operator uid=abc]|abc|''",
                "a [managed-by: mailgun-ip-pool-operator uid=abc] b|abc|a b",
                "x [managed-by: mailgun-ip-pool-operator uid=1] [managed-by: mailgun-ip-pool-operator" + " uid=2]|2|x",
                "EU senders|''|EU senders",
                "EU [managed-by: other-operator uid=abc]|''|EU [managed-by: other-operator uid=abc]"
            })
    void readsUidAndUserText(String observed, String uid, String text) {
        if (uid.isEmpty()) {
            assertThat(OwnershipMarker.ownerUid(observed)).isEmpty();
        } else {
            assertThat(OwnershipMarker.ownerUid(observed)).contains(uid);
        }
        assertThat(OwnershipMarker.userText(observed)).isEqualTo(text);
    }

    @Test
    void nullDescriptionHasNoOwnerAndNoText() {
        assertThat(OwnershipMarker.ownerUid(null)).isEmpty();
        assertThat(OwnershipMarker.userText(null)).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"has space", "has]bracket"})
    void refusesUidsThatCannotBeReadBack(String uid) {
        assertThatThrownBy(() -> OwnershipMarker.stamp("x", uid)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void detectsMarkerLookalikesInUserText() {
        assertThat(OwnershipMarker.containsMarker("hi [managed-by: someone]")).isTrue();
        assertThat(OwnershipMarker.containsMarker("plain text")).isFalse();
    }
}
