package inferscale.aws.testing;

import dagger.Component;
import inferscale.aws.AwsClientsModule;
import inferscale.aws.CapacityReader;
import inferscale.aws.EndpointReader;
import inferscale.aws.EndpointUpdater;
import inferscale.aws.MetricsPublisher;
import inferscale.aws.MetricsReader;
import inferscale.aws.ScalingCycle;
import javax.inject.Singleton;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * The production client module, wired by Dagger for tests: the same clients the functions build,
 * pointed at the emulator by {@link AwsEmulator}'s SDK settings. Create it after the emulator has
 * started (in the test's constructor or a {@code @BeforeEach}).
 */
@Singleton
@Component(modules = AwsClientsModule.class)
public interface TestAwsComponent {
  CloudWatchClient cloudWatch();

  SageMakerClient sageMaker();

  Ec2Client ec2();

  MetricsReader metricsReader();

  MetricsPublisher metricsPublisher();

  EndpointReader endpointReader();

  EndpointUpdater endpointUpdater();

  CapacityReader capacityReader();

  ScalingCycle scalingCycle();

  static TestAwsComponent create() {
    return DaggerTestAwsComponent.create();
  }
}
