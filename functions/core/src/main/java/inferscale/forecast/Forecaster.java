package inferscale.forecast;

/**
 * Forecasts per-minute request demand from its recent history. Implementations are pure and
 * deterministic: the same history gives the same forecast.
 */
public interface Forecaster {

  /**
   * @param history requests in each minute, oldest first, the last element the most recent
   *     minute; {@code NaN} marks a minute without data. Up to 28 days are used; older minutes are
   *     ignored.
   * @param horizonMinutes how many minutes after the history to forecast, at least 1
   * @return the forecast, or {@link Forecast#insufficientHistory()} when the history covers less
   *     than the method needs
   */
  Forecast forecast(double[] history, int horizonMinutes);

  /** The forecaster InferScale plans with: {@link Forecasters#seasonalProfile}. */
  static Forecaster standard(ForecasterConfig config) {
    return Forecasters.seasonalProfile(config);
  }

  /** {@link #standard(ForecasterConfig)} with {@link ForecasterConfig#defaults()}. */
  static Forecaster standard() {
    return standard(ForecasterConfig.defaults());
  }
}
