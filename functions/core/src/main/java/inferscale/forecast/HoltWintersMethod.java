package inferscale.forecast;

import java.util.Arrays;

/**
 * Additive Holt-Winters smoothing with a damped trend and a daily season, updated minute by
 * minute; minutes without data leave the state unchanged. The season starts from the first day's
 * smoothed shape.
 */
final class HoltWintersMethod implements PointMethod {
  private static final int DAY = Seasonality.DAILY.periodMinutes();
  /** Level smoothing per minute: about an hour of memory, enough to average counting noise. */
  private static final double ALPHA = 0.02;
  private static final double BETA = 0.001;
  /** Trend damping per minute: a trend fades over a few hours. */
  private static final double PHI = 0.99;
  /** Season smoothing per day: about ten days of memory. */
  private static final double GAMMA = 0.1;
  private static final int INITIAL_SMOOTHING_MINUTES = 15;

  @Override
  public int minHistoryMinutes() {
    return DAY;
  }

  @Override
  public Fitted fit(DemandHistory history, int[] origins) {
    int start = history.firstKnown();
    double level = history.mean(start, start + DAY);
    double trend = 0;
    double[] season = new double[DAY];
    for (int m = 0; m < DAY; m++) {
      double mean =
          history.mean(
              start + m - INITIAL_SMOOTHING_MINUTES, start + m + INITIAL_SMOOTHING_MINUTES + 1);
      season[(start + m) % DAY] = Double.isNaN(mean) ? 0 : mean - level;
    }
    State[] states = new State[origins.length];
    int next = 0;
    for (int t = start + DAY; next < origins.length; t++) {
      while (next < origins.length && origins[next] == t) {
        states[next++] = new State(level, trend, season.clone());
      }
      if (t >= history.length()) {
        break;
      }
      double y = history.value(t);
      if (Double.isNaN(y)) {
        continue;
      }
      int slot = t % DAY;
      double previous = level;
      level = ALPHA * (y - season[slot]) + (1 - ALPHA) * (level + PHI * trend);
      trend = BETA * (level - previous) + (1 - BETA) * PHI * trend;
      season[slot] = GAMMA * (y - level) + (1 - GAMMA) * season[slot];
    }
    return Fitted.of(Seasonality.DAILY, origin -> {
      State state = states[Arrays.binarySearch(origins, origin)];
      return minute -> state.level
          + DampedTrendMethod.dampedSteps(PHI, minute - origin + 1) * state.trend
          + state.season[minute % DAY];
    });
  }

  private record State(double level, double trend, double[] season) {}
}
