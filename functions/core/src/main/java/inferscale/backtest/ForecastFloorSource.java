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
import java.util.List;

/**
 * The forecast floor as the deployed functions produce it: every {@link #REFIT_MINUTES} the
 * forecaster re-fits on the visible history (up to 28 days) and forecasts two hours, as the
 * ForecastFunction does; every minute the pre-warm planner turns that forecast into a floor, as
 * the ScalerFunction does.
 */
final class ForecastFloorSource implements PredictiveFloorSource {
  /** The ForecastFunction's schedule. */
  static final int REFIT_MINUTES = 15;

  static final int HISTORY_MINUTES = 28 * 24 * 60;
  static final int HORIZON_MINUTES = 120;

  private final Forecaster forecaster;
  private final PolicyConfig policy;
  private final Instant origin;
  private int fittedAt = -REFIT_MINUTES;
  private List<SignalPoint> upperRps = List.of();

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
    return PreWarmPlanner.predictiveFloor(upperRps, now, policy);
  }

  private void refit(SimulationView view) {
    int newest = view.newestVisibleMinute();
    int first = Math.max(0, newest - HISTORY_MINUTES + 1);
    if (newest < first) {
      upperRps = List.of();
      return;
    }
    double[] history = new double[newest - first + 1];
    Arrays.fill(history, Double.NaN);
    for (int m = first; m <= newest; m++) {
      if (view.hasData(m)) {
        history[m - first] = view.demand(m);
      }
    }
    Forecast forecast = forecaster.forecast(history, HORIZON_MINUTES);
    List<SignalPoint> points = new ArrayList<>(forecast.horizonMinutes());
    double[] upper = forecast.upper();
    for (int h = 0; h < upper.length; h++) {
      points.add(new SignalPoint(origin.plusSeconds(60L * (newest + 1 + h)), upper[h] / 60.0));
    }
    upperRps = points;
  }
}
