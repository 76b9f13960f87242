package inferscale.cli;

import dagger.Module;
import dagger.Provides;
import inferscale.aws.AwsClientsModule;
import javax.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;

/** The clients only the CLI calls: what an endpoint's scaling and deployment look like today. */
@Module
final class CliClientsModule {
  private CliClientsModule() {}

  @Provides
  @Singleton
  static ApplicationAutoScalingClient autoScaling(SdkHttpClient http, Region region,
      AwsCredentialsProvider credentials, ClientOverrideConfiguration overrides) {
    return AwsClientsModule.configured(
        ApplicationAutoScalingClient.builder(), http, region, credentials, overrides);
  }

  @Provides
  @Singleton
  static SchedulerClient scheduler(SdkHttpClient http, Region region,
      AwsCredentialsProvider credentials, ClientOverrideConfiguration overrides) {
    return AwsClientsModule.configured(
        SchedulerClient.builder(), http, region, credentials, overrides);
  }
}
