package inferscale.aws.adapters;

import inferscale.decision.SignalPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Reads several metric series over one time range, in as few calls as the backend allows. */
public interface MetricsReader {
  /**
   * @param start inclusive, end exclusive; both should fall on period boundaries
   * @return every query's points by query id, oldest first; a series without data maps to an empty
   *     list
   */
  Map<String, List<SignalPoint>> read(List<MetricQuery> queries, Instant start, Instant end);

  /** Per-minute points as values by minute from {@code start}, NaN where there is none. */
  static double[] perMinute(List<SignalPoint> points, Instant start, int minutes) {
    double[] values = new double[minutes];
    Arrays.fill(values, Double.NaN);
    for (SignalPoint point : points) {
      long minute = Duration.between(start, point.timestamp()).toMinutes();
      if (!point.timestamp().isBefore(start) && minute < minutes) {
        values[(int) minute] = point.value();
      }
    }
    return values;
  }
}
