package inferscale.forecast;

import static inferscale.forecast.SyntheticDemand.DAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferscale.trace.Trace;
import java.util.List;
import org.junit.jupiter.api.Test;

class WalkForwardEvaluationTest {
  private static final ForecasterConfig CONFIG = ForecasterConfig.defaults();

  @Test
  void scoresEveryModelOnTheSameOriginsAfterOneDayOfWarmUp() {
    Trace trace = Trace.ofRequests("synthetic", SyntheticDemand.series(3 * DAY, false, 11));
    WalkForwardEvaluation.Result result =
        WalkForwardEvaluation.evaluate(
            trace,
            List.of(
                new WalkForwardEvaluation.Model("inferscale", Forecaster.standard(CONFIG)),
                new WalkForwardEvaluation.Model("last-value", Forecasters.lastValue(CONFIG)),
                new WalkForwardEvaluation.Model(
                    "seasonal-naive-week", Forecasters.seasonalNaive(Seasonality.WEEKLY, CONFIG))));
    assertEquals(WalkForwardEvaluation.Status.OK, result.status());
    assertEquals(List.of(10, 30, 60), result.horizons());
    assertEquals(DAY, result.warmUpMinutes());
    WalkForwardEvaluation.ModelScore inferscale = result.models().get(0);
    WalkForwardEvaluation.ModelScore lastValue = result.models().get(1);
    // Two scored days, every quarter hour as the trace is short.
    assertEquals(15, result.refitMinutes());
    assertEquals(2 * 96, inferscale.scoredOrigins());
    assertEquals(2 * 96, lastValue.scoredOrigins());
    assertTrue(inferscale.smapePercent().get(30) < lastValue.smapePercent().get(30));
    assertTrue(inferscale.upperCoverage() > 0.8 && inferscale.upperCoverage() < 0.98);
    WalkForwardEvaluation.ModelScore weekly = result.models().get(2);
    assertEquals(0, weekly.scoredOrigins(), "a 3-day trace has no week to repeat");
    assertTrue(Double.isNaN(weekly.smapePercent().get(30)));
  }

  @Test
  void traceShorterThanADaySaysHistoryIsInsufficient() {
    Trace trace = Trace.ofRequests("one-hour", SyntheticDemand.series(60, false, 12));
    WalkForwardEvaluation.Result result =
        WalkForwardEvaluation.evaluate(
            trace,
            List.of(new WalkForwardEvaluation.Model("inferscale", Forecaster.standard(CONFIG))));
    assertEquals(WalkForwardEvaluation.Status.INSUFFICIENT_HISTORY, result.status());
    assertEquals("insufficient history: the trace spans 60 minutes, but a forecast needs 1440"
        + " minutes of history and 10 more to be scored against: 1450 minutes in all",
        result.message());
    assertEquals(0, result.models().get(0).scoredOrigins());
  }

  @Test
  void aTraceEndingBeforeTheFirstScoredMinuteHasNothingToScore() {
    // One origin after the day's warm-up, but its first horizon (10 minutes) is past the end.
    WalkForwardEvaluation.Result result = evaluate(new double[DAY + 5]);
    assertEquals(WalkForwardEvaluation.Status.INSUFFICIENT_HISTORY, result.status());
    assertTrue(result.message().contains("spans 1445 minutes"), result.message());
  }

  @Test
  void aTraceWithoutDemandHasNothingToForecast() {
    WalkForwardEvaluation.Result result = evaluate(new double[3 * DAY]);
    assertEquals(WalkForwardEvaluation.Status.NO_DEMAND, result.status());
    assertEquals("every minute scored has 0 requests: there is no demand to forecast",
        result.message());
  }

  private static WalkForwardEvaluation.Result evaluate(double[] requests) {
    return WalkForwardEvaluation.evaluate(Trace.ofRequests("t", requests),
        List.of(new WalkForwardEvaluation.Model("inferscale", Forecaster.standard(CONFIG)),
            new WalkForwardEvaluation.Model("last-value", Forecasters.lastValue(CONFIG))));
  }
}
