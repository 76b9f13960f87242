package inferscale.forecast;

import java.util.function.IntFunction;
import java.util.function.IntToDoubleFunction;

/** A way to make point forecasts; {@link BandedForecaster} adds the upper quantile. */
interface PointMethod {

  /** Minutes of history, from the first known minute, the method needs to forecast. */
  int minHistoryMinutes();

  /**
   * Fits the method to {@code history}.
   *
   * @param origins every origin {@link Fitted#from} will be asked for, ascending
   */
  Fitted fit(DemandHistory history, int[] origins);

  /** A method fitted to one history. */
  interface Fitted {
    Seasonality seasonality();

    /**
     * Point forecasts made at {@code origin}, using only the minutes before it: maps a minute
     * index ≥ origin to its expected requests (may be negative or NaN; the caller cleans up).
     */
    IntToDoubleFunction from(int origin);

    /** A fitted method of that cycle whose forecasts from each origin {@code from} gives. */
    static Fitted of(Seasonality seasonality, IntFunction<IntToDoubleFunction> from) {
      return new Fitted() {
        @Override
        public Seasonality seasonality() {
          return seasonality;
        }

        @Override
        public IntToDoubleFunction from(int origin) {
          return from.apply(origin);
        }
      };
    }
  }
}
