package dev.ippools.mailgun.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.client.model.AccountIps;
import dev.ippools.mailgun.client.model.MailgunPool;
import dev.ippools.mailgun.emulator.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Delegation changes Mailgun accepted, held until a read shows them or they expire. */
class AcceptedDelegationsTest {

    private static final String POOL = "60f0c0ffee00000000000001";
    private static final String SUB = "6a1b2c3d4e5f60718293a4b5";
    private static final String OTHER = "6a1b2c3d4e5f60718293a4b6";
    private static final Duration SECOND = Duration.ofSeconds(1);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AcceptedDelegations accepted = new AcceptedDelegations(clock);

    @Test
    void anAcceptedDelegationIsInEffectUntilAReadShowsIt() {
        accepted.delegated(POOL, SUB);
        clock.advance(SECOND);
        accepted.settle(read(Map.of()));

        assertThat(accepted.inEffect(Map.of())).isEqualTo(Map.of(POOL, Set.of(SUB)));
        assertThat(accepted.propagating()).isEqualTo(Map.of(POOL, Set.of(SUB)));
        assertThat(accepted.propagating(POOL)).isTrue();

        clock.advance(SECOND);
        accepted.settle(read(Map.of(POOL, Set.of(SUB))));
        assertThat(accepted.propagating()).isEmpty();
        assertThat(accepted.propagating(POOL)).isFalse();
        assertThat(accepted.inEffect(Map.of())).isEmpty();
    }

    @Test
    void aReadThatBeganBeforeTheAnswerProvesNothing() {
        Snapshot older = read(Map.of());
        clock.advance(SECOND);
        accepted.revoked(POOL, SUB);
        // Listed as not delegated, but read before Mailgun took the revocation.
        accepted.settle(older);
        assertThat(accepted.propagating(POOL)).isTrue();
    }

    @Test
    void anAcceptedRevocationIsInEffectUntilAReadShowsIt() {
        Map<String, Set<String>> both = Map.of(POOL, Set.of(SUB, OTHER));
        accepted.revoked(POOL, SUB);
        clock.advance(SECOND);
        accepted.settle(read(both));

        assertThat(accepted.inEffect(both)).isEqualTo(Map.of(POOL, Set.of(OTHER)));
        assertThat(accepted.propagating()).isEqualTo(Map.of(POOL, Set.of(SUB)));

        accepted.settle(read(Map.of(POOL, Set.of(OTHER))));
        assertThat(accepted.propagating()).isEmpty();
    }

    @Test
    void pastTheExpiryTheReadDecidesAgain() {
        accepted.delegated(POOL, SUB);
        accepted.revoked(POOL, OTHER);
        Map<String, Set<String>> listed = Map.of(POOL, Set.of(OTHER));
        clock.advance(BindingLinks.ACCEPTED_EXPIRY.minus(SECOND));
        accepted.settle(read(listed));
        assertThat(accepted.inEffect(listed)).isEqualTo(Map.of(POOL, Set.of(SUB)));

        clock.advance(SECOND);
        long before = accepted.version();
        accepted.settle(read(listed));
        // Mailgun lost both: the delegation is missing and the revoked subaccount listed again.
        assertThat(accepted.inEffect(listed)).isEqualTo(listed);
        assertThat(accepted.propagating()).isEmpty();
        assertThat(accepted.version()).isGreaterThan(before);
    }

    @Test
    void aPoolGoneFromTheReadHasNothingLeftToPropagate() {
        accepted.delegated(POOL, SUB);
        clock.advance(SECOND);
        accepted.settle(new Snapshot(List.of(), ips(), Map.of(), clock.instant()));
        assertThat(accepted.propagating()).isEmpty();
    }

    @Test
    void theLatestAnswerForASubaccountWins() {
        accepted.delegated(POOL, SUB);
        accepted.revoked(POOL, SUB);
        clock.advance(SECOND);
        // Still listed from before: the revocation is what propagates.
        Map<String, Set<String>> listed = Map.of(POOL, Set.of(SUB));
        accepted.settle(read(listed));
        assertThat(accepted.inEffect(listed)).isEmpty();
        assertThat(accepted.propagating()).isEqualTo(Map.of(POOL, Set.of(SUB)));
    }

    private Snapshot read(Map<String, Set<String>> delegations) {
        return new Snapshot(
                List.of(new MailgunPool(POOL, "p", "d", List.of("10.0.0.1"), false, false)),
                ips(),
                delegations,
                clock.instant());
    }

    private static AccountIps ips() {
        return new AccountIps(List.of("10.0.0.1"), List.of(), List.of("10.0.0.1"), 1);
    }
}
