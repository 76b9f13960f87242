package inferscale.forecast;

import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A forecaster whose forecasts are computed once per history and horizon and then shared: runs
 * over the same trace (a sweep's, each with its own policy) forecast from the same histories, and
 * a forecaster is pure and deterministic, so each may take the forecast another computed. Safe
 * from several threads. A history is known by its {@link HistoryFingerprint} and its saturated
 * minutes (usually none): keeping the histories themselves would take gigabytes, and a history
 * given by its fingerprint is read only when no forecast of it was made yet.
 */
public final class SharedForecasts implements Forecaster {
  private final Forecaster forecaster;
  private final Map<Key, Forecast> computed = new ConcurrentHashMap<>();

  public SharedForecasts(Forecaster forecaster) {
    this.forecaster = forecaster;
  }

  @Override
  public Forecast forecast(double[] history, int horizonMinutes) {
    return forecast(history, new BitSet(), horizonMinutes);
  }

  @Override
  public Forecast forecast(double[] history, BitSet saturated, int horizonMinutes) {
    return forecast(HistoryFingerprint.of(history), () -> history, saturated, horizonMinutes);
  }

  @Override
  public Forecast forecast(HistoryFingerprint fingerprint, Supplier<double[]> history,
      BitSet saturated, int horizonMinutes) {
    return computed.computeIfAbsent(
        new Key(fingerprint, horizonMinutes, (BitSet) saturated.clone()),
        key -> forecaster.forecast(history.get(), saturated, horizonMinutes));
  }

  private record Key(HistoryFingerprint fingerprint, int horizon, BitSet saturated) {}
}
