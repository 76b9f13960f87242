package inferscale.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import inferscale.decision.EndpointSnapshot;
import inferscale.decision.PolicyConfig;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Invariants of the capacity back-off and of the fallback's count and weights. */
class CapacityFallbackPropertiesTest {
  private static final Instant AT = Instant.parse("2026-11-30T12:00:00Z");

  @Test
  void theBackOffDoublesWithJitterUpToAnHour() {
    qt().withExamples(500).forAll(integers().between(0, 30), doubles().between(0, 0.999999))
        .checkAssert((failures, jitter) -> {
          LastAsk failed = new LastAsk(AT, 2, 4, LastAsk.Outcome.PENDING, failures, null)
              .noCapacity(AT, jitter);
          long delay = Math.min(3600, 120L << Math.min(failures, 20));
          long waited = Duration.between(AT, failed.retryAt()).toSeconds();
          assertEquals(failures + 1, failed.failures());
          assertTrue(waited >= delay / 2 && waited <= delay, waited + " of " + delay);
          assertTrue(failed.backingOff(AT) && !failed.backingOff(failed.retryAt()));
        });
  }

  @Test
  void weightsFollowServingCapacityAndNeverGoToAVariantWithNothingServing() {
    qt().withExamples(1000).forAll(integers().between(0, 30), integers().between(0, 30),
        integers().between(0, 40), integers().between(0, 3))
        .checkAssert((primaryServing, fallbackServing, wanted, fallbackMin) -> {
          PolicyConfig policy = PolicyConfig.defaults().withBounds(1, 40)
              .withTargetRpsPerInstance(2.0);
          policy = new PolicyConfig(policy.bounds(), policy.targets(), policy.freshness(),
              policy.scaleOut(), policy.scaleIn(), policy.timing(), policy.budget(),
              new PolicyConfig.Fallback("Fallback", 0.5, fallbackMin, 20)).validated();
          EndpointState state = new EndpointState(new EndpointSnapshot("e", "AllTraffic", "t",
              EndpointSnapshot.IN_SERVICE, primaryServing, primaryServing, AT), false, 0.7f, null,
              null, new VariantState("Fallback", "u", fallbackServing, fallbackServing, 0.3f));
          for (boolean blocked : new boolean[] {true, false}) {
            FallbackPlan plan = FallbackPlan.plan(policy, state, wanted, primaryServing, blocked);
            assertTrue(plan.fallbackInstances() >= fallbackMin && plan.fallbackInstances() <= 20);
            assertTrue(blocked || plan.fallbackInstances() <= Math.max(fallbackMin,
                fallbackServing), "with capacity back, the fallback only shrinks");
            int fallbackAfter = Math.min(fallbackServing, plan.fallbackInstances());
            if (primaryServing + fallbackAfter == 0) {
              assertEquals(0.7f, plan.primaryWeight(), "nothing serves: weights as they were");
              continue;
            }
            assertEquals(1.0, plan.primaryWeight() + plan.fallbackWeight(), 1e-6);
            assertTrue(primaryServing > 0 || plan.primaryWeight() == 0);
            assertTrue(fallbackAfter > 0 || plan.fallbackWeight() == 0);
            // The shares make each variant's load per unit of capacity the same.
            if (primaryServing > 0 && fallbackAfter > 0) {
              assertEquals(plan.primaryWeight() / (primaryServing * 2.0),
                  plan.fallbackWeight() / (fallbackAfter * 0.5), 1e-6);
            }
          }
        });
  }
}
