package inferscale.forecast;

/**
 * The forecasting methods InferScale compared. Each adds an upper quantile estimated from its own
 * replayed errors (see {@link Forecaster}).
 */
public final class Forecasters {
  private Forecasters() {}

  /**
   * The standard method: a robust seasonal profile (trimmed mean over past days or weeks of demand
   * averaged around each minute) scaled to the recent level. Needs one day of history; uses a
   * weekly cycle only with three weeks of history and when it fits the last week better.
   */
  public static Forecaster seasonalProfile(ForecasterConfig config) {
    return new BandedForecaster(new SeasonalProfileMethod(config), config);
  }

  /** Each minute repeats the same minute one period earlier; needs one period of history. */
  public static Forecaster seasonalNaive(Seasonality seasonality, ForecasterConfig config) {
    return new BandedForecaster(new SeasonalNaiveMethod(seasonality), config);
  }

  /** Every minute repeats the latest known minute. */
  public static Forecaster lastValue(ForecasterConfig config) {
    return new BandedForecaster(new LastValueMethod(), config);
  }

  /** Additive Holt-Winters with a damped trend and a daily season; needs one day of history. */
  public static Forecaster holtWinters(ForecasterConfig config) {
    return new BandedForecaster(new HoltWintersMethod(), config);
  }
}
