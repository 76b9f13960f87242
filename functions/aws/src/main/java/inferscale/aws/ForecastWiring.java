package inferscale.aws;

import inferscale.aws.adapters.CloudWatchForecastStore;
import inferscale.aws.adapters.CloudWatchTelemetry;
import inferscale.aws.adapters.MetricTarget;
import inferscale.aws.adapters.MetricsPublisher;
import inferscale.aws.adapters.MetricsReader;
import inferscale.aws.adapters.SignalMetrics;
import inferscale.aws.adapters.TaggedEndpointPause;
import inferscale.aws.invocation.ForecastInvocation;
import inferscale.control.ForecastStep;
import inferscale.control.ForecastTask;
import inferscale.forecast.Forecaster;
import java.time.Clock;
import javax.inject.Inject;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;

/**
 * The forecast step of one invocation, on the AWS adapters bound to its endpoint variant:
 * CloudWatch for the history and the published forecast (on the deployment's channel), the tagging
 * API for the pause tag.
 */
public final class ForecastWiring {
  private final MetricsReader reader;
  private final MetricsPublisher publisher;
  private final ResourceGroupsTaggingApiClient tagging;
  private final Forecaster forecaster;
  private final Clock clock;

  @Inject
  public ForecastWiring(MetricsReader reader, MetricsPublisher publisher,
      ResourceGroupsTaggingApiClient tagging, Forecaster forecaster, Clock clock) {
    this.reader = reader;
    this.publisher = publisher;
    this.tagging = tagging;
    this.forecaster = forecaster;
    this.clock = clock;
  }

  public ForecastStep step(ForecastInvocation invocation) {
    ForecastTask task = invocation.task();
    MetricTarget target = MetricTarget.of(task.endpointName(), task.variantName(),
        task.inferenceComponentName());
    return new ForecastStep(
        new CloudWatchTelemetry(reader, SignalMetrics.defaults(target),
            invocation.forecastChannel(), target, null),
        new CloudWatchForecastStore(publisher, invocation.forecastChannel(), target),
        new TaggedEndpointPause(tagging, task.endpointName()),
        forecaster, clock);
  }
}
