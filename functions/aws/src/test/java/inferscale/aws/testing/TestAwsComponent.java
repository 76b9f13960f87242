package inferscale.aws.testing;

import dagger.Component;
import inferscale.aws.AwsClientSettings;
import inferscale.aws.AwsClientsModule;
import inferscale.aws.DispatcherWiring;
import inferscale.aws.Ec2Module;
import inferscale.aws.FleetModule;
import inferscale.aws.SageMakerModule;
import inferscale.aws.ScalerWiring;
import inferscale.aws.TaggingModule;
import inferscale.aws.adapters.MetricsPublisher;
import inferscale.aws.adapters.MetricsReader;
import java.time.Clock;
import javax.inject.Singleton;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.servicequotas.ServiceQuotasClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The production client module, wired by Dagger for tests: the same clients the functions build,
 * pointed at the emulator by {@link AwsEmulator}'s SDK settings. Create it after the emulator has
 * started (in the test's constructor or a {@code @BeforeEach}).
 */
@Singleton
@Component(modules = {AwsClientsModule.class, SageMakerModule.class, Ec2Module.class,
    TaggingModule.class, FleetModule.class})
public interface TestAwsComponent {
  CloudWatchClient cloudWatch();

  SageMakerClient sageMaker();

  Ec2Client ec2();

  ResourceGroupsTaggingApiClient tagging();

  MetricsReader metricsReader();

  MetricsPublisher metricsPublisher();

  ScalerWiring scalerWiring();

  SqsClient sqs();

  ServiceQuotasClient serviceQuotas();

  DispatcherWiring dispatcherWiring();

  static TestAwsComponent create() {
    return DaggerTestAwsComponent.create();
  }

  /** With the steps' clock set by the test. */
  static TestAwsComponent create(Clock clock) {
    return DaggerTestAwsComponent.builder()
        .awsClientsModule(new AwsClientsModule(AwsClientSettings.defaults(), clock)).build();
  }
}
