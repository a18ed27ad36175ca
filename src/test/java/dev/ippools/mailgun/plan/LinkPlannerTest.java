package dev.ippools.mailgun.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ippools.mailgun.plan.DesiredBinding.Target;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which other bindings a queued link waits for: those about to link the same pool. */
class LinkPlannerTest {

  private static final Target POOL_A = new Target.PoolRef("pool-a");
  private static final Target BY_ID = new Target.PoolId("665000000000000000000001");

  @Test
  void siblingsNameTheSamePoolTheSameWayAndWillLinkIt() {
    DesiredBinding self = binding("team", "self", "self.example.com", POOL_A);
    PlanningContext ctx = new PlanningContext(null, List.of(), List.of(self,
        binding("team", "same-pool", "same.example.com", POOL_A),
        binding("other-team", "same-name-elsewhere", "elsewhere.example.com", POOL_A),
        binding("team", "other-pool", "other.example.com", new Target.PoolRef("pool-b")),
        observe(binding("team", "observer", "observed.example.com", POOL_A)),
        deleting(binding("team", "leaving", "leaving.example.com", POOL_A))));

    assertThat(LinkPlanner.siblingDomains(self, ctx)).containsExactly("same.example.com");
  }

  @Test
  void aPoolIdIsTheSamePoolInEveryNamespace() {
    DesiredBinding self = binding("team", "self", "self.example.com", BY_ID);
    PlanningContext ctx = new PlanningContext(null, List.of(), List.of(self,
        binding("other-team", "by-id", "by-id.example.com", BY_ID)));

    assertThat(LinkPlanner.siblingDomains(self, ctx)).containsExactly("by-id.example.com");
  }

  private static DesiredBinding binding(String namespace, String name, String domain,
      Target target) {
    return new DesiredBinding(new ResourceKey(namespace, name), Instant.EPOCH, domain, target,
        ManagementPolicy.MANAGE, false, null, null);
  }

  private static DesiredBinding observe(DesiredBinding b) {
    return new DesiredBinding(b.key(), b.createdAt(), b.domain(), b.target(),
        ManagementPolicy.OBSERVE, false, null, null);
  }

  private static DesiredBinding deleting(DesiredBinding b) {
    return new DesiredBinding(b.key(), b.createdAt(), b.domain(), b.target(), b.policy(), true,
        null, null);
  }
}
