package inferscale.control;

import inferscale.decision.EndpointSnapshot;
import java.util.Objects;

/**
 * What the scaler knows about its endpoint variant, or inference component, before it decides and
 * applies.
 *
 * @param paused the operator paused InferScale for this endpoint: decide and explain, change
 *     nothing
 * @param variantWeight the variant's traffic weight, kept as it is when the count changes
 * @param failureReason why SageMaker's last update of the endpoint failed, or null
 * @param lastAsk the scaler's own record of its last change, or null when it has none
 * @param fallback the policy's fallback variant, or null when it names none
 * @param hosting for an inference component, where its copies run; null for a variant, or when
 *     the copies cannot be counted (see {@link #hostingNote})
 * @param hostingNote for an inference component whose copies cannot be counted, why; else null
 */
public record EndpointState(EndpointSnapshot snapshot, boolean paused, float variantWeight,
    String failureReason, LastAsk lastAsk, VariantState fallback, ComponentHosting hosting,
    String hostingNote) {
  public EndpointState {
    Objects.requireNonNull(snapshot, "snapshot");
  }

  /** A variant's state. */
  public EndpointState(EndpointSnapshot snapshot, boolean paused, float variantWeight,
      String failureReason, LastAsk lastAsk, VariantState fallback) {
    this(snapshot, paused, variantWeight, failureReason, lastAsk, fallback, null, null);
  }

  /** A state with no failure, no record of an ask and no fallback. */
  public EndpointState(EndpointSnapshot snapshot, boolean paused, float variantWeight) {
    this(snapshot, paused, variantWeight, null, null, null);
  }
}
