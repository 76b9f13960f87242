package inferscale.forecast;

import java.util.function.IntToDoubleFunction;

/** Naive baseline: every future minute repeats the latest known minute. */
final class LastValueMethod implements PointMethod {

  @Override
  public int minHistoryMinutes() {
    return 1;
  }

  @Override
  public Fitted fit(DemandHistory history, int[] origins) {
    return new Fitted() {
      @Override
      public Seasonality seasonality() {
        return Seasonality.NONE;
      }

      @Override
      public IntToDoubleFunction from(int origin) {
        double last = Double.NaN;
        for (int i = origin - 1; i >= 0 && Double.isNaN(last); i--) {
          last = history.value(i);
        }
        double value = last;
        return minute -> value;
      }
    };
  }
}
