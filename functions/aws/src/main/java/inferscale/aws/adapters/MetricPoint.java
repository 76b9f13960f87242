package inferscale.aws.adapters;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** One datapoint to publish. {@code unit} is a CloudWatch unit name such as {@code Count}. */
public record MetricPoint(
    String name, List<MetricDimension> dimensions, Instant timestamp, double value, String unit) {
  public MetricPoint {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(unit, "unit");
    dimensions = List.copyOf(dimensions);
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("CloudWatch takes finite values only, got " + value);
    }
  }
}
