package inferscale.aws.adapters;

import inferscale.control.FailureReason;
import inferscale.control.PortFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.GetResourcesResponse;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.ResourceTagMapping;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.Tag;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointConfigResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.EndpointSummary;
import software.amazon.awssdk.services.sagemaker.model.InferenceComponentSummary;
import software.amazon.awssdk.services.sagemaker.model.ListEndpointsResponse;
import software.amazon.awssdk.services.sagemaker.model.ListInferenceComponentsResponse;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariantSummary;

/**
 * The account's endpoints in the region, as the fleet dispatcher sees them: each one's variants
 * (instance type, desired and current counts) from SageMaker, and the tags of those opted in from
 * the Resource Groups Tagging API, one request for up to 100 of them. An endpoint is described
 * again only when ListEndpoints shows it changed since (an update of its counts changes its
 * LastModifiedTime), several at a time; endpoint configs never change, so each is read once
 * per container ({@link EndpointConfigs}). Inference components opt in by their own tags too.
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
  public record Endpoint(String name, List<Variant> variants, Map<String, String> tags) {
    public Endpoint {
      variants = List.copyOf(variants);
      tags = Map.copyOf(tags);
    }
  }

  /** An inference component opted in by its own tags, and the endpoint it is deployed to. */
  public record Component(String name, String endpointName, Map<String, String> tags) {
    public Component {
      tags = Map.copyOf(tags);
    }
  }

  /**
   * One read of the directory.
   *
   * @param notes what could not be read as usual (an endpoint whose description failed, kept as
   *     it was last described), each in a sentence
   */
  public record Read(List<Endpoint> endpoints, List<Component> components, List<String> notes) {
    public Read {
      endpoints = List.copyOf(endpoints);
      components = List.copyOf(components);
      notes = List.copyOf(notes);
    }
  }

  /** Describes in flight at once: a refresh of 1,000 endpoints in seconds, not a minute. */
  static final int PARALLEL_DESCRIBES = 8;

  private final SageMakerClient sageMaker;
  private final EndpointConfigs configs;
  private final ResourceGroupsTaggingApiClient tagging;
  /** Each endpoint as last described, with the LastModifiedTime it was described at. */
  private final Map<String, Described> described = new ConcurrentHashMap<>();

  /**
   * How long a description is trusted while ListEndpoints shows no change: a count SageMaker
   * changes without touching LastModifiedTime is read again within this.
   */
  static final Duration REDESCRIBE_AFTER = Duration.ofHours(1);
  private static final String IN_SERVICE = "InService";

  private record Described(Instant lastModified, Instant at, String status,
      List<Variant> variants) {}

  public FleetDirectory(SageMakerClient sageMaker, ResourceGroupsTaggingApiClient tagging) {
    this.sageMaker = sageMaker;
    this.configs = new EndpointConfigs(sageMaker);
    this.tagging = tagging;
  }

  /**
   * Every endpoint, with the tags of those carrying {@code optInKey}, and the components carrying
   * it.
   *
   * @param now when the descriptions read now are made, to read them again in time
   * @throws PortFailure when a list fails (one endpoint's description failing is a note)
   */
  public Read read(String optInKey, Instant now) {
    List<String> notes = new ArrayList<>();
    List<Endpoint> endpoints = endpoints(optInKey, now, notes);
    return new Read(endpoints, components(optInKey), notes);
  }

  private List<Endpoint> endpoints(String optInKey, Instant now, List<String> notes) {
    Map<String, Map<String, String>> tagged = tagged("sagemaker:endpoint", optInKey);
    List<EndpointSummary> summaries = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      ListEndpointsResponse page = AwsFailures.call("ListEndpoints",
          () -> sageMaker.listEndpoints(b -> b.maxResults(100).nextToken(next)));
      summaries.addAll(page.endpoints());
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
    described.keySet().retainAll(summaries.stream().map(EndpointSummary::endpointName)
        .collect(Collectors.toSet()));
    List<EndpointSummary> changed = summaries.stream().filter(summary -> {
      Described known = described.get(summary.endpointName());
      // One being created or updated is read again until it settles.
      return known == null || !known.lastModified().equals(summary.lastModifiedTime())
          || !IN_SERVICE.equals(known.status()) || !now.isBefore(known.at().plus(REDESCRIBE_AFTER));
    }).toList();
    describeAll(changed, now, notes);
    List<Endpoint> endpoints = new ArrayList<>();
    for (EndpointSummary summary : summaries) {
      Described known = described.get(summary.endpointName());
      Map<String, String> tags = tagged.getOrDefault(
          summary.endpointName().toLowerCase(Locale.ROOT), Map.of());
      if (known != null) { // else deleted since the list, or never described
        endpoints.add(new Endpoint(summary.endpointName(), known.variants(), tags));
      }
    }
    return endpoints;
  }

  private void describeAll(List<EndpointSummary> summaries, Instant now, List<String> notes) {
    if (summaries.isEmpty()) {
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(
        Math.min(PARALLEL_DESCRIBES, summaries.size()));
    try {
      List<Future<?>> done = new ArrayList<>();
      for (EndpointSummary summary : summaries) {
        done.add(pool.submit(() -> describe(summary, now)));
      }
      for (int i = 0; i < done.size(); i++) {
        try {
          done.get(i).get();
        } catch (ExecutionException e) {
          // One endpoint's description failing (throttled, say) must not stop the fleet: it is
          // kept as last described, or left out until it can be read.
          String name = summaries.get(i).endpointName();
          notes.add("endpoint " + name + " could not be described ("
              + e.getCause().getMessage() + "): " + (described.containsKey(name)
              ? "kept as last described" : "left out this cycle"));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PortFailure(FailureReason.AWS_TIMEOUT, "interrupted describing endpoints", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private void describe(EndpointSummary summary, Instant now) {
    DescribeEndpointResponse endpoint;
    try {
      endpoint = SageMakerEndpoint.describe(sageMaker, summary.endpointName());
    } catch (PortFailure e) {
      if (e.reason() == FailureReason.ENDPOINT_NOT_FOUND) {
        described.remove(summary.endpointName()); // deleted since the list: it holds nothing
        return;
      }
      throw e;
    }
    DescribeEndpointConfigResponse config = endpoint.endpointConfigName() == null ? null
        : configs.describe(endpoint.endpointConfigName());
    List<Variant> variants = new ArrayList<>();
    for (ProductionVariantSummary v : endpoint.productionVariants()) {
      variants.add(new Variant(v.variantName(),
          config == null ? null : SageMakerEndpoint.instanceType(config, v.variantName()),
          SageMakerEndpoint.orZero(v.desiredInstanceCount()),
          SageMakerEndpoint.orZero(v.currentInstanceCount())));
    }
    described.put(summary.endpointName(), new Described(summary.lastModifiedTime(), now,
        endpoint.endpointStatusAsString(), variants));
  }

  /**
   * The inference components carrying {@code optInKey}, with their tags and endpoint (from
   * ListInferenceComponents, read only when some component carries the key).
   */
  private List<Component> components(String optInKey) {
    Map<String, Map<String, String>> tagged = tagged("sagemaker:inference-component", optInKey);
    if (tagged.isEmpty()) {
      return List.of();
    }
    List<Component> components = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      ListInferenceComponentsResponse page = AwsFailures.call("ListInferenceComponents",
          () -> sageMaker.listInferenceComponents(b -> b.maxResults(100).nextToken(next)));
      for (InferenceComponentSummary summary : page.inferenceComponents()) {
        Map<String, String> tags = tagged.get(
            summary.inferenceComponentName().toLowerCase(Locale.ROOT));
        if (tags != null) {
          components.add(new Component(summary.inferenceComponentName(), summary.endpointName(),
              tags));
        }
      }
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
    return components;
  }

  /**
   * The tags of every resource of {@code resourceType} carrying {@code key}, by lower-cased name
   * (SageMaker ARNs hold the name in lower case; the List calls have it as created).
   */
  private Map<String, Map<String, String>> tagged(String resourceType, String key) {
    Map<String, Map<String, String>> tagged = new HashMap<>();
    String token = null;
    do {
      String next = token;
      GetResourcesResponse page = AwsFailures.call("GetResources",
          () -> tagging.getResources(b -> b.resourceTypeFilters(resourceType)
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
