package inferscale.aws;

import inferscale.decision.EndpointSnapshot;
import java.util.Map;
import java.util.Objects;

/**
 * What the scaler needs to know about one endpoint variant before it decides and applies.
 *
 * @param currentWeight the variant's current weight, kept unchanged when the count is updated
 * @param tags the endpoint's tags; {@link #PAUSED_TAG} = {@code true} pauses InferScale
 */
public record EndpointState(
    EndpointSnapshot snapshot, String endpointArn, float currentWeight, Map<String, String> tags) {
  public static final String PAUSED_TAG = "inferscale:paused";

  public EndpointState {
    Objects.requireNonNull(snapshot, "snapshot");
    tags = Map.copyOf(tags);
  }

  public boolean paused() {
    return "true".equalsIgnoreCase(tags.getOrDefault(PAUSED_TAG, "").trim());
  }
}
