package inferscale.decision;

import static inferscale.decision.Scenario.withInstances;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScaleToZeroTest {
  private static final int IDLE = 30;
  /** Scales to zero after 30 idle minutes; scale-in without a stabilisation window or cooldown. */
  private static final PolicyConfig POLICY = PolicyConfig.defaults()
      .withScaleIn(new PolicyConfig.ScaleInRules(100.0, 1, 0, 0, 0))
      .withBounds(0, 10);
  private static final PolicyConfig TO_ZERO = new PolicyConfig(
      new PolicyConfig.Bounds(0, 10, IDLE), POLICY.targets(), POLICY.freshness(),
      POLICY.scaleOut(), POLICY.scaleIn(), POLICY.timing(), POLICY.budget(), POLICY.fallback());

  /** {@code minutes} of RPS, oldest first, all zero but {@code value} {@code agoMinutes} back. */
  private static double[] quietExcept(int minutes, int agoMinutes, double value) {
    double[] rps = new double[minutes];
    if (agoMinutes > 0) {
      rps[minutes - agoMinutes] = value;
    }
    return rps;
  }

  @Test
  void afterTheIdleMinutesTheCountFallsToZeroAndSaysWhatTheFirstRequestWillWait() {
    Decision d = withInstances(1).policy(TO_ZERO).rps(quietExcept(45, 0, 0)).decide();
    assertEquals(0, d.to(), d.toJson());
    assertTrue(d.reasons().contains(ReasonCode.IDLE_TO_ZERO), d.reasons().toString());
    assertTrue(d.explanation().contains("no request for 30 minutes: at zero, the first request"
        + " waits a cold start of about " + TO_ZERO.timing().coldStartMinutes() + " minutes"),
        d.explanation());
  }

  @Test
  void aRequestWithinTheIdleMinutesKeepsOne() {
    // A request 20 minutes ago (newest point 1 minute ago): not idle yet.
    Decision d = withInstances(1).policy(TO_ZERO).rps(quietExcept(45, 20, 0.05)).decide();
    assertEquals(1, d.to(), d.toJson());
    assertEquals(ReasonCode.MIN_INSTANCES, d.bindingConstraint());
    assertTrue(d.explanation().contains("a request within the last 30 minutes keeps 1"),
        d.explanation());
    assertFalse(d.reasons().contains(ReasonCode.IDLE_TO_ZERO));
  }

  @Test
  void tooShortAHistoryIsNotIdle() {
    // Twenty quiet minutes are all that is known: they do not show thirty idle ones.
    Decision d = withInstances(1).policy(TO_ZERO).rps(quietExcept(20, 0, 0)).decide();
    assertEquals(1, d.to(), d.toJson());
  }

  @Test
  void withoutTheSettingAMinimumOfZeroIsTheMinimumAsItWas() {
    Decision d = withInstances(1).policy(POLICY).rps(quietExcept(45, 20, 0.05)).decide();
    assertEquals(0, d.to(), "no idle rule: the quiet minutes ask for none");
  }

  @Test
  void fromZeroAnyRequestAsksForAnInstance() {
    Decision d = withInstances(0).policy(TO_ZERO).rps(quietExcept(45, 1, 0.02)).decide();
    assertEquals(1, d.to(), d.toJson());
    assertEquals(Action.SCALE_OUT, d.action());
  }

  @Test
  void whileIdleOnlyAForecastOfReturningTrafficPrewarms() {
    double[] idle = quietExcept(45, 0, 0);
    // Stray requests foreseen (0.2 a minute): the first of them wakes the component instead.
    Decision stray = withInstances(0).policy(TO_ZERO).rps(idle).predictiveFloorPeaking(1, 0.2 / 60)
        .decide();
    assertEquals(0, stray.to(), stray.toJson());
    // Traffic returning (3 requests a minute at the forecast's peak): pre-warmed from zero.
    Decision back = withInstances(0).policy(TO_ZERO).rps(idle).predictiveFloorPeaking(1, 3.0 / 60)
        .decide();
    assertEquals(1, back.to(), back.toJson());
    assertEquals(ReasonCode.PREDICTIVE_FLOOR, back.bindingConstraint());
  }

  @Test
  void theSettingNeedsAMinimumOfZeroAndAtLeastAMinute() {
    PolicyConfig keepsOne = new PolicyConfig(new PolicyConfig.Bounds(1, 10, IDLE),
        POLICY.targets(), POLICY.freshness(), POLICY.scaleOut(), POLICY.scaleIn(), POLICY.timing(),
        POLICY.budget(), POLICY.fallback());
    assertEquals(List.of("bounds.scaleToZeroAfterMinutes needs bounds.minInstances 0 (it keeps one"
        + " until the idle minutes pass), got 1"), keepsOne.problems());
    PolicyConfig never = new PolicyConfig(new PolicyConfig.Bounds(0, 10, 0), POLICY.targets(),
        POLICY.freshness(), POLICY.scaleOut(), POLICY.scaleIn(), POLICY.timing(),
        POLICY.budget(), POLICY.fallback());
    assertEquals(List.of("bounds.scaleToZeroAfterMinutes must be ≥ 1, got 0"), never.problems());
    assertEquals(IDLE, PolicyConfigParser.parse(
        inferscale.json.Json.mapper().valueToTree(java.util.Map.of("bounds",
            java.util.Map.of("minInstances", 0, "scaleToZeroAfterMinutes", IDLE))),
        PolicyConfig.defaults()).bounds().scaleToZeroAfterMinutes());
    assertTrue(Arrays.asList(TO_ZERO.problems().toArray()).isEmpty());
  }
}
