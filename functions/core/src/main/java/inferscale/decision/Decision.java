package inferscale.decision;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of one cycle, explained: the action, the per-signal recommendations, the floors, the
 * binding constraint, the reason codes and one human sentence.
 *
 * @param reactive the count the fresh signals ask for, null when none is fresh
 * @param bindingConstraint what determined {@code to}
 */
@JsonPropertyOrder({
  "endpointName", "variantName", "at", "action", "from", "to", "reactive", "predictiveFloor",
  "scheduledFloor", "minInstances", "maxInstances", "capacityHeadroom", "bindingConstraint",
  "reasons", "signals", "explanation"
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
    Constraint bindingConstraint,
    List<ReasonCode> reasons,
    List<SignalRecommendation> signals,
    String explanation) {

  public Decision {
    reasons = List.copyOf(reasons);
    signals = List.copyOf(signals);
  }

  public boolean changes() {
    return to != from;
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
