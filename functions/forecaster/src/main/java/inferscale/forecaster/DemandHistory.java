package inferscale.forecaster;

import inferscale.aws.MetricQuery;
import inferscale.aws.MetricSpec;
import inferscale.aws.MetricsReader;
import inferscale.decision.SignalPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads up to 28 days of an endpoint variant's {@code Invocations} as requests per minute, in one
 * GetMetricData request (paged). CloudWatch keeps 1-minute data for 15 days and 5-minute data for
 * 63, so the read asks for both: per-minute sums where they exist, and for older minutes the
 * 5-minute sum spread evenly over its five minutes.
 */
public final class DemandHistory {
  public static final Duration MAX_HISTORY = Duration.ofDays(28);

  private final MetricsReader metrics;

  public DemandHistory(MetricsReader metrics) {
    this.metrics = metrics;
  }

  /**
   * @param end the first minute not read (the current, still-filling minute)
   * @return requests per minute for the {@code minutes} minutes before {@code end}, NaN where none
   */
  public double[] read(String endpointName, String variantName, Instant end, int minutes) {
    Instant start = end.minus(Duration.ofMinutes(minutes));
    // 5-minute buckets are aligned to the epoch so they cover whole minutes of the history.
    Instant coarseStart = Instant.ofEpochSecond(Math.floorDiv(start.getEpochSecond(), 300) * 300);
    MetricSpec invocations = new MetricSpec("AWS/SageMaker", "Invocations",
        MetricSpec.variantDimensions(endpointName, variantName), "Sum");
    Map<String, List<SignalPoint>> read = metrics.read(
        List.of(new MetricQuery("perMinute", invocations, 60),
            new MetricQuery("perFiveMinutes", invocations, 300)),
        coarseStart, end);
    return merge(read.getOrDefault("perMinute", List.of()),
        read.getOrDefault("perFiveMinutes", List.of()), start, minutes);
  }

  /**
   * Per-minute points win. A 5-minute point is used, spread evenly over its five minutes, only for
   * a bucket without any per-minute point: within a bucket that has some, a minute without a point
   * is a minute without data (or without traffic), not a share of the bucket.
   */
  static double[] merge(List<SignalPoint> perMinute, List<SignalPoint> perFiveMinutes,
      Instant start, int minutes) {
    double[] history = new double[minutes];
    Arrays.fill(history, Double.NaN);
    boolean[] exact = new boolean[minutes];
    for (SignalPoint p : perMinute) {
      int i = index(start, p.timestamp(), minutes);
      if (i >= 0) {
        history[i] = p.value();
        exact[i] = true;
      }
    }
    java.util.Set<Long> bucketsWithMinutes = new java.util.HashSet<>();
    for (SignalPoint p : perMinute) {
      bucketsWithMinutes.add(Math.floorDiv(p.timestamp().getEpochSecond(), 300));
    }
    for (SignalPoint p : perFiveMinutes) {
      if (bucketsWithMinutes.contains(Math.floorDiv(p.timestamp().getEpochSecond(), 300))) {
        continue;
      }
      for (int k = 0; k < 5; k++) {
        int i = index(start, p.timestamp().plusSeconds(60L * k), minutes);
        if (i >= 0 && !exact[i]) {
          history[i] = p.value() / 5.0;
        }
      }
    }
    return history;
  }

  private static int index(Instant start, Instant t, int minutes) {
    long seconds = t.getEpochSecond() - start.getEpochSecond();
    if (seconds < 0 || seconds % 60 != 0) {
      return -1;
    }
    long i = seconds / 60;
    return i < minutes ? (int) i : -1;
  }
}
