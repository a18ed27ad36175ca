package dev.ippools.mailgun.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.client.AccountRateLimiter;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.MailgunClientOptions;
import dev.ippools.mailgun.client.http.OkHttpMailgunClient;
import dev.ippools.mailgun.client.model.NewPool;
import dev.ippools.mailgun.emulator.AccountFixture;
import dev.ippools.mailgun.emulator.AccountFixture.IpFixture;
import dev.ippools.mailgun.emulator.AccountFixture.SubaccountFixture;
import dev.ippools.mailgun.emulator.EmulatorConfig;
import dev.ippools.mailgun.emulator.MailgunEmulator;
import dev.ippools.mailgun.emulator.MutableClock;
import dev.ippools.mailgun.mapping.ObservedMapper;
import dev.ippools.mailgun.plan.DesiredPool;
import dev.ippools.mailgun.plan.MailgunStep;
import dev.ippools.mailgun.plan.ManagementPolicy;
import dev.ippools.mailgun.plan.OwnershipMarker;
import dev.ippools.mailgun.plan.Plan;
import dev.ippools.mailgun.plan.PlanningContext;
import dev.ippools.mailgun.plan.PoolPlanner;
import dev.ippools.mailgun.plan.ResourceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The planner's view of delegations Mailgun accepted but does not list yet (the emulator holds
 * them back an hour, until settled): counted as made and propagating until a read shows them, and
 * planned again once the expiry passes without one.
 */
class AccountStateDelegationsTest {

    private static final String KEY = "delegations-key";
    private static final String SUB = "6a1b2c3d4e5f60718293a4b5";
    private static final String UID = "uid-p";
    private static final Duration SECOND = Duration.ofSeconds(1);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private MailgunEmulator emulator;
    private MailgunClient client;
    private AccountState account;
    private String pool;

    @BeforeEach
    void start() {
        emulator = MailgunEmulator.start(EmulatorConfig.defaults()
                .withApiKey(KEY)
                .withPropagationDelay(Duration.ofHours(1))
                .withFixture(new AccountFixture(
                        "5f0c1a2b3c4d5e6f70819299",
                        new AccountFixture.Features(true, true),
                        List.of(new IpFixture("10.0.0.1", true, true, false, null)),
                        List.of(),
                        List.of(),
                        List.of(new SubaccountFixture(SUB, "storefront", List.of(), List.of())))));
        client = OkHttpMailgunClient.create(MailgunClientOptions.builder()
                .baseUrl(emulator.url())
                .apiKey(KEY)
                .maxRetries(1)
                .retryBaseDelay(Duration.ofMillis(5))
                .retryMaxDelay(Duration.ofMillis(20))
                .rateLimiter(AccountRateLimiter.create(1000, 1000))
                .build());
        account = new AccountState(new AccountKey(emulator.url(), null, "test"), client, clock);
        account.wantDelegations();
        pool = client.createPool(new NewPool("p", OwnershipMarker.stamp("p", UID), List.of("10.0.0.1")))
                .poolId();
    }

    @AfterEach
    void stop() {
        account.links().close();
        client.close();
        emulator.close();
    }

    @Test
    void anAcceptedDelegationIsMadeButPropagatingUntilAReadShowsIt() {
        delegate();
        assertThat(ObservedMapper.observed(account).delegations()).containsEntry(pool, Set.of(SUB));
        Plan plan = plan(Set.of(SUB));
        assertThat(plan.steps()).isEmpty();
        assertThat(plan.state()).isEqualTo(Plan.State.RELINKING);
        assertThat(plan.notes())
                .containsExactly("Mailgun is still propagating the delegation to" + " subaccount " + SUB
                        + " (accepted, not listed yet)");
        assertThat(account.delegationsPropagating(pool)).isTrue();

        emulator.settle();
        readLater(SECOND);
        assertThat(plan(Set.of(SUB)).state()).isEqualTo(Plan.State.AVAILABLE);
        assertThat(account.delegationsPropagating(pool)).isFalse();
    }

    @Test
    void pastTheExpiryAMissingDelegationIsPlannedAgain() {
        delegate();
        // delegate() read a second after the answer: this read is a second before the expiry.
        readLater(BindingLinks.ACCEPTED_EXPIRY.minus(SECOND.multipliedBy(2)));
        assertThat(plan(Set.of(SUB)).steps()).isEmpty();

        readLater(SECOND);
        assertThat(ObservedMapper.observed(account).delegations()).doesNotContainKey(pool);
        assertThat(plan(Set.of(SUB)).steps()).containsExactly(new MailgunStep.DelegatePool(pool, SUB));
        assertThat(account.delegationsPropagating(pool)).isFalse();
    }

    @Test
    void anAcceptedRevocationIsMadeButPropagatingUntilAReadShowsIt() {
        delegatedAndListed();
        revoke();
        assertThat(ObservedMapper.observed(account).delegations()).doesNotContainKey(pool);
        Plan plan = plan(Set.of());
        assertThat(plan.steps()).isEmpty();
        assertThat(plan.state()).isEqualTo(Plan.State.RELINKING);
        assertThat(plan.notes())
                .containsExactly("Mailgun is still propagating the revocation from" + " subaccount " + SUB
                        + " (accepted, not listed yet)");

        emulator.settle();
        readLater(SECOND);
        assertThat(plan(Set.of()).state()).isEqualTo(Plan.State.AVAILABLE);
        assertThat(account.delegationsPropagating(pool)).isFalse();
    }

    @Test
    void pastTheExpiryARevocationStillListedIsPlannedAgain() {
        delegatedAndListed();
        revoke();
        readLater(BindingLinks.ACCEPTED_EXPIRY);
        assertThat(ObservedMapper.observed(account).delegations()).containsEntry(pool, Set.of(SUB));
        assertThat(plan(Set.of()).steps()).containsExactly(new MailgunStep.RevokePoolDelegation(pool, SUB));
    }

    private void delegate() {
        client.delegatePool(pool, SUB);
        account.rememberAccepted(List.of(new MailgunStep.DelegatePool(pool, SUB)));
        readLater(SECOND);
    }

    private void revoke() {
        client.revokePoolDelegation(pool, SUB);
        account.rememberAccepted(List.of(new MailgunStep.RevokePoolDelegation(pool, SUB)));
        readLater(SECOND);
    }

    private void delegatedAndListed() {
        client.delegatePool(pool, SUB);
        emulator.settle();
        readLater(SECOND);
        assertThat(plan(Set.of(SUB)).state()).isEqualTo(Plan.State.AVAILABLE);
    }

    /** A bulk read that begins {@code wait} from now. */
    private void readLater(Duration wait) {
        clock.advance(wait);
        account.refresh();
    }

    private Plan plan(Set<String> delegatedTo) {
        DesiredPool desired = new DesiredPool(
                new ResourceKey("default", "p"),
                UID,
                Instant.parse("2025-12-01T00:00:00Z"),
                "p",
                null,
                Set.of("10.0.0.1"),
                delegatedTo,
                null,
                pool,
                ManagementPolicy.MANAGE,
                false,
                DesiredPool.DeletionPolicy.DELETE,
                null);
        return PoolPlanner.plan(
                desired, new PlanningContext(ObservedMapper.observed(account), List.of(desired), List.of()));
    }
}
