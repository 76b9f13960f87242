package inferscale.forecast;

/** Whether a {@link Forecast} could be made. */
public enum ForecastStatus {
  OK,
  /** Less than one day of history: no daily cycle to learn from, so no forecast is made. */
  FORECAST_INSUFFICIENT_HISTORY
}
