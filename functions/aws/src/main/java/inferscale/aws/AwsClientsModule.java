package inferscale.aws;

import dagger.Module;
import dagger.Provides;
import inferscale.aws.adapters.CloudWatchMetricsPublisher;
import inferscale.aws.adapters.CloudWatchMetricsReader;
import inferscale.aws.adapters.MetricsPublisher;
import inferscale.aws.adapters.MetricsReader;
import java.time.Clock;
import javax.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * What every SDK client shares, and the CloudWatch client both functions use. Each function adds
 * the modules of the other services it calls ({@link SageMakerModule}, {@link Ec2Module}, {@link
 * TaggingModule}), so its package holds only those SDKs. Each client is built once per container (a
 * Dagger singleton), so warm invocations and SnapStart restores reuse them.
 *
 * <ul>
 *   <li>HTTP: the URL-connection client — no extra threads or native code, the smallest cold start.
 *   <li>Region: the SDK's default chain, which reads {@code AWS_REGION} in Lambda.
 *   <li>Credentials: the default chain. It resolves lazily and refreshes, so a SnapStart snapshot
 *       never freezes a session's keys (a hard-wired environment-variable provider would).
 *   <li>Endpoint: nothing is overridden here; the SDK itself honours {@code AWS_ENDPOINT_URL} /
 *       {@code aws.endpointUrl} (and per-service variants), which is how tests and local runs point
 *       every client at an emulator.
 *   <li>Timeouts and retries: see {@link AwsClientSettings}.
 * </ul>
 */
@Module
public final class AwsClientsModule {
  private final AwsClientSettings settings;
  private final Clock clock;
  /** Answers every call when set: the clients never reach the network. */
  private final OfflineHttpClient offline;

  public AwsClientsModule() {
    this(AwsClientSettings.defaults(), Clock.systemUTC());
  }

  /** @param clock what the steps take as now: the system's, or a test's */
  public AwsClientsModule(AwsClientSettings settings, Clock clock) {
    this(settings, clock, null);
  }

  private AwsClientsModule(AwsClientSettings settings, Clock clock, OfflineHttpClient offline) {
    this.settings = settings;
    this.clock = clock;
    this.offline = offline;
  }

  /**
   * Clients that never reach the network: {@code http} answers every call, in us-east-1 with
   * fixed credentials. For SnapStart priming ({@link Priming}).
   */
  static AwsClientsModule offline(OfflineHttpClient http) {
    return new AwsClientsModule(AwsClientSettings.defaults(), Clock.systemUTC(), http);
  }

  @Provides
  @Singleton
  AwsClientSettings settings() {
    return settings;
  }

  @Provides
  @Singleton
  Clock clock() {
    return clock;
  }

  @Provides
  @Singleton
  SdkHttpClient httpClient() {
    if (offline != null) {
      return offline;
    }
    return UrlConnectionHttpClient.builder()
        .connectionTimeout(settings.connectTimeout())
        .socketTimeout(settings.socketTimeout())
        .build();
  }

  @Provides
  @Singleton
  Region region() {
    return offline != null ? Region.US_EAST_1
        : DefaultAwsRegionProviderChain.builder().build().getRegion();
  }

  @Provides
  @Singleton
  AwsCredentialsProvider credentials() {
    return offline != null
        ? StaticCredentialsProvider.create(AwsBasicCredentials.create("offline", "offline"))
        : DefaultCredentialsProvider.builder().build();
  }

  @Provides
  static ClientOverrideConfiguration overrides(AwsClientSettings settings) {
    // AWS's standard strategy knows the throttling and transient error codes of every service.
    RetryStrategy retries =
        AwsRetryStrategy.standardRetryStrategy().toBuilder()
            .maxAttempts(settings.maxAttempts())
            .build();
    return ClientOverrideConfiguration.builder()
        .apiCallAttemptTimeout(settings.apiCallAttemptTimeout())
        .apiCallTimeout(settings.apiCallTimeout())
        .retryStrategy(retries)
        .build();
  }

  @Provides
  @Singleton
  static CloudWatchClient cloudWatch(
      SdkHttpClient http,
      Region region,
      AwsCredentialsProvider credentials,
      ClientOverrideConfiguration overrides) {
    return configured(CloudWatchClient.builder(), http, region, credentials, overrides);
  }

  /** Every client gets the same HTTP client, region, credentials, timeouts and retries. */
  public static <B extends AwsSyncClientBuilder<B, C> & AwsClientBuilder<B, C>, C> C configured(
      B builder,
      SdkHttpClient http,
      Region region,
      AwsCredentialsProvider credentials,
      ClientOverrideConfiguration overrides) {
    return builder
        .httpClient(http)
        .region(region)
        .credentialsProvider(credentials)
        .overrideConfiguration(overrides)
        .build();
  }

  @Provides
  static MetricsReader metricsReader(CloudWatchMetricsReader reader) {
    return reader;
  }

  @Provides
  static MetricsPublisher metricsPublisher(CloudWatchMetricsPublisher publisher) {
    return publisher;
  }
}
