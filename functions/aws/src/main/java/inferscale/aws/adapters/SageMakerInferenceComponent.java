package inferscale.aws.adapters;

import inferscale.control.EndpointControl;
import inferscale.control.EndpointState;
import inferscale.control.FailureReason;
import inferscale.control.FallbackPlan;
import inferscale.control.LastAsk;
import inferscale.control.PortFailure;
import inferscale.decision.EndpointSnapshot;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointConfigResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeInferenceComponentResponse;

/**
 * An inference component as the scaler's {@link EndpointControl}: its copies are the instances the
 * engine counts. DescribeInferenceComponent, DescribeEndpoint, DescribeEndpointConfig (the
 * instance type its variant runs on) and ListTags on the component (its {@link PauseTag} and
 * {@link AskTag}) to read; UpdateInferenceComponentRuntimeConfig to apply; AddTags on the
 * component to keep the record of the last ask. Instances under the copies are the endpoint's
 * business (its managed instance scaling).
 */
public final class SageMakerInferenceComponent implements EndpointControl {
  private final SageMakerClient sageMaker;
  private final String endpointName;
  private final String componentName;
  private final Duration updateBudget;
  /** As the last read found it: the tag is kept on it without describing the component again. */
  private String componentArn;

  /** @param updateBudget the most an update may take, as for a variant */
  public SageMakerInferenceComponent(SageMakerClient sageMaker, String endpointName,
      String componentName, Duration updateBudget) {
    this.sageMaker = sageMaker;
    this.endpointName = endpointName;
    this.componentName = componentName;
    this.updateBudget = updateBudget;
  }

  @Override
  public EndpointState read() {
    DescribeInferenceComponentResponse component = describe();
    if (!endpointName.equals(component.endpointName())) {
      throw new PortFailure(FailureReason.ENDPOINT_NOT_FOUND, "inference component "
          + componentName + " is deployed to endpoint " + component.endpointName() + ", not "
          + endpointName, null);
    }
    DescribeEndpointResponse endpoint = SageMakerEndpoint.describe(sageMaker, endpointName);
    DescribeEndpointConfigResponse config = AwsFailures.call("DescribeEndpointConfig", () ->
        sageMaker.describeEndpointConfig(b -> b.endpointConfigName(endpoint.endpointConfigName())));
    String variant = component.variantName();
    int current = orZero(component.runtimeConfig() == null ? null
        : component.runtimeConfig().currentCopyCount());
    Integer desired = component.runtimeConfig() == null ? null
        : component.runtimeConfig().desiredCopyCount();
    // An update of either holds the other: report whichever is not in service.
    String status = "InService".equals(component.inferenceComponentStatusAsString())
        ? endpoint.endpointStatusAsString() : component.inferenceComponentStatusAsString();
    EndpointSnapshot snapshot = new EndpointSnapshot(endpointName, variant,
        SageMakerEndpoint.instanceType(config, variant), status, current,
        desired != null ? desired : current, component.lastModifiedTime() != null
            ? component.lastModifiedTime() : component.creationTime());
    componentArn = component.inferenceComponentArn();
    Map<String, String> tags = SageMakerEndpoint.tags(sageMaker, componentArn);
    return new EndpointState(snapshot, PauseTag.pauses(tags.get(PauseTag.KEY)), 1.0f,
        component.failureReason(), AskTag.parse(tags.get(AskTag.KEY)), null);
  }

  /** Asks for {@code count} copies; a component has no fallback variant to shift traffic to. */
  @Override
  public void setDesiredInstances(EndpointState asRead, int count, FallbackPlan fallback) {
    if (fallback != null) {
      throw new IllegalArgumentException("an inference component has no fallback variant");
    }
    AwsFailures.call("UpdateInferenceComponentRuntimeConfig",
        () -> sageMaker.updateInferenceComponentRuntimeConfig(b -> b
            .inferenceComponentName(componentName)
            .desiredRuntimeConfig(c -> c.copyCount(count))));
  }

  @Override
  public void remember(LastAsk ask) {
    SageMakerEndpoint.remember(sageMaker,
        componentArn != null ? componentArn : describe().inferenceComponentArn(), ask);
  }

  @Override
  public Duration updateBudget() {
    return updateBudget;
  }

  private DescribeInferenceComponentResponse describe() {
    return SageMakerEndpoint.describing("DescribeInferenceComponent",
        "inference component " + componentName, () -> sageMaker.describeInferenceComponent(
            b -> b.inferenceComponentName(componentName)));
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
