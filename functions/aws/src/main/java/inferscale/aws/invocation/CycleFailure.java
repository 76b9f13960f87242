package inferscale.aws.invocation;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import inferscale.control.FailureReason;
import inferscale.control.PortFailure;
import inferscale.json.Json;

/**
 * A run that could not decide (or publish) because a read or a write failed: the endpoint is left
 * as it is (a hold), and the handler returns and logs this instead of letting the exception escape.
 * Everything a run writes is an absolute count or whole minutes of forecast, so the next scheduled
 * run simply tries again.
 *
 * @param reason a stable code, like the engine's reason codes, for logs and metric filters
 * @param error what failed, with the service's error code and message (never credentials)
 */
@JsonPropertyOrder({"endpointName", "variantName", "applied", "action", "reason", "error"})
public record CycleFailure(String endpointName, String variantName, FailureReason reason,
    String error) {

  /** A port's classified failure, or any other exception as {@link FailureReason#INTERNAL_ERROR}. */
  public static CycleFailure of(String endpointName, String variantName, RuntimeException e) {
    return e instanceof PortFailure failure
        ? new CycleFailure(endpointName, variantName, failure.reason(), failure.getMessage())
        : new CycleFailure(endpointName, variantName, FailureReason.INTERNAL_ERROR,
            e.getClass().getSimpleName() + ": " + e.getMessage());
  }

  /** Always false: a failed run changes nothing. */
  @JsonProperty
  public boolean applied() {
    return false;
  }

  /** Always HOLD. */
  @JsonProperty
  public String action() {
    return "HOLD";
  }

  public String toJson() {
    try {
      return Json.mapper().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a cycle failure must always serialise", e);
    }
  }
}
