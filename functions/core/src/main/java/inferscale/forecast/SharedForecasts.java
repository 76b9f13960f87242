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
      // Four independent lanes of each: the multiplications of one lane wait on each other, those
      // of four do not, and every forecast of a sweep hashes four weeks of minutes.
      long[] hash = {0xcbf29ce484222325L, 0x84222325cbf29ce4L, 0x9ce484222325cbf2L,
          0x2325cbf29ce48422L}; // FNV-1a offset basis, rotated
      long[] check = {17, 19, 23, 29};
      int i = 0;
      for (; i + 3 < history.length; i += 4) {
        for (int lane = 0; lane < 4; lane++) {
          long bits = Double.doubleToLongBits(history[i + lane]);
          hash[lane] = (hash[lane] ^ bits) * 0x100000001b3L;
          check[lane] = 31 * check[lane] + (bits ^ (bits >>> 29));
        }
      }
      for (; i < history.length; i++) {
        long bits = Double.doubleToLongBits(history[i]);
        hash[0] = (hash[0] ^ bits) * 0x100000001b3L;
        check[0] = 31 * check[0] + (bits ^ (bits >>> 29));
      }
      long combined = 0;
      long checked = 0;
      for (int lane = 0; lane < 4; lane++) {
        combined = (combined ^ hash[lane]) * 0x100000001b3L;
        checked = 31 * checked + check[lane];
      }
      return new Key(history.length, horizon, (BitSet) saturated.clone(), combined, checked);
    }
  }
}
