package inferscale.decision;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything one decision depends on. The engine reads nothing else, so the same input always
 * gives the same decision, in the Lambda and in the backtest alike.
 *
 * @param predictiveFloor null when no forecast is available
 * @param scheduledFloor null when no schedule is active
 * @param capacityHeadroom what can still be added and what limits it, or null when unknown or
 *     unchecked
 * @param conditions what the caller could not establish ({@link ReasonCode#FORECAST_UNAVAILABLE},
 *     {@link ReasonCode#CAPACITY_UNKNOWN}), reported in the decision's reasons; or {@link
 *     ReasonCode#CAPACITY_UNAVAILABLE}, which holds scale-out
 */
public record DecisionInput(
    EndpointSnapshot endpoint,
    Signals signals,
    PolicyConfig policy,
    PredictiveFloor predictiveFloor,
    ScheduledFloor scheduledFloor,
    Headroom capacityHeadroom,
    Instant now,
    List<ReasonCode> conditions) {

  public DecisionInput {
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(signals, "signals");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(now, "now");
  }

  /** Input without conditions. */
  public DecisionInput(EndpointSnapshot endpoint, Signals signals, PolicyConfig policy,
      PredictiveFloor predictiveFloor, ScheduledFloor scheduledFloor, Headroom capacityHeadroom,
      Instant now) {
    this(endpoint, signals, policy, predictiveFloor, scheduledFloor, capacityHeadroom, now,
        List.of());
  }

  /** Input with reactive signals only: no forecast, no schedule, capacity unchecked. */
  public static DecisionInput reactive(
      EndpointSnapshot endpoint, Signals signals, PolicyConfig policy, Instant now) {
    return new DecisionInput(endpoint, signals, policy, null, null, null, now);
  }

  public DecisionInput withFloors(PredictiveFloor predictive, ScheduledFloor scheduled) {
    return new DecisionInput(endpoint, signals, policy, predictive, scheduled, capacityHeadroom, now,
        conditions);
  }

  /** This input with one more condition. */
  public DecisionInput withCondition(ReasonCode condition) {
    List<ReasonCode> more = new ArrayList<>(conditions);
    more.add(condition);
    return new DecisionInput(endpoint, signals, policy, predictiveFloor, scheduledFloor,
        capacityHeadroom, now, more);
  }

  public DecisionInput withCapacityHeadroom(Headroom headroom) {
    return new DecisionInput(endpoint, signals, policy, predictiveFloor, scheduledFloor, headroom,
        now, conditions);
  }
}
