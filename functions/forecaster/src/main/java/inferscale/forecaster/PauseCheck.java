package inferscale.forecaster;

import inferscale.aws.EndpointState;
import javax.inject.Inject;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.ListTagsResponse;
import software.amazon.awssdk.services.sagemaker.model.Tag;

/**
 * Whether an endpoint carries the pause tag {@value EndpointState#PAUSED_TAG} = {@code true}, the
 * same tag the scaler honours: DescribeEndpoint for the ARN, then ListTags.
 */
public class PauseCheck {
  private final SageMakerClient sageMaker;

  @Inject
  public PauseCheck(SageMakerClient sageMaker) {
    this.sageMaker = sageMaker;
  }

  /** @throws software.amazon.awssdk.core.exception.SdkException when the tags cannot be read */
  public boolean paused(String endpointName) {
    String arn = sageMaker.describeEndpoint(b -> b.endpointName(endpointName)).endpointArn();
    String token = null;
    do {
      String next = token;
      ListTagsResponse page = sageMaker.listTags(b -> b.resourceArn(arn).nextToken(next));
      for (Tag tag : page.tags()) {
        if (EndpointState.PAUSED_TAG.equals(tag.key())) {
          return "true".equalsIgnoreCase(String.valueOf(tag.value()).trim());
        }
      }
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
    return false;
  }
}
