package inferscale.aws;

import dagger.Module;
import dagger.Provides;
import javax.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;

/**
 * The Resource Groups Tagging API client: the forecaster reads the endpoint's pause tag with it,
 * which spares its package the SageMaker SDK (14 MB).
 */
@Module
public final class TaggingModule {
  private TaggingModule() {}

  @Provides
  @Singleton
  static ResourceGroupsTaggingApiClient tagging(SdkHttpClient http, Region region,
      AwsCredentialsProvider credentials, ClientOverrideConfiguration overrides) {
    return AwsClientsModule.configured(
        ResourceGroupsTaggingApiClient.builder(), http, region, credentials, overrides);
  }
}
