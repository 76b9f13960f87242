package inferscale.aws.adapters;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointConfigResponse;

/**
 * Endpoint configs, each read once per container: a config never changes (deploying a new one
 * makes a new config), so a fleet's scaler, which cycles many endpoints in one container, spares a
 * DescribeEndpointConfig per endpoint per minute.
 */
public final class EndpointConfigs {
  private final SageMakerClient sageMaker;
  private final Map<String, DescribeEndpointConfigResponse> read = new ConcurrentHashMap<>();

  public EndpointConfigs(SageMakerClient sageMaker) {
    this.sageMaker = sageMaker;
  }

  /** @throws inferscale.control.PortFailure when it cannot be read (nothing is kept then) */
  public DescribeEndpointConfigResponse describe(String name) {
    return read.computeIfAbsent(name, n -> AwsFailures.call("DescribeEndpointConfig",
        () -> sageMaker.describeEndpointConfig(b -> b.endpointConfigName(n))));
  }
}
