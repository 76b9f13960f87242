package inferscale.aws;

import dagger.Module;
import dagger.Provides;
import javax.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/** The SageMaker client: the scaler reads and sets its endpoint with it. */
@Module
public final class SageMakerModule {
  private SageMakerModule() {}

  @Provides
  @Singleton
  static SageMakerClient sageMaker(SdkHttpClient http, Region region,
      AwsCredentialsProvider credentials, ClientOverrideConfiguration overrides) {
    return AwsClientsModule.configured(
        SageMakerClient.builder(), http, region, credentials, overrides);
  }
}
