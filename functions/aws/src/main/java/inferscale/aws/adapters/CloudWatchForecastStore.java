package inferscale.aws.adapters;

import inferscale.control.ForecastPublication;
import inferscale.control.ForecastStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * CloudWatch as the forecast step's {@link ForecastStore}: one datapoint per future minute of
 * {@value InferScaleMetrics#FORECAST_RPS} and {@value InferScaleMetrics#FORECAST_EXPECTED_RPS}, in
 * requests per second, on the deployment's {@link ForecastChannel}. CloudWatch takes timestamps up
 * to two hours ahead, so the forecast sits on the same dashboard as the traffic it predicts.
 */
public final class CloudWatchForecastStore implements ForecastStore {
  private final MetricsPublisher publisher;
  private final ForecastChannel channel;
  private final MetricTarget target;

  public CloudWatchForecastStore(MetricsPublisher publisher, ForecastChannel channel,
      String endpointName, String variantName) {
    this(publisher, channel, MetricTarget.variant(endpointName, variantName));
  }

  public CloudWatchForecastStore(MetricsPublisher publisher, ForecastChannel channel,
      MetricTarget target) {
    this.publisher = publisher;
    this.channel = channel;
    this.target = target;
  }

  @Override
  public void publish(ForecastPublication publication) {
    List<MetricDimension> dimensions = channel.dimensions(target);
    List<MetricPoint> points = new ArrayList<>();
    for (int i = 0; i < publication.minutes(); i++) {
      Instant minute = publication.minute(i);
      points.add(new MetricPoint(InferScaleMetrics.FORECAST_RPS, dimensions, minute,
          publication.upper().get(i).perSecond(), "Count/Second"));
      points.add(new MetricPoint(InferScaleMetrics.FORECAST_EXPECTED_RPS, dimensions, minute,
          publication.expected().get(i).perSecond(), "Count/Second"));
    }
    try {
      publisher.publish(InferScaleMetrics.NAMESPACE, points);
    } catch (SdkException e) {
      throw AwsFailures.of("PutMetricData", e);
    }
  }

  @Override
  public String channel() {
    return channel.name();
  }
}
