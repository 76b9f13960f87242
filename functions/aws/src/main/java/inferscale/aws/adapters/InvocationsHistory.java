package inferscale.aws.adapters;

import inferscale.control.RequestHistory;
import inferscale.decision.SignalPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Merges CloudWatch's two resolutions of {@code Invocations} into one per-minute history: per-minute
 * sums where they exist (15 days), the 5-minute sums (63 days) where they do not; and marks the
 * minutes that were saturated.
 */
final class InvocationsHistory {
  /** CloudWatch's coarser resolution, in seconds; its buckets align to the epoch. */
  static final long BUCKET_SECONDS = Duration.ofMinutes(5).getSeconds();

  private InvocationsHistory() {}

  /**
   * Per-minute points win. A 5-minute point is used, spread evenly over its five minutes, only for
   * a bucket without any per-minute point: within a bucket that has some, a minute without a point
   * is a minute without data (or without traffic), not a share of the bucket.
   *
   * @return requests per minute for the {@code minutes} minutes from {@code start}, NaN where none
   */
  static double[] merge(List<SignalPoint> perMinute, List<SignalPoint> perFiveMinutes,
      Instant start, int minutes) {
    double[] history = new double[minutes];
    Arrays.fill(history, Double.NaN);
    boolean[] exact = new boolean[minutes];
    Set<Long> bucketsWithMinutes = new HashSet<>();
    for (SignalPoint p : perMinute) {
      int i = index(start, p.timestamp(), minutes);
      if (i >= 0) {
        history[i] = p.value();
        exact[i] = true;
      }
      bucketsWithMinutes.add(bucket(p.timestamp()));
    }
    for (SignalPoint p : perFiveMinutes) {
      if (bucketsWithMinutes.contains(bucket(p.timestamp()))) {
        continue;
      }
      for (int k = 0; k < 5; k++) {
        int i = index(start, p.timestamp().plus(Duration.ofMinutes(k)), minutes);
        if (i >= 0 && !exact[i]) {
          history[i] = p.value() / 5.0;
        }
      }
    }
    return history;
  }

  /**
   * The minutes of the history that were saturated ({@link RequestHistory#saturated}), from the
   * per-minute 5XX errors, which CloudWatch keeps 15 days; older minutes show no saturation.
   */
  static BitSet saturated(double[] requests, List<SignalPoint> errors5xx, Instant start) {
    double[] errors = perMinute(errors5xx, start, requests.length);
    BitSet saturated = new BitSet(requests.length);
    for (int i = 0; i < requests.length; i++) {
      saturated.set(i, RequestHistory.saturated(requests[i], errors[i]));
    }
    return saturated;
  }

  private static double[] perMinute(List<SignalPoint> points, Instant start, int minutes) {
    double[] values = new double[minutes];
    Arrays.fill(values, Double.NaN);
    for (SignalPoint p : points) {
      int i = index(start, p.timestamp(), minutes);
      if (i >= 0) {
        values[i] = p.value();
      }
    }
    return values;
  }

  /** The minute of {@code t} in the history, or -1 when it is not a whole minute inside it. */
  private static int index(Instant start, Instant t, int minutes) {
    Duration offset = Duration.between(start, t);
    if (offset.isNegative() || offset.toSecondsPart() != 0 || offset.toNanosPart() != 0) {
      return -1;
    }
    return offset.toMinutes() < minutes ? (int) offset.toMinutes() : -1;
  }

  private static long bucket(Instant t) {
    return Math.floorDiv(t.getEpochSecond(), BUCKET_SECONDS);
  }
}
