package inferscale.aws.adapters;

import inferscale.control.EndpointControl;
import inferscale.control.EndpointState;
import inferscale.control.FailureReason;
import inferscale.control.FallbackPlan;
import inferscale.control.LastAsk;
import inferscale.control.PortFailure;
import inferscale.decision.EndpointSnapshot;
import inferscale.control.ComponentHosting;
import inferscale.sizing.InstanceCatalog;
import inferscale.sizing.InstanceType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointConfigResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeInferenceComponentResponse;
import software.amazon.awssdk.services.sagemaker.model.InferenceComponentComputeResourceRequirements;
import software.amazon.awssdk.services.sagemaker.model.InferenceComponentRuntimeConfigSummary;
import software.amazon.awssdk.services.sagemaker.model.InferenceComponentSummary;
import software.amazon.awssdk.services.sagemaker.model.ListInferenceComponentsResponse;
import software.amazon.awssdk.services.sagemaker.model.ManagedInstanceScalingStatus;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariant;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariantManagedInstanceScaling;

/**
 * An inference component as the scaler's {@link EndpointControl}: its copies are the instances the
 * engine counts. DescribeInferenceComponent, DescribeEndpoint, DescribeEndpointConfig (the
 * instance type its variant runs on, its managed instance scaling), ListInferenceComponents and
 * DescribeInferenceComponent of the others on the variant (what copies they take) and ListTags on
 * the component (its {@link PauseTag} and {@link AskTag}) to read;
 * UpdateInferenceComponentRuntimeConfig to apply; AddTags on the component to keep the record of
 * the last ask. Instances under the copies are the endpoint's business (its managed instance
 * scaling); the read says how many copies they can hold ({@link ComponentHosting}).
 */
public final class SageMakerInferenceComponent implements EndpointControl {
  private static final InstanceCatalog INSTANCE_TYPES = InstanceCatalog.builtIn();
  private final SageMakerClient sageMaker;
  private final EndpointConfigs configs;
  private final String endpointName;
  private final String componentName;
  private final Duration updateBudget;
  /** As the last read found it: the tag is kept on it without describing the component again. */
  private String componentArn;

  /**
   * @param configs the container's endpoint configs, read once each
   * @param updateBudget the most an update may take, as for a variant
   */
  public SageMakerInferenceComponent(SageMakerClient sageMaker, EndpointConfigs configs,
      String endpointName, String componentName, Duration updateBudget) {
    this.sageMaker = sageMaker;
    this.configs = configs;
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
    DescribeEndpointConfigResponse config = configs.describe(endpoint.endpointConfigName());
    String variant = component.variantName();
    int current = copies(component, InferenceComponentRuntimeConfigSummary::currentCopyCount);
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
    ComponentHosting hosting = null;
    String hostingNote;
    double perCopy = acceleratorsPerCopy(component);
    Optional<InstanceType> type = INSTANCE_TYPES.find(snapshot.instanceType());
    if (perCopy <= 0) {
      hostingNote = "copies not capped: a copy of " + componentName + " requires no accelerator";
    } else if (type.isEmpty()) {
      hostingNote = "copies not capped: the accelerators of " + snapshot.instanceType()
          + " are not in the instance catalog";
    } else {
      hostingNote = null;
      hosting = hosting(endpoint, config, variant, type.get(), perCopy);
    }
    return new EndpointState(snapshot, PauseTag.pauses(tags.get(PauseTag.KEY)), 1.0f,
        component.failureReason(), AskTag.parse(tags.get(AskTag.KEY)), null, hosting,
        hostingNote);
  }

  /**
   * The variant's instances and what the endpoint's other components on it take: the more of the
   * copies they ask for (SageMaker will place them) and those they hold (a scale-in's until it
   * is done).
   */
  private ComponentHosting hosting(DescribeEndpointResponse endpoint,
      DescribeEndpointConfigResponse config, String variant, InstanceType type, double perCopy) {
    int instances = endpoint.productionVariants().stream()
        .filter(v -> variant.equals(v.variantName()))
        .mapToInt(v -> SageMakerEndpoint.orZero(v.currentInstanceCount()))
        .findFirst().orElse(0);
    ProductionVariantManagedInstanceScaling managed = SageMakerEndpoint
        .variantConfig(config, variant)
        .map(ProductionVariant::managedInstanceScaling)
        .filter(m -> m.status() == ManagedInstanceScalingStatus.ENABLED)
        .orElse(null);
    double others = 0;
    for (String other : otherComponents(variant)) {
      DescribeInferenceComponentResponse described = describe(other);
      others += acceleratorsPerCopy(described) * Math.max(
          copies(described, InferenceComponentRuntimeConfigSummary::desiredCopyCount),
          copies(described, InferenceComponentRuntimeConfigSummary::currentCopyCount));
    }
    return new ComponentHosting(type.name(), instances, type.accelerators(), perCopy, others,
        managed != null, managed == null ? null : managed.maxInstanceCount());
  }

  private List<String> otherComponents(String variant) {
    List<String> names = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      ListInferenceComponentsResponse page = AwsFailures.call("ListInferenceComponents",
          () -> sageMaker.listInferenceComponents(b -> b.endpointNameEquals(endpointName)
              .variantNameEquals(variant).nextToken(next)));
      for (InferenceComponentSummary summary : page.inferenceComponents()) {
        if (!componentName.equals(summary.inferenceComponentName())) {
          names.add(summary.inferenceComponentName());
        }
      }
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
    return names;
  }

  private static double acceleratorsPerCopy(DescribeInferenceComponentResponse component) {
    InferenceComponentComputeResourceRequirements needs = component.specification() == null
        ? null : component.specification().computeResourceRequirements();
    return needs == null || needs.numberOfAcceleratorDevicesRequired() == null ? 0
        : needs.numberOfAcceleratorDevicesRequired();
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
    return describe(componentName);
  }

  private DescribeInferenceComponentResponse describe(String name) {
    return SageMakerEndpoint.describing("DescribeInferenceComponent",
        "inference component " + name, () -> sageMaker.describeInferenceComponent(
            b -> b.inferenceComponentName(name)));
  }

  /** One of a component's copy counts, 0 where it reports none. */
  private static int copies(DescribeInferenceComponentResponse component,
      Function<InferenceComponentRuntimeConfigSummary, Integer> count) {
    return SageMakerEndpoint.orZero(component.runtimeConfig() == null ? null
        : count.apply(component.runtimeConfig()));
  }
}
