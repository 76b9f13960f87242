package inferscale.decision;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import inferscale.json.Json;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of one cycle, explained: the action, the per-signal recommendations, the floors, the
 * trail of the rules that acted, the binding constraint, the reason codes and one human sentence.
 *
 * @param reactive the count the fresh signals ask for, null when none is fresh
 * @param bindingConstraint the reason of the trail's last entry that set the count
 * @param bindingSignal the signal that entry is about (for {@code DEMAND_ABOVE_CAPACITY},
 *     {@code DEMAND_BELOW_CAPACITY}, {@code SCALE_IN_STABILISING}), or null
 * @param reasons the trail's reason codes, each once, in the order the rules wrote them
 * @param trail every rule that acted, in order
 * @param explanation the trail as one sentence
 */
@JsonPropertyOrder({
  "endpointName", "variantName", "at", "action", "from", "to", "reactive", "predictiveFloor",
  "scheduledFloor", "minInstances", "maxInstances", "capacityHeadroom", "bindingConstraint",
  "bindingSignal", "reasons", "signals", "trail", "explanation"
})
public record Decision(
    String endpointName,
    String variantName,
    Instant at,
    Action action,
    int from,
    int to,
    Integer reactive,
    PredictiveFloor predictiveFloor,
    ScheduledFloor scheduledFloor,
    int minInstances,
    int maxInstances,
    Integer capacityHeadroom,
    ReasonCode bindingConstraint,
    Signal bindingSignal,
    List<ReasonCode> reasons,
    List<SignalRecommendation> signals,
    List<TrailEntry> trail,
    String explanation) {

  public Decision {
    reasons = List.copyOf(reasons);
    signals = List.copyOf(signals);
    trail = List.copyOf(trail);
  }

  public boolean changes() {
    return to != from;
  }

  /**
   * The count the signals and floors ask for, whatever the tolerance band, rate limits and
   * capacity let this cycle do: the highest of the reactive recommendation (or the desired count
   * without one), the floors and the minimum, at most the maximum. What the endpoint would need
   * with all the capacity it wants.
   */
  public int need() {
    return Math.min(maxInstances, Math.max(reactive == null ? from : reactive,
        TargetRule.floor(predictiveFloor, scheduledFloor, minInstances)));
  }

  public boolean has(ReasonCode reason) {
    return reasons.contains(reason);
  }

  /** The stable JSON form used in logs, dry runs and the CLI. */
  public String toJson() {
    try {
      return Json.mapper().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a decision must always serialise", e);
    }
  }
}
