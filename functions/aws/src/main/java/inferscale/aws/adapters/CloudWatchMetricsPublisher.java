package inferscale.aws.adapters;

import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/** PutMetricData in batches that stay inside the API's per-request limits. */
public final class CloudWatchMetricsPublisher implements MetricsPublisher {
  /**
   * PutMetricData takes up to 1,000 datums and 1 MB per request; a forecast datum is a few hundred
   * bytes, so 500 keeps well inside both.
   */
  static final int BATCH = 500;

  private final CloudWatchClient cloudWatch;

  @Inject
  public CloudWatchMetricsPublisher(CloudWatchClient cloudWatch) {
    this.cloudWatch = cloudWatch;
  }

  @Override
  public int publish(String namespace, List<MetricPoint> points) {
    int calls = 0;
    for (int from = 0; from < points.size(); from += BATCH) {
      List<MetricDatum> data = new ArrayList<>();
      for (MetricPoint point : points.subList(from, Math.min(points.size(), from + BATCH))) {
        data.add(toDatum(point));
      }
      cloudWatch.putMetricData(
          PutMetricDataRequest.builder().namespace(namespace).metricData(data).build());
      calls++;
    }
    return calls;
  }

  private static MetricDatum toDatum(MetricPoint point) {
    List<Dimension> dimensions = new ArrayList<>();
    for (MetricDimension d : point.dimensions()) {
      dimensions.add(Dimension.builder().name(d.name()).value(d.value()).build());
    }
    return MetricDatum.builder()
        .metricName(point.name())
        .dimensions(dimensions)
        .timestamp(point.timestamp())
        .value(point.value())
        .unit(unit(point.unit()))
        .build();
  }

  private static StandardUnit unit(String name) {
    StandardUnit unit = StandardUnit.fromValue(name);
    if (unit == StandardUnit.UNKNOWN_TO_SDK_VERSION) {
      throw new IllegalArgumentException("not a CloudWatch unit: " + name);
    }
    return unit;
  }
}
