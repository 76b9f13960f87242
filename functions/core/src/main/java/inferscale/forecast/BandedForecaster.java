package inferscale.forecast;

import java.util.Arrays;
import java.util.function.IntToDoubleFunction;

/**
 * Turns a {@link PointMethod} into a {@link Forecaster}. The upper quantile comes from the
 * method's own errors: the method is replayed from hourly origins over the last days of the
 * history, and for each horizon bucket the configured quantile of its errors is added to the
 * point forecast. Errors are measured in units of sqrt(point + 1), so the band widens with demand
 * the way counting noise does and one set of quantiles serves quiet nights and busy afternoons.
 */
final class BandedForecaster implements Forecaster {
  /** Horizon buckets (upper ends, in minutes) whose errors are pooled into one quantile. */
  private static final int[] BUCKET_ENDS = {10, 30, 60, 120, 240, 480, 1440, Integer.MAX_VALUE};
  /** Past origins are replayed this far apart, or closer when the history is short. */
  private static final int REPLAY_STRIDE_MINUTES = 60;
  /** Beyond the first hour, errors are sampled every this many minutes to bound the cost. */
  private static final int LONG_HORIZON_SAMPLE_MINUTES = 10;
  /**
   * A bucket with fewer errors than this uses the quantile of all buckets pooled, and with fewer
   * pooled errors than this the band comes from the last day's counting noise.
   */
  private static final int MIN_BUCKET_ERRORS = 30;
  private static final int NOISE_MINUTES = Seasonality.DAILY.periodMinutes();

  private final PointMethod method;
  private final ForecasterConfig config;

  BandedForecaster(PointMethod method, ForecasterConfig config) {
    this.method = method;
    this.config = config;
  }

  @Override
  public Forecast forecast(double[] history, int horizonMinutes) {
    if (horizonMinutes < 1) {
      throw new IllegalArgumentException("horizonMinutes must be at least 1, got " + horizonMinutes);
    }
    DemandHistory demand = DemandHistory.of(history);
    int now = demand.length();
    int earliestOrigin = demand.firstKnown() + method.minHistoryMinutes();
    if (earliestOrigin > now) {
      return Forecast.insufficientHistory();
    }
    int[] origins = replayOrigins(earliestOrigin, now);
    PointMethod.Fitted fitted = method.fit(demand, origins);
    IntToDoubleFunction fromNow = fitted.from(now);
    double[] errorQuantiles = errorQuantiles(demand, fitted, origins, horizonMinutes);
    double[] point = new double[horizonMinutes];
    double[] upper = new double[horizonMinutes];
    for (int h = 1; h <= horizonMinutes; h++) {
      point[h - 1] = clean(fromNow.applyAsDouble(now + h - 1));
      upper[h - 1] = point[h - 1] + errorQuantiles[bucket(h)] * noiseScale(point[h - 1]);
    }
    return new Forecast(ForecastStatus.OK, fitted.seasonality(), point, upper);
  }

  /** Ascending replay origins in [earliest, now), then {@code now} itself. */
  private int[] replayOrigins(int earliest, int now) {
    int count = config.residualDays() * 24;
    int stride = Math.max(1, Math.min(REPLAY_STRIDE_MINUTES, (now - earliest) / count));
    int replayed = Math.min(count, (now - earliest) / stride);
    int[] origins = new int[replayed + 1];
    for (int k = 0; k <= replayed; k++) {
      origins[k] = now - (replayed - k) * stride;
    }
    return origins;
  }

