import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * The AWS SDK's own share of a cold start: the two clients the scaler builds at init, one call
 * each when invoked, and nothing of InferScale. No function that calls these services this way
 * can start faster.
 */
public class SdkFloorHandler implements RequestStreamHandler {
  private static final Region REGION = Region.of(System.getenv("AWS_REGION"));
  private static final EnvironmentVariableCredentialsProvider CREDENTIALS =
      EnvironmentVariableCredentialsProvider.create();
  private final CloudWatchClient cloudWatch = CloudWatchClient.builder()
      .httpClient(UrlConnectionHttpClient.create()).region(REGION).credentialsProvider(CREDENTIALS)
      .build();
  private final SageMakerClient sageMaker = SageMakerClient.builder()
      .httpClient(UrlConnectionHttpClient.create()).region(REGION).credentialsProvider(CREDENTIALS)
      .build();

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws java.io.IOException {
    input.readAllBytes();
    int alarms = cloudWatch.describeAlarms(b -> b.maxRecords(1)).metricAlarms().size();
    String status = sageMaker.describeEndpoint(b -> b.endpointName("llm-bench"))
        .endpointStatusAsString();
    output.write(("{\"sdk\":\"" + status + "\",\"alarms\":" + alarms + "}")
        .getBytes(StandardCharsets.UTF_8));
  }
}
