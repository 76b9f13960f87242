package inferscale.aws;

import dagger.Module;
import dagger.Provides;
import javax.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicequotas.ServiceQuotasClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The fleet dispatcher's own clients: SQS, which fans its turns out, and Service Quotas, where it
 * reads the account's instance quotas.
 */
@Module
public final class FleetModule {
  private FleetModule() {}

  @Provides
  @Singleton
  static SqsClient sqs(SdkHttpClient http, Region region, AwsCredentialsProvider credentials,
      ClientOverrideConfiguration overrides) {
    return AwsClientsModule.configured(SqsClient.builder(), http, region, credentials, overrides);
  }

  @Provides
  @Singleton
  static ServiceQuotasClient serviceQuotas(SdkHttpClient http, Region region,
      AwsCredentialsProvider credentials, ClientOverrideConfiguration overrides) {
    return AwsClientsModule.configured(
        ServiceQuotasClient.builder(), http, region, credentials, overrides);
  }
}
