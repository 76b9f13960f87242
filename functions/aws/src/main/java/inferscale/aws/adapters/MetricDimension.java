package inferscale.aws.adapters;

import java.util.Objects;

/** One CloudWatch dimension. Order matters to some readers, so specs keep dimensions in a list. */
public record MetricDimension(String name, String value) {
  public MetricDimension {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }
}
