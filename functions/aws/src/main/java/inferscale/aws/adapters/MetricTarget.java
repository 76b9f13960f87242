package inferscale.aws.adapters;

import java.util.List;
import java.util.Objects;

/**
 * What a deployment scales, as its metrics name it: a production variant, or an inference
 * component. SageMaker publishes a variant's metrics by endpoint and variant, a component's by the
 * component alone (its name is unique in the account and Region); InferScale keys its own series
 * for either by the endpoint and the scaled unit.
 *
 * @param variantName the variant scaled, or null when a component is
 * @param inferenceComponentName the component scaled, or null when a variant is
 */
public record MetricTarget(String endpointName, String variantName,
    String inferenceComponentName) {
  public static final String ENDPOINT_NAME = "EndpointName";
  public static final String VARIANT_NAME = "VariantName";
  public static final String INFERENCE_COMPONENT_NAME = "InferenceComponentName";

  public MetricTarget {
    Objects.requireNonNull(endpointName, "endpointName");
    if ((variantName == null) == (inferenceComponentName == null)) {
      throw new IllegalArgumentException(
          "a target is a variant or an inference component, not both nor neither");
    }
  }

  public static MetricTarget variant(String endpointName, String variantName) {
    return new MetricTarget(endpointName, variantName, null);
  }

  public static MetricTarget of(String endpointName, String variantName,
      String inferenceComponentName) {
    return inferenceComponentName == null ? variant(endpointName, variantName)
        : new MetricTarget(endpointName, null, inferenceComponentName);
  }

  /** The dimension naming the scaled unit: VariantName or InferenceComponentName. */
  public String unitDimension() {
    return inferenceComponentName == null ? VARIANT_NAME : INFERENCE_COMPONENT_NAME;
  }

  /** The scaled unit's name: the variant's or the component's. */
  public String unitName() {
    return inferenceComponentName == null ? variantName : inferenceComponentName;
  }

  /** SageMaker's dimensions of the target's own metrics, in the order it publishes them. */
  public List<MetricDimension> sageMakerDimensions() {
    return inferenceComponentName == null ? dimensions()
        : List.of(new MetricDimension(INFERENCE_COMPONENT_NAME, inferenceComponentName));
  }

  /** The endpoint and the scaled unit: InferScale's own series, and the serving container's. */
  public List<MetricDimension> dimensions() {
    return List.of(new MetricDimension(ENDPOINT_NAME, endpointName),
        new MetricDimension(unitDimension(), unitName()));
  }
}
