package inferscale.control;

import inferscale.decision.EndpointSnapshot;
import java.util.Objects;

/**
 * What the scaler knows about its endpoint variant before it decides and applies.
 *
 * @param paused the operator paused InferScale for this endpoint: decide and explain, change
 *     nothing
 * @param variantWeight the variant's traffic weight, kept as it is when the count changes
 */
public record EndpointState(EndpointSnapshot snapshot, boolean paused, float variantWeight) {
  public EndpointState {
    Objects.requireNonNull(snapshot, "snapshot");
  }
}
