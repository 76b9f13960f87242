package inferscale.forecast;

import java.util.BitSet;
import java.util.function.Supplier;

/**
 * Forecasts per-minute request demand from its recent history. Implementations are pure and
 * deterministic: the same history gives the same forecast.
 */
public interface Forecaster {
  /** The most history a forecast uses: 28 days of minutes; older minutes are ignored. */
  int MAX_HISTORY_MINUTES = 28 * 24 * 60;

  /**
   * @param history requests in each minute, oldest first, the last element the most recent
   *     minute; {@code NaN} marks a minute without data. Up to {@link #MAX_HISTORY_MINUTES} are
   *     used; older minutes are ignored.
   * @param horizonMinutes how many minutes after the history to forecast, at least 1
   * @return the forecast, or {@link Forecast#insufficientHistory()} when the history covers less
   *     than the method needs
   */
  Forecast forecast(double[] history, int horizonMinutes);

  /**
   * A forecast from a history some of whose minutes are only lower bounds of demand: the endpoint
   * was saturated and served less than came. Those minutes must not pull the forecast down. This
   * default leaves them out, as gaps; the standard forecaster also keeps the forecast of the next
   * hour at or above the level they show while the saturation lasts.
   *
   * @param saturated indexes into {@code history} of the saturated minutes
   */
  default Forecast forecast(double[] history, BitSet saturated, int horizonMinutes) {
    return forecast(Saturation.masked(history, saturated), horizonMinutes);
  }

  /**
   * The same forecast, of a history its reader knows by {@code fingerprint} and reads only when
   * asked: a forecaster that keeps its forecasts ({@link SharedForecasts}) answers a history it
   * has forecast already without reading it. This default reads it.
   *
   * @param history the history's values, read when the forecaster needs them, and not to be
   *     changed
   */
  default Forecast forecast(HistoryFingerprint fingerprint, Supplier<double[]> history,
      BitSet saturated, int horizonMinutes) {
    return forecast(history.get(), saturated, horizonMinutes);
  }

  /** The forecaster InferScale plans with: {@link Forecasters#blended}. */
  static Forecaster standard(ForecasterConfig config) {
    return Forecasters.blended(config);
  }

  /** {@link #standard(ForecasterConfig)} with {@link ForecasterConfig#defaults()}. */
  static Forecaster standard() {
    return standard(ForecasterConfig.defaults());
  }
}
