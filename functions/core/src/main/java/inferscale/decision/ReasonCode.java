package inferscale.decision;

/**
 * Stable codes for why a decision came out as it did; logs and alarms key on them. A decision's
 * reasons are the codes of its trail, one per rule that acted, in the order the rules ran; its
 * binding constraint is the code of the last entry that set the count.
 */
public enum ReasonCode {
  /** The endpoint is not InService, so nothing may change. */
  ENDPOINT_NOT_IN_SERVICE(Role.CAUSE),
  /** No tracked signal has fresh data: hold at the desired count unless a floor raises it. */
  METRICS_MISSING(Role.CAUSE),
  /** A tracked signal's newest point is older than the staleness limit. */
  SIGNAL_STALE(Role.NOTE),
  /** A tracked signal has no data at all. */
  SIGNAL_MISSING(Role.NOTE),
  /**
   * No change: the highest recommendation is within the tolerance band around the desired count,
   * no fresh signal asks for any count, or a forecast-covered scale-in would remove no more than
   * the band allows.
   */
  WITHIN_TOLERANCE(Role.CAUSE),
  /** A signal asks for more instances (the binding signal says which). */
  DEMAND_ABOVE_CAPACITY(Role.CAUSE),
  /** A signal asks for fewer instances (the binding signal says which). */
  DEMAND_BELOW_CAPACITY(Role.CAUSE),
  /** RPS far above capacity in every minute of the window: the scale-out step limit is lifted. */
  PANIC_MODE(Role.LIMIT),
  /** The forecast floor raises the count. */
  PREDICTIVE_FLOOR(Role.CAUSE),
  /** An explicit schedule's floor raises the count. */
  SCHEDULED_FLOOR(Role.CAUSE),
  /** The policy minimum raises the count. */
  MIN_INSTANCES(Role.CAUSE),
  /**
   * No request for the policy's idle minutes: the count may fall to zero, and the first request
   * after it waits a cold start.
   */
  IDLE_TO_ZERO(Role.NOTE),
  /** The policy maximum caps the count. */
  MAX_INSTANCES(Role.CAUSE),
  /** The scale-out step limit cut the increase. */
  SCALE_OUT_RATE_LIMITED(Role.LIMIT),
  /**
   * The capacity left cut the increase: what reservations leave or, for an inference component,
   * the copies its endpoint's instances can hold.
   */
  CAPACITY_LIMITED(Role.LIMIT),
  /**
   * The last scale-out found no capacity (SageMaker could not provision the instances, or they did
   * not come in time): no scale-out until its back-off is over.
   */
  CAPACITY_UNAVAILABLE(Role.LIMIT),
  /**
   * A scale-out clamped to the endpoint's share of the account's SageMaker instance quota for its
   * type, shared across the fleet by priority.
   */
  QUOTA_LIMITED(Role.LIMIT),
  /** Scale-in is held because a tracked signal is stale or missing. */
  SCALE_IN_BLOCKED_SIGNALS_DOUBTFUL(Role.CAUSE),
  /** Scale-in is held because the endpoint scaled out too recently. */
  SCALE_IN_COOLDOWN(Role.CAUSE),
  /** Scale-in is held because panic mode was active within the hold period. */
  SCALE_IN_PANIC_HOLD(Role.CAUSE),
  /**
   * Scale-in goes no lower than the highest need within the stabilisation window: held when that
   * is (within the tolerance band of) the desired count.
   */
  SCALE_IN_STABILISING(Role.CAUSE),
  /**
   * A forecast covers the minutes until an instance removed now could serve again, so scale-in
   * keeps what it needs over them (never below what the signals ask now) instead of the highest
   * need over the stabilisation window.
   */
  SCALE_IN_FORECAST_COVERED(Role.CAUSE),
  /** The scale-in step limit cut the decrease. */
  SCALE_IN_RATE_LIMITED(Role.LIMIT),
  /** No usable forecast covers the look-ahead window: the decision is reactive only. */
  FORECAST_UNAVAILABLE(Role.NOTE),
  /** Capacity headroom could not be read: scale-out is not clamped. */
  CAPACITY_UNKNOWN(Role.NOTE);

  /** How an entry with this code reads in the decision's sentence. */
  enum Role {
    /** Sets or holds the count; the last one is the sentence's cause. */
    CAUSE,
    /** Bounds or lifts a limit on the change the cause asked for; follows the cause. */
    LIMIT,
    /** A fact about the inputs; in parentheses at the end, when it has something to say. */
    NOTE
  }

  private final Role role;

  ReasonCode(Role role) {
    this.role = role;
  }

  Role role() {
    return role;
  }
}
