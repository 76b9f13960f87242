package inferscale.backtest;

import inferscale.decision.PolicyConfig;
import inferscale.decision.PredictiveFloor;
import inferscale.decision.SignalPoint;
import inferscale.forecast.Forecast;
import inferscale.forecast.Forecaster;
import inferscale.planning.PreWarmPlanner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The forecast floor as the deployed functions produce it: every {@link #REFIT_MINUTES} the
 * forecaster re-fits on the visible history (up to 28 days), as the ForecastFunction does on its
 * default schedule; every minute the pre-warm planner turns the published forecasts into a
 * floor, as the ScalerFunction does. Like the ForecastFunction, each refit publishes the upper and
 * expected forecasts only as far ahead as the next refit needs, and a minute covered by several
 * forecasts reads as their maximum, which is what the scaler's CloudWatch queries (statistic
 * Maximum) return.
 */
final class ForecastFloorSource implements PredictiveFloorSource {
  /** The ForecastFunction's default schedule. */
  static final int REFIT_MINUTES = 15;

  static final int HISTORY_MINUTES = 28 * 24 * 60;

  private final Forecaster forecaster;
  private final PolicyConfig policy;
  private final Instant origin;
  private int fittedAt = -REFIT_MINUTES;
  /** Upper forecast in requests per minute by absolute minute: the max over published ones. */
  private final Map<Integer, Double> publishedUpper = new HashMap<>();
  /** Expected (point) forecast, likewise. */
  private final Map<Integer, Double> publishedExpected = new HashMap<>();

  ForecastFloorSource(Forecaster forecaster, PolicyConfig policy, Instant origin) {
    this.forecaster = forecaster;
    this.policy = policy;
    this.origin = origin;
  }

  @Override
  public PredictiveFloor floorAt(SimulationView view, Instant now) {
    if (view.minute() - fittedAt >= REFIT_MINUTES) {
      refit(view);
      fittedAt = view.minute();
    }
    // From now, as the scaler reads them: the floor looks from now + lead, a scale-in from now.
    int end = view.minute() + policy.timing().preWarmLeadMinutes()
        + policy.timing().floorWindowMinutes();
    return PreWarmPlanner.predictiveFloor(perSecond(publishedUpper, view.minute(), end),
        perSecond(publishedExpected, view.minute(), end), now, policy);
  }

  private List<SignalPoint> perSecond(Map<Integer, Double> perMinute, int from, int to) {
    List<SignalPoint> points = new ArrayList<>();
    for (int m = from; m <= to; m++) {
      Double requests = perMinute.get(m);
      if (requests != null) {
        points.add(new SignalPoint(origin.plusSeconds(60L * m), requests / 60.0));
      }
    }
    return points;
  }

  private void refit(SimulationView view) {
    int newest = view.newestVisibleMinute();
    // CloudWatch keeps what was published; only minutes still ahead can matter.
    publishedUpper.keySet().removeIf(minute -> minute < view.minute());
    publishedExpected.keySet().removeIf(minute -> minute < view.minute());
    int first = Math.max(0, newest - HISTORY_MINUTES + 1);
    if (newest < first) {
      return;
    }
    double[] history = new double[newest - first + 1];
    Arrays.fill(history, Double.NaN);
    for (int m = first; m <= newest; m++) {
      if (view.hasData(m)) {
        history[m - first] = view.demand(m);
      }
    }
    int reach = policy.timing().forecastReachMinutes();
    Forecast forecast = forecaster.forecast(history, reach);
    for (int h = 0; h < forecast.upper().length; h++) {
      publishedUpper.merge(newest + 1 + h, forecast.upper()[h], Math::max);
      publishedExpected.merge(newest + 1 + h, forecast.point()[h], Math::max);
    }
  }
}
