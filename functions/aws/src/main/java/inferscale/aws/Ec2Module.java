package inferscale.aws;

import dagger.Module;
import dagger.Provides;
import javax.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The EC2 client, for the optional capacity check. Its SDK is not in the scaler's package but in a
 * layer the stack attaches only with {@code CapacityCheck=reservations}; {@link ScalerWiring} asks
 * for the client only when a cycle checks capacity, so without the layer nothing loads it.
 */
@Module
public final class Ec2Module {
  private Ec2Module() {}

  @Provides
  @Singleton
  static Ec2Client ec2(SdkHttpClient http, Region region, AwsCredentialsProvider credentials,
      ClientOverrideConfiguration overrides) {
    return AwsClientsModule.configured(Ec2Client.builder(), http, region, credentials, overrides);
  }
}
