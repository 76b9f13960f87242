package inferscale.forecast;

import java.util.Arrays;
import java.util.function.IntToDoubleFunction;

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
    return new Fitted() {
      @Override
      public Seasonality seasonality() {
        return Seasonality.NONE;
      }

      @Override
      public IntToDoubleFunction from(int origin) {
        int k = Arrays.binarySearch(origins, origin);
        double originLevel = levels[k];
        double originTrend = trends[k];
        return minute -> {
          int steps = minute - origin + 1;
          return originLevel + PHI * (1 - Math.pow(PHI, steps)) / (1 - PHI) * originTrend;
        };
      }
    };
  }
}
