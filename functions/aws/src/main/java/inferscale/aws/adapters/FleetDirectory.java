package inferscale.aws.adapters;

import inferscale.control.FailureReason;
import inferscale.control.PortFailure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.GetResourcesResponse;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.ResourceTagMapping;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.Tag;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.EndpointSummary;
import software.amazon.awssdk.services.sagemaker.model.ListEndpointsResponse;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariantSummary;

/**
 * The account's endpoints in the region, as the fleet dispatcher sees them: each one's variants
 * (instance type, desired and current counts) from SageMaker, and the tags of those opted in from
 * the Resource Groups Tagging API, one request for up to 100 of them. Endpoint configs never
 * change, so each one's instance types are read once per container.
 */
public final class FleetDirectory {
  /** One variant: what it holds of its instance type (null for a serverless variant). */
  public record Variant(String name, String instanceType, int desired, int current) {
    /** The instances it holds or has asked for: what counts against the account's quota. */
    public int held() {
      return Math.max(desired, current);
    }
  }

  /** @param tags the endpoint's tags when it carries {@code optInKey}, else empty */
  public record Endpoint(String name, String status, List<Variant> variants,
      Map<String, String> tags) {
    public Endpoint {
      variants = List.copyOf(variants);
      tags = Map.copyOf(tags);
    }
  }

  private final SageMakerClient sageMaker;
  private final ResourceGroupsTaggingApiClient tagging;
  /** Endpoint config → variant → instance type; configs are immutable. */
  private final Map<String, Map<String, String>> configTypes = new HashMap<>();

  public FleetDirectory(SageMakerClient sageMaker, ResourceGroupsTaggingApiClient tagging) {
    this.sageMaker = sageMaker;
    this.tagging = tagging;
  }

  /**
   * Every endpoint, with the tags of those carrying {@code optInKey}.
   *
   * @throws PortFailure when a read fails
   */
  public List<Endpoint> endpoints(String optInKey) {
    Map<String, Map<String, String>> tagged = tagged(optInKey);
    List<Endpoint> endpoints = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      ListEndpointsResponse page = AwsFailures.call("ListEndpoints",
          () -> sageMaker.listEndpoints(b -> b.maxResults(100).nextToken(next)));
      for (EndpointSummary summary : page.endpoints()) {
        endpoints.add(endpoint(summary, tagged.getOrDefault(
            summary.endpointName().toLowerCase(Locale.ROOT), Map.of())));
      }
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
    return endpoints;
  }

  private Endpoint endpoint(EndpointSummary summary, Map<String, String> tags) {
    DescribeEndpointResponse described;
    try {
      described = SageMakerEndpoint.describe(sageMaker, summary.endpointName());
    } catch (PortFailure e) {
      if (e.reason() == FailureReason.ENDPOINT_NOT_FOUND) {
        // deleted since the list: it holds nothing
        return new Endpoint(summary.endpointName(), "Deleted", List.of(), tags);
      }
      throw e;
    }
    Map<String, String> types = described.endpointConfigName() == null ? Map.of()
        : configTypes.computeIfAbsent(described.endpointConfigName(), this::instanceTypes);
    List<Variant> variants = new ArrayList<>();
    for (ProductionVariantSummary v : described.productionVariants()) {
      variants.add(new Variant(v.variantName(), types.get(v.variantName()),
          SageMakerEndpoint.orZero(v.desiredInstanceCount()),
          SageMakerEndpoint.orZero(v.currentInstanceCount())));
    }
    return new Endpoint(summary.endpointName(), described.endpointStatusAsString(), variants,
        tags);
  }

  private Map<String, String> instanceTypes(String configName) {
    Map<String, String> types = new LinkedHashMap<>();
    AwsFailures.call("DescribeEndpointConfig",
        () -> sageMaker.describeEndpointConfig(b -> b.endpointConfigName(configName)))
        .productionVariants().forEach(v -> {
          if (v.instanceTypeAsString() != null) {
            types.put(v.variantName(), v.instanceTypeAsString());
          }
        });
    return types;
  }

  /**
   * The tags of every endpoint carrying {@code key}, by lower-cased name (endpoint ARNs hold the
   * name in lower case; ListEndpoints has it as created).
   */
  private Map<String, Map<String, String>> tagged(String key) {
    Map<String, Map<String, String>> tagged = new HashMap<>();
    String token = null;
    do {
      String next = token;
      GetResourcesResponse page = AwsFailures.call("GetResources",
          () -> tagging.getResources(b -> b.resourceTypeFilters("sagemaker:endpoint")
              .tagFilters(f -> f.key(key)).resourcesPerPage(100).paginationToken(next)));
      for (ResourceTagMapping resource : page.resourceTagMappingList()) {
        String arn = resource.resourceARN();
        Map<String, String> tags = new LinkedHashMap<>();
        for (Tag tag : resource.tags()) {
          tags.put(tag.key(), tag.value());
        }
        tagged.put(arn.substring(arn.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT), tags);
      }
      token = page.paginationToken();
    } while (token != null && !token.isEmpty());
    return tagged;
  }
}
