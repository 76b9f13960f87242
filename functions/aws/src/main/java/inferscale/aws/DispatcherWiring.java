package inferscale.aws;

import inferscale.aws.adapters.AccountQuotas;
import inferscale.aws.adapters.FleetDirectory;
import inferscale.aws.adapters.FleetQueue;
import inferscale.aws.adapters.MetricsReader;
import inferscale.aws.fleet.FleetDispatcher;
import java.time.Clock;
import java.time.Duration;
import javax.inject.Inject;
import javax.inject.Singleton;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.servicequotas.ServiceQuotasClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The fleet dispatcher on its AWS adapters, one per container: it keeps the directory of endpoints
 * and the account's quotas between the cycles a warm container runs.
 */
@Singleton
public final class DispatcherWiring {
  private final SageMakerClient sageMaker;
  private final ResourceGroupsTaggingApiClient tagging;
  private final ServiceQuotasClient quotas;
  private final SqsClient sqs;
  private final MetricsReader metrics;
  private final Clock clock;
  private FleetDispatcher dispatcher;

  @Inject
  public DispatcherWiring(SageMakerClient sageMaker, ResourceGroupsTaggingApiClient tagging,
      ServiceQuotasClient quotas, SqsClient sqs, MetricsReader metrics, Clock clock) {
    this.sageMaker = sageMaker;
    this.tagging = tagging;
    this.quotas = quotas;
    this.sqs = sqs;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * The container's dispatcher, made at the first cycle with the deployment's refresh (an
   * environment variable, the same for every cycle of a container).
   */
  public synchronized FleetDispatcher dispatcher(Duration directoryRefresh) {
    if (dispatcher == null) {
      dispatcher = new FleetDispatcher(new FleetDirectory(sageMaker, tagging),
          new AccountQuotas(quotas), new FleetQueue(sqs), metrics, clock, directoryRefresh);
    }
    return dispatcher;
  }
}
