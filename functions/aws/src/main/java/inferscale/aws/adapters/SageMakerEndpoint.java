package inferscale.aws.adapters;

import inferscale.control.EndpointControl;
import inferscale.control.EndpointState;
import inferscale.control.FallbackPlan;
import inferscale.control.LastAsk;
import inferscale.control.VariantState;
import inferscale.control.FailureReason;
import inferscale.control.PortFailure;
import inferscale.decision.EndpointSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointConfigResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.DesiredWeightAndCapacity;
import software.amazon.awssdk.services.sagemaker.model.ListTagsResponse;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariant;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariantSummary;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.Tag;

/**
 * One production variant of a SageMaker endpoint as the scaler's {@link EndpointControl}:
 * DescribeEndpoint + DescribeEndpointConfig + ListTags (the {@link PauseTag} and the {@link
 * AskTag}) to read, UpdateEndpointWeightsAndCapacities to apply (with the fallback variant, when
 * the policy names one, in the same call), AddTags to keep the record of the last ask.
 */
public final class SageMakerEndpoint implements EndpointControl {

  private final SageMakerClient sageMaker;
  private final EndpointConfigs configs;
  private final String endpointName;
  private final String variantName;
  private final String fallbackVariant;
  private final Duration updateBudget;
  /** As the last read found it: the tag is kept on it without describing the endpoint again. */
  private String endpointArn;

  /**
   * @param updateBudget the most an update may take: its whole-call timeout, and time to log the
   *     result and the record of a scale-out after it
   */
  public SageMakerEndpoint(SageMakerClient sageMaker, String endpointName, String variantName,
      Duration updateBudget) {
    this(sageMaker, new EndpointConfigs(sageMaker), endpointName, variantName, null,
        updateBudget);
  }

  /**
   * @param configs the container's endpoint configs, read once each
   * @param fallbackVariant the policy's fallback variant, or null
   */
  public SageMakerEndpoint(SageMakerClient sageMaker, EndpointConfigs configs,
      String endpointName, String variantName, String fallbackVariant, Duration updateBudget) {
    this.sageMaker = sageMaker;
    this.configs = configs;
    this.endpointName = endpointName;
    this.variantName = variantName;
    this.fallbackVariant = fallbackVariant;
    this.updateBudget = updateBudget;
  }

  @Override
  public EndpointState read() {
    DescribeEndpointResponse endpoint = describe();
    ProductionVariantSummary variant = endpoint.productionVariants().stream()
        .filter(v -> variantName.equals(v.variantName()))
        .findFirst()
        .orElseThrow(() -> new PortFailure(FailureReason.ENDPOINT_NOT_FOUND, "endpoint "
            + endpointName + " has no variant " + variantName + "; it has "
            + endpoint.productionVariants().stream().map(ProductionVariantSummary::variantName)
                .toList(), null));
    DescribeEndpointConfigResponse config = configs.describe(endpoint.endpointConfigName());
    String instanceType = instanceType(config, variantName);
    Instant lastModified =
        endpoint.lastModifiedTime() != null ? endpoint.lastModifiedTime() : endpoint.creationTime();
    int serving = orZero(variant.currentInstanceCount());
    EndpointSnapshot snapshot = new EndpointSnapshot(endpointName, variantName, instanceType,
        endpoint.endpointStatusAsString(), serving,
        variant.desiredInstanceCount() != null ? variant.desiredInstanceCount() : serving,
        lastModified);
    endpointArn = endpoint.endpointArn();
    Map<String, String> tags = tags(endpointArn);
    return new EndpointState(snapshot, PauseTag.pauses(tags.get(PauseTag.KEY)), weight(variant),
        endpoint.failureReason(), AskTag.parse(tags.get(AskTag.KEY)), fallback(endpoint, config));
  }

  /** The fallback variant as read, or null when the policy names none or the endpoint lacks it. */
  private VariantState fallback(DescribeEndpointResponse endpoint,
      DescribeEndpointConfigResponse config) {
    if (fallbackVariant == null) {
      return null;
    }
    return endpoint.productionVariants().stream()
        .filter(v -> fallbackVariant.equals(v.variantName()))
        .findFirst()
        .map(v -> new VariantState(fallbackVariant, instanceType(config, fallbackVariant),
            orZero(v.currentInstanceCount()), v.desiredInstanceCount() != null
                ? v.desiredInstanceCount() : orZero(v.currentInstanceCount()), weight(v)))
        .orElse(null);
  }

