package inferscale.planning;

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
      .withTargetRpsPerInstance(2.0).withTiming(8, 2);

  /** A flat forecast of {@code base} RPS for the next two hours with one peak minute. */
  private static List<SignalPoint> forecast(double base, int peakMinute, double peak) {
    List<SignalPoint> points = new ArrayList<>();
    for (int m = 1; m <= 120; m++) {
      points.add(new SignalPoint(NOW.plusSeconds(60L * m), m == peakMinute ? peak : base));
    }
    return points;
  }

  @Test
  void floorCoversTheForecastPeakWithinLeadAndCycle() {
    PredictiveFloor floor = PreWarmPlanner.predictiveFloor(forecast(4, 15, 21), NOW, POLICY);
    assertEquals(11, floor.instances()); // ceil(21 / 2)
    assertEquals(21.0, floor.peakRps());
    assertEquals(NOW.plusSeconds(15 * 60), floor.peakAt());
    assertEquals(10, floor.leadMinutes());
  }

  @Test
  void withWhatAnInstanceServesTheFloorProvisionsTheUpperForecastAtThatRate() {
    // The upper quantile already carries the headroom: at 3 RPS per instance, 21 needs 7.
    PredictiveFloor floor = PreWarmPlanner.predictiveFloor(
        forecast(4, 15, 21), NOW, POLICY.withMaxRpsPerInstance(3.0));
    assertEquals(7, floor.instances());
  }

  @Test
  void aScaleInKeepsWhatTheForecastNeedsFromNowToTheEndOfTheWindow() {
    // A peak 5 minutes ahead is too soon to pre-warm for, but an instance removed now could not
    // be back for it: it counts for keepInstances, not for the floor.
    PredictiveFloor soon = PreWarmPlanner.predictiveFloor(forecast(4, 5, 40), NOW, POLICY);
    assertEquals(2, soon.instances());
    assertEquals(20, soon.keepInstances());
    PredictiveFloor late = PreWarmPlanner.predictiveFloor(forecast(4, 15, 21), NOW, POLICY);
    assertEquals(11, late.keepInstances());
    // A forecast that starts later than a minute from now says nothing about the minutes before.
    for (int start : new int[] {9, 2}) {
      List<SignalPoint> later = forecast(4, 15, 21).subList(start, 120);
      PredictiveFloor partial = PreWarmPlanner.predictiveFloor(later, NOW, POLICY);
      assertEquals(11, partial.instances());
      assertNull(partial.keepInstances(), "forecast from minute " + (start + 1));
    }
  }

  @Test
  void peaksOutsideTheWindowDoNotCount() {
    // Too soon to matter (a new instance could not serve by then) or not needed yet.
    assertEquals(2, PreWarmPlanner.predictiveFloor(forecast(4, 9, 40), NOW, POLICY).instances());
    assertEquals(2, PreWarmPlanner.predictiveFloor(forecast(4, 19, 40), NOW, POLICY).instances());
    assertEquals(20, PreWarmPlanner.predictiveFloor(forecast(4, 10, 40), NOW, POLICY).instances());
    assertEquals(20, PreWarmPlanner.predictiveFloor(forecast(4, 18, 40), NOW, POLICY).instances());
  }

  @Test
  void noForecastInTheWindowMeansNoFloor() {
    assertNull(PreWarmPlanner.predictiveFloor(List.of(), NOW, POLICY));
    List<SignalPoint> stale = List.of(new SignalPoint(NOW.minusSeconds(600), 30));
    assertNull(PreWarmPlanner.predictiveFloor(stale, NOW, POLICY));
  }

  @Test
  void aForecastDropNeverScalesInBelowWhatTheSignalsRecommend() {
    // 10 instances, RPS 14 needs 7 at 2 per instance; the forecast says almost nothing.
    PolicyConfig rpsOnly = POLICY.withSignals(EnumSet.of(Signal.RPS), null);
    List<SignalPoint> rps = new ArrayList<>();
    for (int m = 15; m >= 1; m--) {
      rps.add(new SignalPoint(NOW.minusSeconds(60L * m), 14));
    }
    PredictiveFloor low = PreWarmPlanner.predictiveFloor(forecast(0.5, 12, 0.5), NOW, rpsOnly);
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
