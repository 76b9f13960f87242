package inferscale.forecaster;

/**
 * THE SEAM where the core forecaster plugs in. The forecaster and pre-warm planner are being built
 * in core on a parallel branch; until they land, {@link #notWiredYet()} is bound (in
 * {@link ForecastModule}) and the function reads history and publishes nothing. To wire it, bind an
 * implementation that adapts {@code inferscale.forecast.Forecaster}: its
 * {@code forecast(double[] history, int horizonMinutes)} takes exactly this history and returns
 * point and upper arrays in requests per minute.
 */
public interface ForecastModel {
  /**
   * @param history requests in each minute, oldest first, the last element the last whole minute;
   *     {@code NaN} marks a minute without data
   * @param horizonMinutes how many minutes after the history to forecast
   */
  ForecastCurve forecast(double[] history, int horizonMinutes);

  /** What is bound until the core forecaster lands. */
  static ForecastModel notWiredYet() {
    return (history, horizon) -> ForecastCurve.none("FORECASTER_NOT_WIRED",
        "the core forecaster is not wired into this function yet; nothing is published");
  }
}
