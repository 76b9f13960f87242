package inferscale.aws.adapters;

import inferscale.control.PauseSwitch;
import java.util.Locale;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.GetResourcesResponse;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.ResourceTagMapping;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.Tag;

/**
 * The forecaster's {@link PauseSwitch}: the endpoints carrying the {@link PauseTag} key, from the
 * Resource Groups Tagging API (GetResources, filtered to SageMaker endpoints with that key), so the
 * forecaster needs no SageMaker SDK. Endpoint ARNs end in {@code endpoint/NAME}, the name in lower
 * case, so the match ignores case. The scaler reads the tag from SageMaker itself before it changes
 * anything; this read only spares a paused endpoint its forecasts.
 */
public final class TaggedEndpointPause implements PauseSwitch {
  private final ResourceGroupsTaggingApiClient tagging;
  private final String arnSuffix;

  public TaggedEndpointPause(ResourceGroupsTaggingApiClient tagging, String endpointName) {
    this.tagging = tagging;
    this.arnSuffix = ":endpoint/" + endpointName.toLowerCase(Locale.ROOT);
  }

  @Override
  public boolean paused() {
    String token = null;
    do {
      String next = token;
      GetResourcesResponse page;
      try {
        page = tagging.getResources(b -> b.resourceTypeFilters("sagemaker:endpoint")
            .tagFilters(f -> f.key(PauseTag.KEY))
            .paginationToken(next));
      } catch (SdkException e) {
        throw AwsFailures.of("GetResources", e);
      }
      for (ResourceTagMapping resource : page.resourceTagMappingList()) {
        if (resource.resourceARN().toLowerCase(Locale.ROOT).endsWith(arnSuffix)) {
          return resource.tags().stream().filter(t -> PauseTag.KEY.equals(t.key()))
              .map(Tag::value).anyMatch(PauseTag::pauses);
        }
      }
      token = page.paginationToken();
    } while (token != null && !token.isEmpty());
    return false;
  }
}
