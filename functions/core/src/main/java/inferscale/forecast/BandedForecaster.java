package inferscale.forecast;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * Turns a {@link PointMethod} into a {@link Forecaster}. The upper quantile is split-conformal,
 * from the method's own errors: the method is replayed from hourly origins over the last days of
 * the history, and for each horizon bucket a recency-weighted quantile of its errors, at the
 * configured level raised as conformal prediction raises it ({@link #conformalLevel}), is added to
 * the point forecast. Errors are measured in units of a noise scale (counting or relative, see
 * {@link #spread}), so one set of quantiles serves quiet nights and busy afternoons.
 */
final class BandedForecaster implements Forecaster {
  /**
   * Horizon buckets (upper ends, in minutes) whose errors are pooled into one quantile. Errors grow
   * with the horizon, so a bucket's quantile under-covers its last minutes: buckets are kept to
   * about a quarter of their horizon (every one still holds a replayed error per origin).
   */
  private static final int[] BUCKET_ENDS = {1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50,
      60, 80, 100, 120, 160, 200, 240, 320, 400, 480, 640, 800, 1000, 1200, 1440,
      Integer.MAX_VALUE};
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
  /**
   * The noise scale is chosen on the errors of this many minutes ahead, replayed whatever the
   * horizon asked for, so that the band of a minute does not depend on how far ahead one asks
   * (the half hour the scaler's floor plans on; an hour cost the sweep a tenth of its time).
   */
  private static final int SCALE_EVIDENCE_MINUTES = 30;
  /**
   * A replayed error this many minutes older than the newest counts half as much: how large
   * errors are drifts (on LLM fleet traffic, with how concentrated the rate is on a few clients),
   * and a week of equal weights left the p90 covering 0.82-0.84 there.
   */
  private static final int RECENCY_HALF_LIFE_MINUTES = 24 * 60;

  private final PointMethod method;
  private final ForecasterConfig config;

  BandedForecaster(PointMethod method, ForecasterConfig config) {
    this.method = method;
    this.config = config;
  }

  @Override
  public Forecast forecast(double[] history, int horizonMinutes) {
    return forecast(history, new BitSet(), horizonMinutes);
  }

  /**
   * Saturated minutes are read as demand of at least what was served ({@link
   * Saturation#imputed}), and while the saturation lasts the next hour's point forecast is held at
   * or above the level they show, the band on top of it; unless they are most of the last day
   * ({@link Saturation#pervasive}), when they are read as demand. Only runs of a few minutes
   * count ({@link Saturation#sustained}).
   */
  @Override
  public Forecast forecast(double[] history, BitSet saturated, int horizonMinutes) {
    if (horizonMinutes < 1) {
      throw new IllegalArgumentException(
          "horizonMinutes must be at least 1, got " + horizonMinutes);
    }
    BitSet sustained = Saturation.sustained(saturated);
    boolean marked = !sustained.isEmpty() && !Saturation.pervasive(history, sustained);
    double lowerBound = marked ? Saturation.lowerBound(history, sustained) : 0;
    DemandHistory demand =
        DemandHistory.of(marked ? Saturation.imputed(history, sustained, this) : history);
    int now = demand.length();
    int earliestOrigin = demand.firstKnown() + method.minHistoryMinutes();
    if (earliestOrigin > now) {
      return Forecast.insufficientHistory();
    }
    int[] origins = replayOrigins(earliestOrigin, now);
    PointMethod.Fitted fitted = method.fit(demand, origins);
    IntToDoubleFunction fromNow = fitted.from(now);
    Spread spread =
        spread(demand, fitted, origins, Math.max(horizonMinutes, SCALE_EVIDENCE_MINUTES));
    double[] point = new double[horizonMinutes];
    double[] upper = new double[horizonMinutes];
    for (int h = 1; h <= horizonMinutes; h++) {
      point[h - 1] = clean(fromNow.applyAsDouble(now + h - 1));
      if (h <= Saturation.LOWER_BOUND_HORIZON) {
        point[h - 1] = Math.max(point[h - 1], lowerBound);
      }
      upper[h - 1] = point[h - 1] + spread.above(point[h - 1], h);
    }
    List<Blend> blends =
        fitted instanceof BlendedMethod.BlendedFit blended ? blended.blends() : List.of();
    return new Forecast(ForecastStatus.OK, fitted.seasonality(), point, upper, blends);
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
   * How far above the point forecast the upper quantile lies: per bucket the horizon reaches, the
   * conformal quantile of the replayed errors in units of the noise scale at the point, never
   * below zero (buckets beyond the horizon are left at zero, as nothing reads them).
   */
  private record Spread(NoiseScale scale, double[] quantiles) {
    double above(double point, int horizon) {
      return quantiles[bucket(horizon)] * scale.of(point);
    }
  }

  /**
   * The spread of the replayed errors, standardized whichever way gives the narrower band on
   * average at the same replayed coverage: by sqrt(point + 1) where counting noise dominates (the
   * band widens with demand as Poisson noise does), by point + 1 where the noise is a share of the
   * rate (high-volume traffic whose clients wander), so that after a level shift the band moves
   * with the level.
   */
  private Spread spread(
      DemandHistory demand, PointMethod.Fitted fitted, int[] origins, int horizonMinutes) {
    // horizonMinutes is at least SCALE_EVIDENCE_MINUTES here.
    int now = demand.length();
    double[][] errors = new double[BUCKET_ENDS.length][0];
    double[][] points = new double[BUCKET_ENDS.length][0];
    double[][] weights = new double[BUCKET_ENDS.length][0];
    int[] counts = new int[BUCKET_ENDS.length];
    double recencySum = 0;
    double recencySquares = 0;
    for (int k = 0; k < origins.length - 1; k++) {
      int origin = origins[k];
      double recency = recency(now - origin, RECENCY_HALF_LIFE_MINUTES);
      recencySum += recency;
      recencySquares += recency * recency;
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
        points[b] = append(points[b], counts[b], predicted);
        weights[b] = append(weights[b], counts[b], recency);
        errors[b] = append(errors[b], counts[b]++, actual - predicted);
      }
    }
    double level = conformalLevel(recencySum * recencySum / Math.max(1e-9, recencySquares));
    int usedBuckets = bucket(horizonMinutes) + 1;
    Spread best = null;
    double bestWidth = Double.POSITIVE_INFINITY;
    for (NoiseScale scale : NoiseScale.values()) {
      Spread spread = new Spread(scale, quantiles(demand,
          standardized(errors, points, counts, scale), weights, counts, usedBuckets, level,
          scale));
      double width = 0;
      for (int b = 0; b <= bucket(SCALE_EVIDENCE_MINUTES); b++) {
        for (int i = 0; i < counts[b]; i++) {
          width += weights[b][i] * spread.quantiles[b] * scale.of(points[b][i]);
        }
      }
      if (best == null || width < bestWidth) {
        best = spread;
        bestWidth = width;
      }
    }
    return best;
  }

  private static double[][] standardized(
      double[][] errors, double[][] points, int[] counts, NoiseScale scale) {
    double[][] standardized = new double[errors.length][];
    for (int b = 0; b < errors.length; b++) {
      standardized[b] = new double[counts[b]];
      for (int i = 0; i < counts[b]; i++) {
        standardized[b][i] = errors[b][i] / scale.of(points[b][i]);
      }
    }
    return standardized;
  }

  /**
   * Per used bucket, the quantile at {@code level} of its standardized errors, each weighted by
   * its origin's recency, never below zero.
   */
  private double[] quantiles(DemandHistory demand, double[][] errors, double[][] weights,
      int[] counts, int usedBuckets, double level, NoiseScale scale) {
    // The pooled quantile is a fallback for buckets with too few errors; with the usual history
    // every bucket has plenty, and selecting over all errors a second time would be wasted.
    boolean needsPooled = false;
    for (int b = 0; b < usedBuckets; b++) {
      needsPooled |= counts[b] < MIN_BUCKET_ERRORS;
    }
    double pooledQuantile =
        needsPooled ? pooledQuantile(demand, errors, weights, counts, level, scale) : Double.NaN;
    double[] quantiles = new double[BUCKET_ENDS.length];
    for (int b = 0; b < usedBuckets; b++) {
      double q =
          counts[b] < MIN_BUCKET_ERRORS
              ? pooledQuantile
              : Robust.weightedQuantile(errors[b], weights[b], counts[b],
                  level);
      quantiles[b] = Math.max(0, q);
    }
    return quantiles;
  }

  /**
   * The quantile at {@code level} of all buckets' errors together, or of the last day's counting
   * noise when even those are too few. Reads the buckets without changing which values they hold.
   */
  private double pooledQuantile(DemandHistory demand, double[][] errors, double[][] weights,
      int[] counts, double level, NoiseScale scale) {
    int pooledCount = 0;
    for (int count : counts) {
      pooledCount += count;
    }
    if (pooledCount < MIN_BUCKET_ERRORS) {
      return noiseQuantile(demand, scale);
    }
    double[] pooled = new double[pooledCount];
    double[] pooledWeights = new double[pooledCount];
    int n = 0;
    for (int b = 0; b < errors.length; b++) {
      System.arraycopy(errors[b], 0, pooled, n, counts[b]);
      System.arraycopy(weights[b], 0, pooledWeights, n, counts[b]);
      n += counts[b];
    }
    return Robust.weightedQuantile(pooled, pooledWeights, pooledCount, level);
  }

  /**
   * The configured quantile of single minutes' standardized deviation from the mean of the hour
   * around them, over the last day: the error even a perfect profile makes. Stands in while the
   * history is too short to replay forecasts (with no origins there is nothing to raise the level
   * by).
   */
  private double noiseQuantile(DemandHistory demand, NoiseScale scale) {
    int now = demand.length();
    double[] deviations = new double[NOISE_MINUTES];
    int n = 0;
    for (int i = Math.max(0, now - NOISE_MINUTES); i < now; i++) {
      double value = demand.value(i);
      if (!Double.isNaN(value)) {
        double mean = demand.mean(i - 30, i + 31);
        deviations[n++] = (value - mean) / scale.of(mean);
      }
    }
    return n == 0 ? 0 : Robust.quantile(deviations, n, config.upperQuantile());
  }

  /**
   * The level at which to take the weighted quantile of the replayed errors so that the minutes
   * forecast now are covered with the configured probability: split-conformal prediction counts
   * the forecast being made as one more origin whose error could be anything, q·(1 + 1/n) for n
   * origins, n here being the origins' effective number under their recency weights (Kish's
   * (Σw)²/Σw²: about 70 for a week of hourly origins at a day's half-life). Without it the band
   * covered 0.86-0.88 out of sample on drifting traffic.
   */
  private double conformalLevel(double effectiveOrigins) {
    return Math.min(1, config.upperQuantile() * (1 + 1 / effectiveOrigins));
  }

  /** The weight of evidence {@code ageMinutes} old: half as much every half-life. */
  static double recency(int ageMinutes, double halfLifeMinutes) {
    return Math.pow(0.5, ageMinutes / halfLifeMinutes);
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

  /** How replayed errors are standardized, so one set of quantiles serves every demand level. */
  private enum NoiseScale {
    /** Counting noise: Poisson errors grow with the square root of demand. */
    COUNTING {
      @Override
      double of(double point) {
        return Math.sqrt(point + 1);
      }
    },
    /** Noise that is a share of the rate: clients that wander, high-volume traffic. */
    RELATIVE {
      @Override
      double of(double point) {
        return point + 1;
      }
    };

    abstract double of(double point);
  }

  /** Demand is a non-negative count; a method's NaN (nothing to go on) becomes zero. */
  private static double clean(double value) {
    return value > 0 ? value : 0;
  }
}
