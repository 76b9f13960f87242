package inferscale.decision;

/** The one thing that determined a decision's target count. */
public enum Constraint {
  RPS,
  KV_CACHE,
  QUEUE,
  TTFT,
  PREDICTIVE_FLOOR,
  SCHEDULED_FLOOR,
  MIN_INSTANCES,
  MAX_INSTANCES,
  TOLERANCE,
  SCALE_OUT_RATE_LIMIT,
  CAPACITY,
  STABILISATION_WINDOW,
  SCALE_IN_COOLDOWN,
  PANIC_HOLD,
  SIGNALS_DOUBTFUL,
  SCALE_IN_RATE_LIMIT,
  METRICS_MISSING,
  ENDPOINT_STATUS;

  static Constraint of(Signal signal) {
    return switch (signal) {
      case RPS -> RPS;
      case KV_CACHE -> KV_CACHE;
      case QUEUE -> QUEUE;
      case TTFT -> TTFT;
    };
  }
}
