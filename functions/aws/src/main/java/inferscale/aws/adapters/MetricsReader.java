package inferscale.aws.adapters;

import inferscale.decision.SignalPoint;
import java.time.Instant;
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
}
