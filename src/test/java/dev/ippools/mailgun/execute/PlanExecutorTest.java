package dev.ippools.mailgun.execute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.client.MailgunApiException;
import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.plan.MailgunStep;
import dev.ippools.mailgun.plan.Ownership;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PlanExecutorTest {

    private static final Ownership.Guard ANYONE = (step, earlier) -> Optional.empty();

    private static final String POOL = "665000000000000000000001";
    private final List<String> calls = new ArrayList<>();

    /** A client whose every write answers 404 (the thing is not there). */
    private MailgunClient notFound() {
        return (MailgunClient) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {MailgunClient.class}, (proxy, method, args) -> {
                    calls.add(method.getName());
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    throw new MailgunApiException("DELETE", method.getName(), 404, "not found", null);
                });
    }

    static Stream<MailgunStep> removals() {
        return Stream.of(
                new MailgunStep.DeletePool(POOL, null, null),
                new MailgunStep.RemovePoolIp(POOL, "198.51.100.10"),
                new MailgunStep.RevokePoolDelegation(POOL, "6a1b2c3d4e5f60718293a4b5"),
                new MailgunStep.UnlinkDomainPool("mail.example.com", "shared", null),
                new MailgunStep.RemoveDomainIp("mail.example.com", "198.51.100.10"),
                new MailgunStep.RemoveDomainPool("mail.example.com"),
                new MailgunStep.CancelWarmup("198.51.100.10"));
    }

    @ParameterizedTest
    @MethodSource("removals")
    void aRemovalAnswered404IsDoneAndTheNextStepRuns(MailgunStep step) {
        PlanExecutor.Result result = new PlanExecutor()
                .execute(notFound(), List.of(step, new MailgunStep.DeletePool(POOL, null, null)), ANYONE, id -> {});

        assertThat(result.succeeded()).isTrue();
        assertThat(result.done()).hasSize(2);
        assertThat(calls).hasSize(2);
    }

    @Test
    void a404ForSomethingToChangeStaysAFailure() {
        MailgunStep add = new MailgunStep.AddPoolIps(POOL, List.of("198.51.100.10"));
        PlanExecutor.Result result = new PlanExecutor()
                .execute(notFound(), List.of(add, new MailgunStep.DeletePool(POOL, null, null)), ANYONE, id -> {});

        assertThat(result.succeeded()).isFalse();
        assertThat(result.failedStep()).isEqualTo(add);
        assertThat(result.done()).isEmpty();
    }

    @Test
    void aWarmupStartAnswered404StaysAFailure() {
        MailgunStep start = new MailgunStep.StartWarmup("198.51.100.10");
        PlanExecutor.Result result = new PlanExecutor().execute(notFound(), List.of(start), ANYONE, id -> {});

        assertThat(result.succeeded()).isFalse();
        assertThat(result.failedStep()).isEqualTo(start);
        assertThat(calls).containsExactly("startWarmup");
    }
}
