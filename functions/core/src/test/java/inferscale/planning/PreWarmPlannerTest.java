package inferscale.planning;

import inferscale.decision.Timing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferscale.decision.Action;
import inferscale.decision.Decision;
import inferscale.decision.DecisionEngine;
import inferscale.decision.DecisionInput;
import inferscale.decision.EndpointSnapshot;
import inferscale.decision.PolicyConfig;
import inferscale.decision.PredictiveFloor;
import inferscale.decision.ReasonCode;
import inferscale.decision.Signal;
import inferscale.decision.SignalPoint;
import inferscale.decision.SignalSeries;
import inferscale.decision.Signals;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreWarmPlannerTest {
  private static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");
  // cold start 8 + delay 2: the window is [now + 10, now + 18].
  private static final PolicyConfig POLICY = PolicyConfig.defaults().withBounds(1, 50)
      .withTargetRpsPerInstance(2.0).withTiming(new Timing(8, 2, 15));

  /** A flat forecast of {@code base} RPS for the next two hours with one peak minute. */
  private static List<SignalPoint> forecast(double base, int peakMinute, double peak) {
    List<SignalPoint> points = new ArrayList<>();
    for (int m = 1; m <= 120; m++) {
      points.add(new SignalPoint(NOW.plusSeconds(60L * m), m == peakMinute ? peak : base));
    }
    return points;
  }

  private static PredictiveFloor floor(List<SignalPoint> upper, PolicyConfig policy) {
    return PreWarmPlanner.predictiveFloor(upper, List.of(), NOW, policy);
  }

  @Test
  void floorCoversTheForecastPeakWithinLeadAndCycle() {
    PredictiveFloor floor = floor(forecast(4, 15, 21), POLICY);
    assertEquals(11, floor.instances()); // ceil(21 / 2)
    assertEquals(21.0, floor.peakRps());
    assertEquals(NOW.plusSeconds(15 * 60), floor.peakAt());
    assertEquals(10, floor.leadMinutes());
  }

  @Test
  void withWhatAnInstanceServesTheFloorProvisionsTheUpperForecastAtThatRate() {
    // The upper quantile already carries the headroom: at 3 RPS per instance, 21 needs 7.
    PredictiveFloor floor = floor(forecast(4, 15, 21), POLICY.withMaxRpsPerInstance(3.0));
    assertEquals(7, floor.instances());
  }

  @Test
  void onNoisyTrafficTheFloorHoldsNoMoreThanTheTargetForTheExpectedRate() {
    // Upper 21 at 3 per instance needs 7; expected 8 at the target of 2 needs only 4, the most
    // target tracking would hold for it.
    PolicyConfig withCapacity = POLICY.withMaxRpsPerInstance(3.0);
    PredictiveFloor noisy = PreWarmPlanner.predictiveFloor(
        forecast(4, 15, 21), forecast(2, 15, 8), NOW, withCapacity);
    assertEquals(4, noisy.instances());
    assertEquals(PredictiveFloor.Basis.EXPECTED_AT_TARGET, noisy.basis());
    assertEquals(8.0, noisy.peakRps());
    assertEquals(2.0, noisy.rpsPerInstance());
    assertEquals(4, noisy.keepInstances());
    // Expected 12 needs 6 at the target, fewer than the upper quantile's 7: 6. Expected 16 needs
    // 8, more than 7: the upper quantile binds.
    assertEquals(6, PreWarmPlanner.predictiveFloor(
        forecast(4, 15, 21), forecast(2, 15, 12), NOW, withCapacity).instances());
    PredictiveFloor calm = PreWarmPlanner.predictiveFloor(
        forecast(4, 15, 21), forecast(2, 15, 16), NOW, withCapacity);
    assertEquals(7, calm.instances());
    assertEquals(PredictiveFloor.Basis.UPPER_QUANTILE, calm.basis());
    assertEquals(3.0, calm.rpsPerInstance());
  }

  @Test
  void aFloorBandProvisionsThatShareOfTheBandAboveTheExpectedRateAtWhatAnInstanceServes() {
    // Expected 8, upper 21 at the peak minute; 3 RPS per instance, target 2.
    PolicyConfig led = POLICY.withMaxRpsPerInstance(3.0);
    List<SignalPoint> upper = forecast(4, 15, 21);
    List<SignalPoint> expected = forecast(2, 15, 8);
    // 8 + 0.4 × 13 = 13.2 RPS: 5 instances at 3 each, more than the 4 the target's cap allows.
    PredictiveFloor band = PreWarmPlanner.predictiveFloor(upper, expected, NOW,
        led.withFloorBand(0.4));
    assertEquals(5, band.instances());
    assertEquals(13.2, band.peakRps(), 1e-9);
    assertEquals(PredictiveFloor.Basis.FORECAST_BAND, band.basis());
    assertEquals(3.0, band.rpsPerInstance());
    assertEquals(4, PreWarmPlanner.predictiveFloor(upper, expected, NOW, led).instances(),
        "without a band the expected rate at the target caps it");
    // 0 holds the expected rate at capacity (8 / 3: 3); 1 the upper quantile (21 / 3: 7); wider
    // bands go past it (8 + 2 × 13 = 34: 12).
    assertEquals(3, PreWarmPlanner.predictiveFloor(upper, expected, NOW, led.withFloorBand(0.0))
        .instances());
    assertEquals(7, PreWarmPlanner.predictiveFloor(upper, expected, NOW, led.withFloorBand(1.0))
        .instances());
    assertEquals(12, PreWarmPlanner.predictiveFloor(upper, expected, NOW, led.withFloorBand(2.0))
        .instances());
    // A minute without an expected rate falls back to its upper forecast at capacity.
    List<SignalPoint> gap = new ArrayList<>(expected);
    gap.remove(14);
    PredictiveFloor fallback =
        PreWarmPlanner.predictiveFloor(upper, gap, NOW, led.withFloorBand(0.4));
    assertEquals(7, fallback.instances());
    assertEquals(PredictiveFloor.Basis.UPPER_QUANTILE, fallback.basis());
  }

  @Test
  void minutesWithoutAnExpectedRateOrAPolicyCapacityAreSizedOnTheUpperForecast() {
    // No expected point for the peak minute: its upper forecast alone sets the floor.
    List<SignalPoint> expected = new ArrayList<>(forecast(2, 15, 8));
    expected.remove(14);
    assertEquals(7, PreWarmPlanner.predictiveFloor(
        forecast(4, 15, 21), expected, NOW, POLICY.withMaxRpsPerInstance(3.0)).instances());
    // An expected rate that is not a rate (NaN, negative) is no cap either.
    for (double bad : new double[] {Double.NaN, -1}) {
      assertEquals(7, PreWarmPlanner.predictiveFloor(forecast(4, 15, 21), forecast(2, 15, bad),
          NOW, POLICY.withMaxRpsPerInstance(3.0)).instances(), "expected " + bad);
    }
    // Without what one instance serves, the upper forecast at the target, as the formula.
    PredictiveFloor atTarget =
        PreWarmPlanner.predictiveFloor(forecast(4, 15, 21), forecast(2, 15, 8), NOW, POLICY);
    assertEquals(11, atTarget.instances());
    assertEquals(PredictiveFloor.Basis.UPPER_QUANTILE, atTarget.basis());
  }

  @Test
  void aScaleInKeepsWhatTheForecastNeedsFromNowToTheEndOfTheWindow() {
    // A peak 5 minutes ahead is too soon to pre-warm for, but an instance removed now could not
    // be back for it: it counts for keepInstances, not for the floor.
    PredictiveFloor soon = floor(forecast(4, 5, 40), POLICY);
    assertEquals(2, soon.instances());
    assertEquals(20, soon.keepInstances());
    PredictiveFloor late = floor(forecast(4, 15, 21), POLICY);
    assertEquals(11, late.keepInstances());
    // A forecast that starts later than a minute from now says nothing about the minutes before.
    for (int start : new int[] {9, 2}) {
      List<SignalPoint> later = forecast(4, 15, 21).subList(start, 120);
      PredictiveFloor partial = floor(later, POLICY);
      assertEquals(11, partial.instances());
      assertNull(partial.keepInstances(), "forecast from minute " + (start + 1));
    }
  }

  @Test
  void peaksOutsideTheWindowDoNotCount() {
    // Too soon to matter (a new instance could not serve by then) or not needed yet.
    assertEquals(2, floor(forecast(4, 9, 40), POLICY).instances());
    assertEquals(2, floor(forecast(4, 19, 40), POLICY).instances());
    assertEquals(20, floor(forecast(4, 10, 40), POLICY).instances());
    assertEquals(20, floor(forecast(4, 18, 40), POLICY).instances());
  }

  @Test
  void noForecastInTheWindowMeansNoFloor() {
    assertNull(floor(List.of(), POLICY));
    List<SignalPoint> stale = List.of(new SignalPoint(NOW.minusSeconds(600), 30));
    assertNull(floor(stale, POLICY));
  }

  @Test
  void aForecastDropNeverScalesInBelowWhatTheSignalsRecommend() {
    // 10 instances, RPS 14 needs 7 at 2 per instance; the forecast says almost nothing.
    PolicyConfig rpsOnly = POLICY.withSignals(EnumSet.of(Signal.RPS), null);
    List<SignalPoint> rps = new ArrayList<>();
    for (int m = 15; m >= 1; m--) {
      rps.add(new SignalPoint(NOW.minusSeconds(60L * m), 14));
    }
    PredictiveFloor low = floor(forecast(0.5, 12, 0.5), rpsOnly);
    assertEquals(1, low.instances());
    EndpointSnapshot endpoint = new EndpointSnapshot("ep", "AllTraffic", "ml.g5.xlarge",
        "InService", 10, 10, NOW.minusSeconds(7200));
    Decision decision = new DecisionEngine().decide(new DecisionInput(endpoint,
        new Signals(Map.of(Signal.RPS, new SignalSeries(rps))), rpsOnly, low, null, null, NOW));
    assertEquals(Action.SCALE_IN, decision.action());
    assertEquals(9, decision.to()); // one step toward 7, never toward the forecast's 1
    assertTrue(decision.to() >= decision.signals().get(0).recommended());
  }

  @Test
  void aDecisionOnABandFloorSaysItSizedOnTheBand() {
    PolicyConfig led = POLICY.withMaxRpsPerInstance(3.0).withTargetRpsPerInstance(3.0)
        .withFloorBand(0.4);
    PredictiveFloor band = PreWarmPlanner.predictiveFloor(forecast(4, 15, 21),
        forecast(2, 15, 8), NOW, led);
    EndpointSnapshot endpoint = new EndpointSnapshot("ep", "AllTraffic", "ml.g5.xlarge",
        "InService", 2, 2, NOW.minusSeconds(7200));
    Decision decision = new DecisionEngine().decide(new DecisionInput(endpoint, Signals.none(),
        led, band, null, null, NOW));
    assertEquals(5, decision.to());
    assertTrue(decision.has(ReasonCode.PREDICTIVE_FLOOR));
    assertTrue(decision.explanation().contains(
        "(expected rate plus the policy's share of the band) of 13.2 RPS"),
        decision.explanation());
  }

  @Test
  void aMissingForecastIsReportedAndTheDecisionIsReactive() {
    EndpointSnapshot endpoint = new EndpointSnapshot("ep", "AllTraffic", "ml.g5.xlarge",
        "InService", 4, 4, NOW.minusSeconds(7200));
    Decision decision = new DecisionEngine().decide(new DecisionInput(endpoint, Signals.none(),
        POLICY, null, null, null, NOW, List.of(ReasonCode.FORECAST_UNAVAILABLE)));
    assertTrue(decision.has(ReasonCode.FORECAST_UNAVAILABLE));
    assertTrue(decision.explanation().endsWith("(no forecast: reactive only)."),
        decision.explanation());
  }
}
