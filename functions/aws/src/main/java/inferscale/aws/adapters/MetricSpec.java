package inferscale.aws.adapters;

import java.util.List;
import java.util.Objects;

/**
 * Where one series lives in CloudWatch and how to aggregate it per period.
 *
 * @param statistic a CloudWatch statistic ({@code Sum}, {@code Average}, {@code Maximum}…) or a
 *     percentile such as {@code p90}
 */
public record MetricSpec(
    String namespace, String name, List<MetricDimension> dimensions, String statistic) {
  public MetricSpec {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(statistic, "statistic");
    dimensions = List.copyOf(dimensions);
  }

  /** The usual per-variant dimensions, in the order SageMaker publishes them. */
  public static List<MetricDimension> variantDimensions(String endpointName, String variantName) {
    return MetricTarget.variant(endpointName, variantName).dimensions();
  }
}
