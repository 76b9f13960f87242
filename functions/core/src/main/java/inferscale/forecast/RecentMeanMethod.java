package inferscale.forecast;


/**
 * The level of the last few minutes: every future minute is the mean of the known minutes among
 * the last {@code minutes} before the origin (unknown when none is: unlike {@link LastValueMethod},
 * it does not reach further back). Longer windows average away counting noise that a single minute
 * carries.
 */
final class RecentMeanMethod implements PointMethod {
  private final int minutes;

  RecentMeanMethod(int minutes) {
    if (minutes < 1) {
      throw new IllegalArgumentException("minutes must be at least 1, got " + minutes);
    }
    this.minutes = minutes;
  }

  @Override
  public int minHistoryMinutes() {
    return 1;
  }

  @Override
  public Fitted fit(DemandHistory history, int[] origins) {
    return Fitted.of(Seasonality.NONE, origin -> {
      double level = history.mean(origin - minutes, origin);
      return minute -> level;
    });
  }
}
