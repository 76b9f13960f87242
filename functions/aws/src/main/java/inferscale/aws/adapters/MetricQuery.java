package inferscale.aws.adapters;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One series to fetch.
 *
 * @param id GetMetricData query id: starts with a lower-case letter, then letters, digits, '_'
 * @param periodSeconds the aggregation period; 60 for per-minute data
 */
public record MetricQuery(String id, MetricSpec spec, int periodSeconds) {
  private static final Pattern ID = Pattern.compile("^[a-z][a-zA-Z0-9_]*$");

  public MetricQuery {
    Objects.requireNonNull(spec, "spec");
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("metric query id must match " + ID + ", got " + id);
    }
    if (periodSeconds < 1 || (periodSeconds >= 60 && periodSeconds % 60 != 0)) {
      throw new IllegalArgumentException("period must be 1..59 s or a multiple of 60 s");
    }
  }
}
