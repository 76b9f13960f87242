package inferscale.control;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import inferscale.decision.Action;
import inferscale.decision.Decision;
import inferscale.decision.UnservedBudget;
import inferscale.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one scaler cycle decided and did: the engine's decision plus whether it was applied and why
 * not. Returned to a manual invoker, logged as one line, and what the backtest records.
 *
 * @param variantName the variant scaled; for a component, the variant it is deployed to
 * @param inferenceComponentName the inference component scaled (its copies are the instances of
 *     the decision), or null for a variant
 * @param trigger what started the cycle
 * @param notApplied why the decision was not applied; empty exactly when {@code applied}
 * @param servingInstances the instances serving when the cycle read the endpoint (the decision's
 *     {@code from} is the desired count, instances still starting included)
 * @param lead the cold start the pre-warm lead was planned with, and where it comes from
 * @param lastAsk the scaler's record of its last ask after this cycle, or null when it has none
 * @param startupMinutes how long the last scale-out took to serve, when this cycle first saw it
 *     served; else null
 * @param fallback the fallback variant's count and the weights, or null without a fallback
 * @param observed values read but not (yet) decided on, such as concurrent requests
 * @param demand the newest minute of requests the cycle could see, or null when it saw none
 * @param budget what the unserved budget's controller measured and set, or null without one
 * @param notes what the cycle could not do as usual (a capacity lookup that failed, an update
 *     refused), each in a sentence; the handler logs each as a warning
 */
@JsonPropertyOrder({
  "endpointName", "variantName", "inferenceComponentName", "trigger", "applied", "notApplied",
  "dryRun", "paused", "status", "servingInstances", "instanceType", "capacity", "forecast", "lead",
  "lastAsk", "startupMinutes", "fallback", "observed", "demand", "budget", "notes", "decision"
})
public record ScalerOutcome(
    String endpointName,
    String variantName,
    @JsonInclude(JsonInclude.Include.NON_NULL) String inferenceComponentName,
    Trigger trigger,
    boolean applied,
    List<NotApplied> notApplied,
    boolean dryRun,
    boolean paused,
    String status,
    int servingInstances,
    String instanceType,
    CapacityCheck capacity,
    ForecastSummary forecast,
    StartupLead lead,
    LastAsk lastAsk,
    Double startupMinutes,
    FallbackPlan fallback,
    Map<String, Double> observed,
    ObservedDemand demand,
    UnservedBudget.State budget,
    List<String> notes,
    Decision decision) {

  public ScalerOutcome {
    notApplied = List.copyOf(notApplied);
    observed = observed == null ? Map.of() : Map.copyOf(observed);
    notes = List.copyOf(notes);
  }

  /** Why a decision was not applied. */
  public enum NotApplied {
    /** The decision keeps the current count. */
    NO_CHANGE,
    /** The request or the deployment asked for a dry run. */
    DRY_RUN,
    /** The operator paused InferScale for this endpoint. */
    PAUSED,
    /** The endpoint is not InService, so SageMaker would refuse an update anyway. */
    ENDPOINT_NOT_IN_SERVICE,
    /** Less time was left than an update may take, so it was not started. */
    NOT_ENOUGH_TIME,
    /**
     * The update was refused or not answered; the count may or may not have been set, and the
     * next cycle sets it again.
     */
    UPDATE_FAILED,
    /**
     * Another run already asked for a larger scale-out in this minute: a run never takes back, in
     * the same minute, what one before it asked for.
     */
    ALREADY_ASKED,
    /**
     * A fleet turn delivered again (or late): an ask was already made in or after the minute it is
     * for, so the turn has been carried out, or a later one overtook it.
     */
    SUPERSEDED
  }

  /**
   * The published forecast as read this cycle, from now to the end of the floor's window.
   *
   * @param channel whose forecast was read (a live deployment's, a dry-run deployment's, the
   *     backtest's)
   * @param usedAsFloor whether it became the decision's predictive floor
   */
  public record ForecastSummary(String channel, int points, Double peakRps, Instant peakAt,
      boolean usedAsFloor, String note) {}

  /** True when this cycle applied a scale-out: the scaler records it, and reads it back. */
  @JsonIgnore
  public boolean scaleOutApplied() {
    return applied && decision.action() == Action.SCALE_OUT;
  }

  public String toJson() {
    try {
      return Json.mapper().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a cycle outcome must always serialise", e);
    }
  }
}
