package inferscale.aws;

import dagger.Lazy;
import inferscale.aws.adapters.CloudWatchTelemetry;
import inferscale.aws.adapters.DecisionMetrics;
import inferscale.aws.adapters.Ec2Capacity;
import inferscale.aws.adapters.EndpointConfigs;
import inferscale.aws.adapters.MetricsReader;
import inferscale.aws.adapters.MetricTarget;
import inferscale.aws.adapters.SageMakerEndpoint;
import inferscale.aws.adapters.SageMakerInferenceComponent;
import inferscale.aws.invocation.FleetTurnMessage;
import inferscale.aws.invocation.ScalerInvocation;
import inferscale.control.Capacity;
import inferscale.control.EndpointControl;
import inferscale.control.FailureReason;
import inferscale.control.PortFailure;
import inferscale.control.PrefetchedTelemetry;
import inferscale.control.ScalerStep;
import inferscale.control.ScalerTask;
import inferscale.control.Telemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import javax.inject.Inject;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * The scaler step of one invocation, on the AWS adapters bound to its endpoint variant: CloudWatch
 * for telemetry (where the invocation says each signal is, on the deployment's forecast channel),
 * SageMaker for the endpoint, EC2 capacity reservations for capacity, the function's log for the
 * record (Embedded Metric Format). The EC2 client is built at the first capacity check, and only
 * then: without that check the EC2 SDK (a layer the stack attaches with the check) is never loaded.
 */
public final class ScalerWiring {
  /**
   * Beyond the update's own whole-call timeout, the time to log the result and the EMF line that
   * records a scale-out: killed mid-way, the record the cooldown reads back would be missing.
   */
  private static final Duration AFTER_UPDATE = Duration.ofSeconds(2);

  private final MetricsReader metrics;
  private final SageMakerClient sageMaker;
  /** Kept for the container's life: a fleet's scaler cycles many endpoints in one. */
  private final EndpointConfigs configs;
  private final Lazy<Ec2Client> ec2;
  private final AwsClientSettings settings;
  private final Clock clock;

  @Inject
  public ScalerWiring(MetricsReader metrics, SageMakerClient sageMaker, Lazy<Ec2Client> ec2,
      AwsClientSettings settings, Clock clock) {
    this.metrics = metrics;
    this.sageMaker = sageMaker;
    this.configs = new EndpointConfigs(sageMaker);
    this.ec2 = ec2;
    this.settings = settings;
    this.clock = clock;
  }

  /** The least time left with which an update is started: 17 s with the default settings. */
  public static Duration updateBudget(AwsClientSettings settings) {
    return settings.apiCallTimeout().plus(AFTER_UPDATE);
  }

  /** @param log the function's log: each cycle's record is written there (Embedded Metrics) */
  public ScalerStep step(ScalerInvocation invocation, Consumer<String> log) {
    ScalerTask task = invocation.task();
    EndpointControl endpoint = task.inferenceComponentName() != null
        ? new SageMakerInferenceComponent(sageMaker, configs, task.endpointName(),
            task.inferenceComponentName(), updateBudget(settings))
        : new SageMakerEndpoint(sageMaker, configs, task.endpointName(), task.variantName(),
            task.policy().fallback().variantName(), updateBudget(settings));
    FleetTurnMessage fleet = invocation.fleet();
    Telemetry telemetry = fleet != null && fleet.plan() != null
        ? new PrefetchedTelemetry(telemetry(metrics, invocation), fleet.plan(), fleet.readings())
        : telemetry(metrics, invocation);
    return new ScalerStep(telemetry, endpoint, reservations(), new DecisionMetrics(log), clock);
  }

  /** Where an invocation's series are in CloudWatch, read with {@code reader}. */
  public static CloudWatchTelemetry telemetry(MetricsReader reader, ScalerInvocation invocation) {
    ScalerTask task = invocation.task();
    return new CloudWatchTelemetry(reader, invocation.metrics(), invocation.forecastChannel(),
        MetricTarget.of(task.endpointName(), task.variantName(), task.inferenceComponentName()),
        task.policy().fallback().variantName());
  }

  private Capacity reservations() {
    return instanceType -> {
      Ec2Client client;
      try {
        client = ec2.get();
      } catch (LinkageError e) {
        throw new PortFailure(FailureReason.INTERNAL_ERROR, "the capacity check needs the EC2 SDK,"
            + " which this function was deployed without: deploy the stack with"
            + " CapacityCheck=reservations, which attaches it", null);
      }
      return new Ec2Capacity(client).headroom(instanceType);
    };
  }
}
