package inferscale.backtest;

import inferscale.decision.Timing;
import static org.junit.jupiter.api.Assertions.assertEquals;

import inferscale.decision.PolicyConfig;
import inferscale.decision.PredictiveFloor;
import inferscale.forecast.Forecast;
import inferscale.forecast.ForecastStatus;
import inferscale.forecast.Forecaster;
import inferscale.forecast.Seasonality;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ForecastFloorSourceTest {
  // Target 1 RPS, capacity 2 RPS; cold start 8 + delay 2: the floor's window is [now + 10, + 18].
  private static final PolicyConfig POLICY = PolicyConfig.defaults().withBounds(1, 100)
      .withTargetRpsPerInstance(1.0).withMaxRpsPerInstance(2.0).withTiming(new Timing(8, 2, 15));

  /** Flat forecasts in requests per minute, a different one for each refit. */
  private static Forecaster successive(double[][] pointAndUpper) {
    int[] calls = {0};
    return (history, horizon) -> {
      double[] forecast = pointAndUpper[Math.min(calls[0]++, pointAndUpper.length - 1)];
      double[] point = new double[horizon];
      double[] upper = new double[horizon];
      Arrays.fill(point, forecast[0]);
      Arrays.fill(upper, forecast[1]);
      return new Forecast(ForecastStatus.OK, Seasonality.DAILY, point, upper);
    };
  }

  @Test
  void minutesTwoRefitsCoverReadAsTheMaximumOfEachForecastLikeTheScalersQueries() {
    // First refit: expected 5 RPS, upper 20; the refit 15 minutes later: expected 8, upper 2.
    ForecastFloorSource source = new ForecastFloorSource(
        successive(new double[][] {{300, 1200}, {480, 120}}), POLICY, Instant.EPOCH);
    ScriptedView view = new ScriptedView(new double[100], new int[100]);
    view.delay = 2;
    view.minute = 30;
    PredictiveFloor first = source.floorAt(view, Instant.EPOCH.plusSeconds(60L * 30));
    assertEquals(5, first.instances()); // min(20 / 2 at capacity, 5 / 1 at the target)
    view.minute = 45;
    PredictiveFloor both = source.floorAt(view, Instant.EPOCH.plusSeconds(60L * 45));
    // Both refits cover the window [55, 63]: upper max(20, 2) needs 10 at capacity, expected
    // max(5, 8) needs 8 at the target. The newest alone would give 1, the oldest 5.
    assertEquals(8, both.instances());
    assertEquals(PredictiveFloor.Basis.EXPECTED_AT_TARGET, both.basis());
    assertEquals(8.0, both.peakRps(), 1e-9);
  }
}
