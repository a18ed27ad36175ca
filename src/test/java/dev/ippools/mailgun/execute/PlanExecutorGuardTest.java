package dev.ippools.mailgun.execute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.model.MailgunResponse;
import dev.ippools.mailgun.plan.MailgunStep;
import dev.ippools.mailgun.plan.Ownership;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The executor asks the ownership guard before every write and sends nothing it refuses. */
class PlanExecutorGuardTest {

    private static final String POOL = "000000000000000000000a01";

    private final List<String> calls = new ArrayList<>();

    private MailgunClient recordingClient() {
        return (MailgunClient) Proxy.newProxyInstance(
                MailgunClient.class.getClassLoader(), new Class<?>[] {MailgunClient.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.invoke(this, args);
                    }
                    calls.add(method.getName());
                    return new MailgunResponse("ok", null);
                });
    }

    @Test
    void aRefusedStepIsNeverSentAndEndsTheRun() {
        List<MailgunStep> steps = List.of(
                new MailgunStep.AddPoolIps(POOL, List.of("10.0.0.1")),
                new MailgunStep.DeletePool(POOL, null, null),
                new MailgunStep.RemovePoolIp(POOL, "10.0.0.1"));
        Ownership.Guard guard = (step, earlier) -> step instanceof MailgunStep.DeletePool
                ? Optional.of(new Ownership.Refusal(POOL, true, "pool belongs to someone else"))
                : Optional.empty();

        PlanExecutor.Result result = new PlanExecutor().execute(recordingClient(), steps, guard, id -> {});

        assertThat(calls).containsExactly("addPoolIp");
        assertThat(result.done()).containsExactly(steps.get(0));
        assertThat(result.failedStep()).isEqualTo(steps.get(1));
        assertThat(result.failure())
                .isInstanceOf(OwnershipRefusedException.class)
                .hasMessageContaining("pool belongs to someone else");
        assertThat(result.failure().isTransient()).isFalse();
    }

    @Test
    void theGuardSeesTheStepsSentBefore() {
        List<List<MailgunStep>> seen = new ArrayList<>();
        List<MailgunStep> steps = List.of(
                new MailgunStep.UpdatePool(POOL, null, "x"), new MailgunStep.AddPoolIps(POOL, List.of("10.0.0.1")));
        new PlanExecutor()
                .execute(
                        recordingClient(),
                        steps,
                        (step, earlier) -> {
                            seen.add(earlier);
                            return Optional.empty();
                        },
                        id -> {});
        assertThat(seen).containsExactly(List.of(), List.of(steps.get(0)));
    }

    @Test
    void theRecorderIsAskedAfterTheGuardRightBeforeSendingAndADeclinedStepIsSkipped() {
        List<String> order = new ArrayList<>();
        MailgunStep refused = new MailgunStep.CancelWarmup("10.0.0.9");
        MailgunStep recordedEarlier = new MailgunStep.StartWarmup("10.0.0.1");
        MailgunStep fresh = new MailgunStep.StartWarmup("10.0.0.2");
        Ownership.Guard guard = (step, earlier) -> {
            order.add("guard " + step.describe());
            return Optional.empty();
        };

        PlanExecutor.Result result = new PlanExecutor()
                .execute(recordingClient(), List.of(recordedEarlier, fresh), guard, id -> {}, null, step -> {
                    order.add("record " + step.describe() + " after " + calls.size() + " calls");
                    return step != recordedEarlier;
                });

        assertThat(order)
                .containsExactly(
                        "guard POST /v3/ip_warmups/10.0.0.1", "record POST /v3/ip_warmups/10.0.0.1 after 0 calls",
                        "guard POST /v3/ip_warmups/10.0.0.2", "record POST /v3/ip_warmups/10.0.0.2 after 0 calls");
        assertThat(calls).containsExactly("startWarmup");
        assertThat(result.done()).containsExactly(fresh);

        order.clear();
        PlanExecutor.Result stopped = new PlanExecutor()
                .execute(
                        recordingClient(),
                        List.of(refused),
                        (step, earlier) -> Optional.of(new Ownership.Refusal(null, false, "not started here")),
                        id -> {},
                        null,
                        step -> {
                            order.add("record");
                            return true;
                        });
        assertThat(order).as("nothing recorded for a refused step").isEmpty();
        assertThat(stopped.failedStep()).isEqualTo(refused);
    }
}
