package inferscale.forecast;


/** Naive baseline: every future minute repeats the latest known minute. */
final class LastValueMethod implements PointMethod {

  @Override
  public int minHistoryMinutes() {
    return 1;
  }

  @Override
  public Fitted fit(DemandHistory history, int[] origins) {
    return Fitted.of(Seasonality.NONE, origin -> {
      double last = Double.NaN;
      for (int i = origin - 1; i >= 0 && Double.isNaN(last); i--) {
        last = history.value(i);
      }
      double value = last;
      return minute -> value;
    });
  }
}
