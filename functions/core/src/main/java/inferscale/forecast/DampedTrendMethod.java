package inferscale.forecast;

import java.util.Arrays;

/**
 * Holt's linear smoothing with a damped trend and no season, updated minute by minute: a level
 * that follows recent demand within minutes and a trend that carries a ramp on for a while and
 * then fades. Minutes without data leave the state unchanged.
 */
final class DampedTrendMethod implements PointMethod {
  /** Level smoothing per minute: about ten minutes of memory. */
  private static final double ALPHA = 0.1;
  /** Trend smoothing per minute: the slope of about the last hour and a half. */
  private static final double BETA = 0.01;
  /** Trend damping per minute: a ramp is carried on for about an hour and a half. */
  private static final double PHI = 0.99;

  /** φ + φ² + … + φ^steps: how many steps of a trend, damped by φ a step, a forecast carries. */
  static double dampedSteps(double phi, int steps) {
    return phi * (1 - Math.pow(phi, steps)) / (1 - phi);
  }

  @Override
  public int minHistoryMinutes() {
    return 1;
  }

  @Override
  public Fitted fit(DemandHistory history, int[] origins) {
    int start = history.firstKnown();
    double level = start < history.length() ? history.value(start) : Double.NaN;
    double trend = 0;
    double[] levels = new double[origins.length];
    double[] trends = new double[origins.length];
    int next = 0;
    for (int t = start + 1; next < origins.length; t++) {
      while (next < origins.length && origins[next] <= t) {
        levels[next] = origins[next] <= start ? Double.NaN : level;
        trends[next++] = trend;
      }
      if (t >= history.length()) {
        break;
      }
      double y = history.value(t);
      if (Double.isNaN(y)) {
        continue;
      }
      double previous = level;
      level = ALPHA * y + (1 - ALPHA) * (level + PHI * trend);
      trend = BETA * (level - previous) + (1 - BETA) * PHI * trend;
    }
    return Fitted.of(Seasonality.NONE, origin -> {
      int k = Arrays.binarySearch(origins, origin);
      double originLevel = levels[k];
      double originTrend = trends[k];
      return minute -> originLevel + dampedSteps(PHI, minute - origin + 1) * originTrend;
    });
  }
}
