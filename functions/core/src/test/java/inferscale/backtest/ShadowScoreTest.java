package inferscale.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import inferscale.decision.Timing;
import inferscale.trace.Trace;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ShadowScoreTest {
  private static final double NaN = Double.NaN;
  private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

  @Test
  void scoresFromTheFirstAskWithRequestsAsTheSimulatorScoresTheSameAsks() {
    // Requests were seen from minute 0, asks recorded from minute 2; minute 5 had no requests.
    double[] requests = {50, 50, 100, 100, 300, NaN, 300, 100};
    double[] asks = {NaN, NaN, 1, 3, 3, NaN, 2, 1};
    double[] serving = {NaN, NaN, 2, 2, 2, 2, 3, 3};
    ShadowScore score = ShadowScore.score(START, asks, serving, requests, 100.0 / 60, 2);

    assertEquals(START.plusSeconds(120), score.from());
    assertEquals(6, score.minutes());
    Trace scored = new Trace("shadow", null, new double[] {100, 100, 300, 0, 300, 100}, null,
        null);
    Simulator simulator = new Simulator(scored, new BacktestParameters(20,
        Timing.defaults().withColdStartMinutes(2), 0.7), 100);
    PolicyResult asked = simulator.run(ScriptedPolicy.asking("inferscale",
        new double[] {1, 3, 3, NaN, 2, 1})).result();
    assertEquals(ShadowScore.Scored.of(asked, 6), score.inferscale());
    // Asked for 3 at minute 3, serving from minute 5: minute 4's 300 met 1 instance; at minute 6
    // it asked for 2, and 300 met 2.
    assertEquals(2, score.inferscale().overCapacityMinutes());
    assertEquals(100 * (200 + 100) / 900.0, score.inferscale().unservedPct(), 1e-9);
    // The endpoint served 2, then 3 from minute 6: only minute 4's 300 met 2.
    assertEquals(1, score.actual().overCapacityMinutes());
    assertEquals(100 * 100 / 900.0, score.actual().unservedPct(), 1e-9);
    assertEquals(Backtest.PerInstanceCapacity.LOAD_TESTED, score.capacitySource());
  }

  @Test
  void nothingToScoreWithoutAnAskFollowedByRequests() {
    assertNull(ShadowScore.score(START, new double[] {NaN, NaN}, new double[] {1, 1},
        new double[] {5, 5}, 1.0, 2));
    assertNull(ShadowScore.score(START, new double[] {NaN, 2}, new double[] {1, 1},
        new double[] {5, NaN}, 1.0, 2));
  }
}