  static String instanceType(DescribeEndpointConfigResponse config, String variant) {
    return variantConfig(config, variant).map(ProductionVariant::instanceTypeAsString)
        .orElse(null);
  }

  /** The variant as the endpoint config declares it, if it does. */
  static Optional<ProductionVariant> variantConfig(DescribeEndpointConfigResponse config,
      String variant) {
    return config.productionVariants().stream()
        .filter(v -> variant.equals(v.variantName()))
        .findFirst();
  }

  private static float weight(ProductionVariantSummary variant) {
    return variant.currentWeight() != null ? variant.currentWeight() : 1.0f;
  }

  @Override
  public void setDesiredInstances(EndpointState asRead, int count, FallbackPlan fallback) {
    List<DesiredWeightAndCapacity> variants = new ArrayList<>();
    variants.add(DesiredWeightAndCapacity.builder()
        .variantName(variantName)
        .desiredInstanceCount(count)
        .desiredWeight(fallback == null ? asRead.variantWeight() : fallback.primaryWeight())
        .build());
    if (fallback != null) {
      variants.add(DesiredWeightAndCapacity.builder()
          .variantName(fallback.variantName())
          .desiredInstanceCount(fallback.fallbackInstances())
          .desiredWeight(fallback.fallbackWeight())
          .build());
    }
    AwsFailures.call("UpdateEndpointWeightsAndCapacities",
        () -> sageMaker.updateEndpointWeightsAndCapacities(
            b -> b.endpointName(endpointName).desiredWeightsAndCapacities(variants)));
  }

  @Override
  public void remember(LastAsk ask) {
    remember(sageMaker, endpointArn != null ? endpointArn : describe().endpointArn(), ask);
  }

  /** Keeps the record of the last ask in the {@link AskTag} of the resource at {@code arn}. */
  static void remember(SageMakerClient sageMaker, String arn, LastAsk ask) {
    AwsFailures.call("AddTags", () -> sageMaker.addTags(b -> b.resourceArn(arn)
        .tags(Tag.builder().key(AskTag.KEY).value(AskTag.value(ask)).build())));
  }

  @Override
  public Duration updateBudget() {
    return updateBudget;
  }

  private DescribeEndpointResponse describe() {
    return describe(sageMaker, endpointName);
  }

  /** The endpoint, or a {@link FailureReason#ENDPOINT_NOT_FOUND} failure when there is none. */
  static DescribeEndpointResponse describe(SageMakerClient sageMaker, String endpointName) {
    return describing("DescribeEndpoint", "endpoint " + endpointName,
        () -> sageMaker.describeEndpoint(b -> b.endpointName(endpointName)));
  }

  /**
   * A Describe call's answer, or a {@link FailureReason#ENDPOINT_NOT_FOUND} failure saying {@code
   * what} does not exist: SageMaker answers a missing resource with a ValidationException ("Could
   * not find…").
   */
  static <T> T describing(String action, String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (SageMakerException e) {
      if (e.statusCode() == 400 && String.valueOf(e.getMessage()).contains("Could not find")) {
        throw new PortFailure(FailureReason.ENDPOINT_NOT_FOUND, what + " does not exist", e);
      }
      throw AwsFailures.of(action, e);
    } catch (SdkException e) {
      throw AwsFailures.of(action, e);
    }
  }

  private Map<String, String> tags(String arn) {
    return tags(sageMaker, arn);
  }

  /** A SageMaker resource's tags, every page of them. */
  static Map<String, String> tags(SageMakerClient sageMaker, String arn) {
    Map<String, String> tags = new LinkedHashMap<>();
    String token = null;
    do {
      String next = token;
      ListTagsResponse page = AwsFailures.call("ListTags",
          () -> sageMaker.listTags(b -> b.resourceArn(arn).nextToken(next)));
      for (Tag tag : page.tags()) {
        tags.put(tag.key(), tag.value());
      }
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
    return tags;
  }

  /** A count SageMaker may leave out, 0 where it does. */
  static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
