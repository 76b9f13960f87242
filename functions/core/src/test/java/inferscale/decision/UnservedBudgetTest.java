package inferscale.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnservedBudgetTest {
  private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
  /** 2 requests a second at the target, 3 (180 a minute) what one instance serves. */
  private static final PolicyConfig POLICY = PolicyConfig.defaults()
      .withTargetRpsPerInstance(2.0).withMaxRpsPerInstance(3.0)
      .withBudget(new PolicyConfig.Budget(0.5, 0.3, 0.95));

  /** {@code minutes} minutes of 1,000 requests, {@code hot} of them at 200 per instance. */
  private static List<List<SignalPoint>> window(int minutes, int hot) {
    List<SignalPoint> requests = new ArrayList<>();
    List<SignalPoint> perInstance = new ArrayList<>();
    for (int m = 0; m < minutes; m++) {
      Instant at = START.plusSeconds(60L * m);
      requests.add(new SignalPoint(at, 1000));
      perInstance.add(new SignalPoint(at, m < hot ? 200 : 100));
    }
    return List.of(requests, perInstance);
  }

  @Test
  void theBurnIsTheShareOfRequestsBeyondWhatServingInstancesTake() {
    // 10 of 1,000 minutes at 200 per instance against 180: a tenth of their requests met none.
    List<List<SignalPoint>> w = window(1000, 10);
    UnservedBudget.State state = UnservedBudget.next(POLICY, 0.6, w.get(0), w.get(1), 1);
    assertEquals(100.0 * 10 * 1000 * (1 - 180.0 / 200) / (1000 * 1000), state.burnPercent(),
        1e-12);
    assertEquals(1000, state.minutes());
    assertEquals(0.6, state.previousUtilization());
    assertTrue(state.sentence().contains("0.100 % of the last day's requests met no capacity"
        + " against a 0.50 % budget"), state.sentence());
  }

  /** The hourly factor at twice the budget (or none of it spent). */
  private static final double RATE = 1 + UnservedBudget.CHANGE_PER_HOUR_PERCENT / 100;

  @Test
  void spendingTooFastLowersTheTargetSlowlyAndTooSlowlyRaisesIt() {
    List<List<SignalPoint>> quiet = window(1000, 0);
    UnservedBudget.State under = UnservedBudget.next(POLICY, 0.6, quiet.get(0), quiet.get(1), 60);
    // Nothing spent: an hour raises it by the rate.
    assertEquals(0.6 * RATE, under.utilization(), 1e-12);
    List<List<SignalPoint>> hot = window(1000, 100); // 1 %: twice the budget
    UnservedBudget.State over = UnservedBudget.next(POLICY, 0.6, hot.get(0), hot.get(1), 60);
    assertEquals(0.6 / RATE, over.utilization(), 1e-12);
    UnservedBudget.State minute = UnservedBudget.next(POLICY, 0.6, hot.get(0), hot.get(1), 1);
    assertEquals(0.6 / Math.pow(RATE, 1 / 60.0), minute.utilization(), 1e-12, "per minute");
  }

  @Test
  void aBurstDayMovesItAtMostThreeTimesTheRate() {
    List<List<SignalPoint>> burst = window(1000, 1000); // 10 %: twenty times the budget
    UnservedBudget.State state = UnservedBudget.next(POLICY, 0.6, burst.get(0), burst.get(1), 60);
    assertEquals(0.6 / Math.pow(RATE, 3), state.utilization(), 1e-12);
  }

  @Test
  void itStartsFromThePolicysOwnTargetAndHoldsOnTooFewMinutes() {
    List<List<SignalPoint>> few = window(59, 59);
    UnservedBudget.State state = UnservedBudget.next(POLICY, null, few.get(0), few.get(1), 1);
    assertEquals(2.0 / 3.0, state.utilization(), 1e-12, "targets.rpsPerInstance / max");
    assertNull(state.burnPercent());
    assertTrue(state.sentence().contains("held: 59 minutes"), state.sentence());
  }

  @Test
  void theTargetStaysWithinThePolicysBoundsWhateverTheBurn() {
    qt().withExamples(300)
        .forAll(doubles().between(0.01, 1.0), integers().between(0, 1000),
            integers().between(0, 60))
        .checkAssert((previous, hot, elapsed) -> {
          List<List<SignalPoint>> w = window(1000, hot);
          UnservedBudget.State state =
              UnservedBudget.next(POLICY, previous, w.get(0), w.get(1), elapsed);
          assertTrue(state.utilization() >= 0.3 && state.utilization() <= 0.95,
              state.toString());
          // Never faster than the largest step: the rate to the excess cap, over the time elapsed.
          double bound = Math.pow(RATE, 3.0 * elapsed / 60) + 1e-12;
          double clamped = Math.max(0.3, Math.min(0.95, previous));
          assertTrue(state.utilization() / clamped <= bound
              && clamped / state.utilization() <= bound, state.toString());
        });
  }

  @Test
  void aBudgetNeedsWhatOneInstanceServes() {
    PolicyConfig withoutCapacity = PolicyConfig.defaults()
        .withBudget(new PolicyConfig.Budget(0.5, 0.3, 0.95));
    assertTrue(withoutCapacity.problems().stream()
        .anyMatch(p -> p.startsWith("budget.unservedPercent needs targets.maxRpsPerInstance")));
    PolicyConfig inverted = POLICY.withBudget(new PolicyConfig.Budget(0.5, 0.9, 0.5));
    assertEquals(List.of("budget.maxUtilization (0.5) must be ≥ budget.minUtilization (0.9)"),
        inverted.problems());
  }
}
