package inferscale.decision;

/** Stable codes for why a decision came out as it did; logs and alarms key on them. */
public enum ReasonCode {
  /** The endpoint is not InService, so nothing may change. */
  ENDPOINT_NOT_IN_SERVICE,
  /** No tracked signal has fresh data. */
  METRICS_MISSING,
  /** A tracked signal's newest point is older than the staleness limit. */
  SIGNAL_STALE,
  /** A tracked signal has no data at all. */
  SIGNAL_MISSING,
  /** Every recommendation is within the tolerance band around the current count. */
  WITHIN_TOLERANCE,
  /** The reactive signals ask for more instances. */
  DEMAND_ABOVE_CAPACITY,
  /**
   * The reactive signals ask for fewer instances, over the stabilisation window or, while a
   * forecast covers the minutes ahead, now.
   */
  DEMAND_BELOW_CAPACITY,
  /** RPS far above capacity: scale straight to the requirement. */
  PANIC_MODE,
  /** The forecast floor is what raises the count. */
  PREDICTIVE_FLOOR,
  /** An explicit schedule's floor is what raises the count. */
  SCHEDULED_FLOOR,
  /** The policy minimum is what raises the count. */
  MIN_INSTANCES,
  /** The policy maximum caps the count. */
  MAX_INSTANCES,
  /** The scale-out step limit cut the increase. */
  SCALE_OUT_RATE_LIMITED,
  /** The reserved capacity left cut the increase. */
  CAPACITY_LIMITED,
  /** Scale-in is held because a tracked signal is stale or missing. */
  SCALE_IN_BLOCKED_SIGNALS_DOUBTFUL,
  /** Scale-in is held because the endpoint changed too recently. */
  SCALE_IN_COOLDOWN,
  /** Scale-in is held because panic mode was active within the hold period. */
  SCALE_IN_PANIC_HOLD,
  /** Scale-in is held because demand within the stabilisation window needed the current count. */
  SCALE_IN_STABILISING,
  /**
   * A forecast covers the look-ahead window, so scale-in goes to today's need (never below the
   * floor) instead of the highest need over the stabilisation window.
   */
  SCALE_IN_FORECAST_COVERED,
  /** The scale-in step limit cut the decrease. */
  SCALE_IN_RATE_LIMITED,
  /** No usable forecast covers the look-ahead window: the decision is reactive only. */
  FORECAST_UNAVAILABLE,
  /** Capacity headroom could not be read: scale-out is not clamped. */
  CAPACITY_UNKNOWN
}
