package inferscale.aws;

import inferscale.decision.EndpointSnapshot;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.inject.Inject;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointConfigResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.DesiredWeightAndCapacity;
import software.amazon.awssdk.services.sagemaker.model.ListTagsRequest;
import software.amazon.awssdk.services.sagemaker.model.ListTagsResponse;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariant;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariantSummary;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.Tag;

/**
 * DescribeEndpoint + DescribeEndpointConfig + ListTags to read; UpdateEndpointWeightsAndCapacities
 * to apply.
 */
public final class SageMakerEndpoints implements EndpointReader, EndpointUpdater {
  private final SageMakerClient sageMaker;

  @Inject
  public SageMakerEndpoints(SageMakerClient sageMaker) {
    this.sageMaker = sageMaker;
  }

  @Override
  public EndpointState read(String endpointName, String variantName) {
    DescribeEndpointResponse endpoint;
    try {
      endpoint = sageMaker.describeEndpoint(b -> b.endpointName(endpointName));
    } catch (SageMakerException e) {
      // SageMaker answers a missing endpoint with a ValidationException ("Could not find…").
      if (e.statusCode() == 400 && String.valueOf(e.getMessage()).contains("Could not find")) {
        throw new EndpointNotFoundException("endpoint " + endpointName + " does not exist", e);
      }
      throw e;
    }
    ProductionVariantSummary variant =
        endpoint.productionVariants().stream()
            .filter(v -> variantName.equals(v.variantName()))
            .findFirst()
            .orElseThrow(
                () ->
                    new EndpointNotFoundException(
                        "endpoint " + endpointName + " has no variant " + variantName
                            + "; it has " + endpoint.productionVariants().stream()
                                .map(ProductionVariantSummary::variantName).toList(),
                        null));

    DescribeEndpointConfigResponse config =
        sageMaker.describeEndpointConfig(b -> b.endpointConfigName(endpoint.endpointConfigName()));
    String instanceType =
        config.productionVariants().stream()
            .filter(v -> variantName.equals(v.variantName()))
            .map(ProductionVariant::instanceTypeAsString)
            .findFirst()
            .orElse(null);

    Map<String, String> tags = new LinkedHashMap<>();
    String nextToken = null;
    do {
      String token = nextToken;
      ListTagsResponse page =
          sageMaker.listTags(
              ListTagsRequest.builder().resourceArn(endpoint.endpointArn()).nextToken(token)
                  .build());
      for (Tag tag : page.tags()) {
        tags.put(tag.key(), tag.value());
      }
      nextToken = page.nextToken();
    } while (nextToken != null && !nextToken.isEmpty());

    Instant lastModified =
        endpoint.lastModifiedTime() != null ? endpoint.lastModifiedTime() : endpoint.creationTime();
    EndpointSnapshot snapshot =
        new EndpointSnapshot(
            endpointName,
            variantName,
            instanceType,
            endpoint.endpointStatusAsString(),
            orZero(variant.currentInstanceCount()),
            variant.desiredInstanceCount() != null
                ? variant.desiredInstanceCount()
                : orZero(variant.currentInstanceCount()),
            lastModified);
    float weight = variant.currentWeight() != null ? variant.currentWeight() : 1.0f;
    return new EndpointState(snapshot, endpoint.endpointArn(), weight, tags);
  }

  @Override
  public void setDesiredInstanceCount(
      String endpointName, String variantName, int count, float weight) {
    sageMaker.updateEndpointWeightsAndCapacities(
        b ->
            b.endpointName(endpointName)
                .desiredWeightsAndCapacities(
                    DesiredWeightAndCapacity.builder()
                        .variantName(variantName)
                        .desiredInstanceCount(count)
                        .desiredWeight(weight)
                        .build()));
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
