package dev.ippools.mailgun.execute;

import dev.ippools.mailgun.client.MailgunClient;
import dev.ippools.mailgun.client.MailgunException;
import dev.ippools.mailgun.client.model.MailgunResponse;
import dev.ippools.mailgun.client.model.NewPool;
import dev.ippools.mailgun.client.model.PoolChange;
import dev.ippools.mailgun.client.model.Replacement;
import dev.ippools.mailgun.plan.MailgunStep;
import dev.ippools.mailgun.plan.MailgunStep.AddPoolIps;
import dev.ippools.mailgun.plan.MailgunStep.AssignDomainIp;
import dev.ippools.mailgun.plan.MailgunStep.CreatePool;
import dev.ippools.mailgun.plan.MailgunStep.DelegatePool;
import dev.ippools.mailgun.plan.MailgunStep.DeletePool;
import dev.ippools.mailgun.plan.MailgunStep.LinkDomainPool;
import dev.ippools.mailgun.plan.MailgunStep.RemoveDomainIp;
import dev.ippools.mailgun.plan.MailgunStep.RemoveDomainPool;
import dev.ippools.mailgun.plan.MailgunStep.RemovePoolIp;
import dev.ippools.mailgun.plan.MailgunStep.RevokePoolDelegation;
import dev.ippools.mailgun.plan.MailgunStep.UnlinkDomainPool;
import dev.ippools.mailgun.plan.MailgunStep.UpdatePool;
import dev.ippools.mailgun.plan.Ownership;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Turns plan steps into client calls. */
public final class PlanExecutor {

  /**
   * Runs the steps in order and stops at the first failure.
   *
   * @param guard design §9's ownership rule, asked right before each write against the latest
   *     observed account: a refused step is not sent and ends the run
   * @param onCreated called with the new pool id right after a create returns, before any other
   *     call, so the caller can record it durably
   */
  public Result execute(
      MailgunClient client,
      List<MailgunStep> steps,
      Ownership.Guard guard,
      Consumer<String> onCreated) {
    List<MailgunStep> done = new ArrayList<>();
    boolean started = false;
    String createdPoolId = null;
    for (MailgunStep step : steps) {
      try {
        Optional<Ownership.Refusal> refusal = guard.check(step, List.copyOf(done));
        if (refusal.isPresent()) {
          throw new OwnershipRefusedException(step, refusal.get().message());
        }
        if (step instanceof CreatePool c) {
          createdPoolId =
              client.createPool(new NewPool(c.name(), c.description(), c.ips())).poolId();
          onCreated.accept(createdPoolId);
        } else {
          started |= run(client, step).started();
        }
        done.add(step);
      } catch (MailgunException e) {
        if (!GoneIsDone.completes(step, e)) {
          return new Result(done, started, createdPoolId, step, e);
        }
        done.add(step);
      }
    }
    return new Result(done, started, createdPoolId, null, null);
  }

  private static MailgunResponse run(MailgunClient client, MailgunStep step) {
    if (step instanceof UpdatePool u) {
      return client.updatePool(
          u.poolId(), new PoolChange(u.name(), u.description(), null, null, null, null));
    } else if (step instanceof MailgunStep.EditPool e) {
      return client.updatePool(e.poolId(), new PoolChange(
          e.name(), e.description(), e.addIps(), e.removeIps(), null, null));
    } else if (step instanceof AddPoolIps a) {
      return a.ips().size() == 1
          ? client.addPoolIp(a.poolId(), a.ips().get(0))
          : client.addPoolIps(a.poolId(), a.ips());
    } else if (step instanceof RemovePoolIp r) {
      return client.removePoolIp(r.poolId(), r.ip());
    } else if (step instanceof DelegatePool d) {
      return client.delegatePool(d.poolId(), d.subaccountId());
    } else if (step instanceof RevokePoolDelegation r) {
      return client.revokePoolDelegation(r.poolId(), r.subaccountId());
    } else if (step instanceof DeletePool d) {
      return client.deletePool(d.poolId(), new Replacement(d.replacementIp(), d.replacementPoolId()));
    } else if (step instanceof LinkDomainPool l) {
      // Only links to inherited pools come here; the others go in their pool's batched PATCH.
      return client.legacyLinkDomainPool(l.domain(), l.poolId());
    } else if (step instanceof UnlinkDomainPool u) {
      return client.legacyUnlinkDomainPool(
          u.domain(), new Replacement(u.replacementIp(), u.replacementPoolId()));
    } else if (step instanceof AssignDomainIp a) {
      return client.legacyAssignDomainIp(a.domain(), a.ip());
    } else if (step instanceof RemoveDomainIp r) {
      return client.legacyRemoveDomainIp(r.domain(), r.ip(), Replacement.NONE);
    } else if (step instanceof RemoveDomainPool r) {
      return client.legacyRemoveDomainPool(r.domain());
    }
    throw new IllegalArgumentException("unknown step " + step);
  }

  /**
   * What ran. {@code failedStep} and {@code failure} are null when every step ran.
   *
   * @param started some call answered {@code started}: Mailgun continues in the background
   */
  public record Result(
      List<MailgunStep> done,
      boolean started,
      String createdPoolId,
      MailgunStep failedStep,
      MailgunException failure) {
    public boolean succeeded() {
      return failure == null;
    }
  }
}
