package inferscale.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferscale.decision.Timing;
import inferscale.trace.Trace;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EndpointHistoryTest {
  private static final double NaN = Double.NaN;
  private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

  private static EndpointHistory history(double[] invocations, double[] perInstance,
      double[] errors5xx, double[] modelErrors, int current) {
    return new EndpointHistory("ep/v", START, invocations, perInstance, errors5xx, modelErrors,
        current);
  }

  @Test
  void theTraceStartsAtTheFirstRecordedMinuteAndReadsSilenceAsNoTraffic() {
    EndpointHistory history = history(
        new double[] {NaN, NaN, 40, NaN, 90, 30},
        new double[] {NaN, NaN, 20, NaN, 30, 30},
        new double[6], new double[6], 1);
    Trace trace = history.trace();
    assertEquals(START.plusSeconds(120), trace.start());
    assertEquals(4, trace.length());
    assertEquals(40, trace.requests(0));
    assertEquals(0, trace.requests(1), "no datapoint after the first: no requests");
    assertEquals(2, trace.instances(0), "40 requests at 20 per instance");
    assertTrue(Double.isNaN(trace.instances(1)), "no traffic shows no count");
    assertEquals(3, trace.instances(2));
    assertEquals(1, trace.instances(3));
  }

  @Test
  void theTraceEndsAtTheLastRecordedMinuteWhichTakesTheCurrentCountWhenNoneWasSeen() {
    Trace trace = history(new double[] {10, 5, NaN, NaN}, new double[] {10, NaN, NaN, NaN},
        new double[4], new double[4], 4).trace();
    assertEquals(2, trace.length(), "minutes after the last recorded may not be published yet");
    assertEquals(1, trace.instances(0));
    assertEquals(4, trace.instances(1));
  }

  @Test
  void qualityCountsSilentErroringAndSaturatedMinutes() {
    EndpointHistory history = history(
        new double[] {NaN, 40, NaN, 100, 60, 20},
        new double[] {NaN, 20, NaN, 50, 30, 10},
        new double[] {NaN, 0, NaN, 7, 0, 2},
        new double[] {NaN, 1, NaN, 0, 0, 0}, 2);
    EndpointHistory.Quality quality = history.quality();
    assertEquals(5, quality.minutes());
    assertEquals(1, quality.minutesWithoutData());
    assertEquals(2, quality.minutesWith5xx());
    assertEquals(9, quality.invocation5xxErrors());
    assertEquals(1, quality.minutesWithModelErrors());
    assertEquals(1, quality.modelErrors());
    // Minute 3: 7 of 100 requests failed; minute 5: 2 of 20.
    assertEquals(2, quality.saturatedMinutes());
  }

  @Test
  void anEndpointWithoutRequestsHasNoTrace() {
    EndpointHistory empty = history(new double[] {NaN}, new double[] {NaN}, new double[] {NaN},
        new double[] {NaN}, 1);
    assertEquals(-1, empty.firstRecordedMinute());
    assertThrows(IllegalStateException.class, empty::trace);
  }

  @Test
  void aTraceWithInstanceCountsIsScoredAsTheActualRowWithTheGivenCapacity() {
    double[] requests = new double[600];
    double[] instances = new double[600];
    for (int t = 0; t < requests.length; t++) {
      requests[t] = t % 120 < 60 ? 100 : 300;
      instances[t] = t % 120 < 60 ? 2 : 6;
    }
    Trace trace = new Trace("recorded", START, requests, null, null, instances);
    BacktestParameters parameters = new BacktestParameters(20, new Timing(0, 2, 15), 0.7)
        .withEndpoint(50.0 / 60, 1, 8, null);
    BacktestReport report = Backtest.run(trace, parameters, inferscale.forecast.Forecaster
        .standard());
    assertEquals(50, report.parameters().muPerInstance(), 1e-9);
    assertEquals(Backtest.PerInstanceCapacity.LOAD_TESTED, report.parameters().capacitySource());
    assertEquals(new inferscale.decision.PolicyConfig.Bounds(1, 8), report.parameters().bounds());
    PolicyResult actual = report.policies().get(report.policies().size() - 1);
    assertEquals(Backtest.ACTUAL, actual.name());
    // With no cold start the recorded counts are exactly what each minute needed.
    assertEquals(1.0, actual.costRatio(), 1e-12);
    assertEquals(0.0, actual.unservedPct(), 1e-12);
    assertEquals(9, actual.scaleEvents());
  }
}
