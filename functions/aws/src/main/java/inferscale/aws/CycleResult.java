package inferscale.aws;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import inferscale.decision.Decision;
import inferscale.json.Json;
import java.util.List;
import java.util.Map;

/**
 * What one scaler cycle decided and did: the engine's decision plus whether it was applied and why
 * not. Returned to a manual invoker and logged as one line.
 *
 * @param notApplied why the decision was not applied; empty exactly when {@code applied}
 * @param observed values read but not (yet) decided on, such as concurrent requests
 */
@JsonPropertyOrder({
  "endpointName", "variantName", "applied", "notApplied", "dryRun", "paused", "status",
  "instanceType", "capacity", "forecast", "observed", "decision"
})
public record CycleResult(
    String endpointName,
    String variantName,
    boolean applied,
    List<NotApplied> notApplied,
    boolean dryRun,
    boolean paused,
    String status,
    String instanceType,
    CapacityCheck capacity,
    ForecastSummary forecast,
    Map<String, Double> observed,
    Decision decision) {

  /** Why a decision was not applied. */
  public enum NotApplied {
    /** The decision keeps the current count. */
    NO_CHANGE,
    /** The request or the deployment asked for a dry run. */
    DRY_RUN,
    /** The endpoint carries the tag {@code inferscale:paused = true}. */
    PAUSED,
    /** The endpoint is not InService, so SageMaker would refuse an update anyway. */
    ENDPOINT_NOT_IN_SERVICE,
    /**
     * Less than {@link ScalingCycle#UPDATE_BUDGET} of the invocation was left, so the update was
     * not started.
     */
    NOT_ENOUGH_TIME,
    /**
     * SageMaker rejected the update or did not answer (after the SDK's bounded retries); the
     * count may or may not have been set, and the next cycle sets it again.
     */
    UPDATE_FAILED
  }

  /**
   * The published forecast as read this cycle.
   *
   * @param channel whose forecast was read: a live deployment's or a dry-run deployment's
   * @param usedAsFloor whether it became the decision's predictive floor
   */
  public record ForecastSummary(ForecastChannel channel, int points, Double peakRps,
      String peakAt, boolean usedAsFloor, String note) {}

  public CycleResult {
    notApplied = List.copyOf(notApplied);
    observed = observed == null ? Map.of() : Map.copyOf(observed);
  }

  public String toJson() {
    try {
      return Json.mapper().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a cycle result must always serialise", e);
    }
  }
}
