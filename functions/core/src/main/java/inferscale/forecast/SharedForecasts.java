package inferscale.forecast;

import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A forecaster whose forecasts are computed once per history and horizon and then shared: runs
 * over the same trace (a sweep's, each with its own policy) forecast from the same histories, and
 * a forecaster is pure and deterministic, so each may take the forecast another computed. Safe
 * from several threads. A history is known by two independent 64-bit hashes of its values, its
 * length, its saturated minutes (usually none) and its horizon: keeping the histories themselves
 * would take gigabytes.
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
    return computed.computeIfAbsent(Key.of(history, saturated, horizonMinutes),
        key -> forecaster.forecast(history, saturated, horizonMinutes));
  }

  private record Key(int length, int horizon, BitSet saturated, long hash, long check) {
    static Key of(double[] history, BitSet saturated, int horizon) {
      long hash = 0xcbf29ce484222325L; // FNV-1a offset basis
      long check = 17;
      for (double value : history) {
        long bits = Double.doubleToLongBits(value);
        hash = (hash ^ bits) * 0x100000001b3L;
        check = 31 * check + (bits ^ (bits >>> 29));
      }
      return new Key(history.length, horizon, (BitSet) saturated.clone(), hash, check);
    }
  }
}