  /**
   * Per bucket the horizon reaches, the configured quantile of the standardized errors, never
   * below zero; buckets beyond the horizon are left at zero, as nothing reads them.
   */
  private double[] errorQuantiles(
      DemandHistory demand, PointMethod.Fitted fitted, int[] origins, int horizonMinutes) {
    int now = demand.length();
    double[][] errors = new double[BUCKET_ENDS.length][0];
    int[] counts = new int[BUCKET_ENDS.length];
    for (int k = 0; k < origins.length - 1; k++) {
      int origin = origins[k];
      IntToDoubleFunction forecast = fitted.from(origin);
      int b = 0; // bucket of h, advanced as h grows rather than searched for every error
      for (int h = 1; h <= horizonMinutes && origin + h - 1 < now; h++) {
        if (h > BUCKET_ENDS[b]) {
          b++;
        }
        if (h > 60 && h % LONG_HORIZON_SAMPLE_MINUTES != 0) {
          continue;
        }
        double actual = demand.value(origin + h - 1);
        if (Double.isNaN(actual)) {
          continue;
        }
        double predicted = clean(forecast.applyAsDouble(origin + h - 1));
        double error = (actual - predicted) / noiseScale(predicted);
        errors[b] = append(errors[b], counts[b]++, error);
      }
    }
    int usedBuckets = bucket(horizonMinutes) + 1;
    // The pooled quantile is a fallback for buckets with too few errors; with the usual history
    // every bucket has plenty, and selecting over all errors a second time would be wasted.
    boolean needsPooled = false;
    for (int b = 0; b < usedBuckets; b++) {
      needsPooled |= counts[b] < MIN_BUCKET_ERRORS;
    }
    double pooledQuantile = needsPooled ? pooledQuantile(demand, errors, counts) : Double.NaN;
    double[] quantiles = new double[BUCKET_ENDS.length];
    for (int b = 0; b < usedBuckets; b++) {
      double q =
          counts[b] < MIN_BUCKET_ERRORS
              ? pooledQuantile
              : Robust.quantile(errors[b], counts[b], config.upperQuantile());
      quantiles[b] = Math.max(0, q);
    }
    return quantiles;
  }

  /**
   * The configured quantile of all buckets' errors together, or of the last day's counting noise
   * when even those are too few. Reads the buckets without changing which values they hold.
   */
  private double pooledQuantile(DemandHistory demand, double[][] errors, int[] counts) {
    int pooledCount = 0;
    for (int count : counts) {
      pooledCount += count;
    }
    if (pooledCount < MIN_BUCKET_ERRORS) {
      return noiseQuantile(demand);
    }
    double[] pooled = new double[pooledCount];
    int n = 0;
    for (int b = 0; b < errors.length; b++) {
      System.arraycopy(errors[b], 0, pooled, n, counts[b]);
      n += counts[b];
    }
    return Robust.quantile(pooled, pooledCount, config.upperQuantile());
  }

  /**
   * The configured quantile of single minutes' standardized deviation from the mean of the hour
   * around them, over the last day: the error even a perfect profile makes. Stands in while the
   * history is too short to replay forecasts.
   */
  private double noiseQuantile(DemandHistory demand) {
    int now = demand.length();
    double[] deviations = new double[NOISE_MINUTES];
    int n = 0;
    for (int i = Math.max(0, now - NOISE_MINUTES); i < now; i++) {
      double value = demand.value(i);
      if (!Double.isNaN(value)) {
        double mean = demand.mean(i - 30, i + 31);
        deviations[n++] = (value - mean) / noiseScale(mean);
      }
    }
    return n == 0 ? 0 : Robust.quantile(deviations, n, config.upperQuantile());
  }

  private static double[] append(double[] values, int size, double value) {
    double[] grown = size < values.length ? values : Arrays.copyOf(values, Math.max(64, 2 * size));
    grown[size] = value;
    return grown;
  }

  private static int bucket(int horizon) {
    int b = 0;
    while (horizon > BUCKET_ENDS[b]) {
      b++;
    }
    return b;
  }

  private static double noiseScale(double point) {
    return Math.sqrt(point + 1);
  }

  /** Demand is a non-negative count; a method's NaN (nothing to go on) becomes zero. */
  private static double clean(double value) {
    return value > 0 ? value : 0;
  }
}
