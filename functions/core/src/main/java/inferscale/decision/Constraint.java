package inferscale.decision;

/** The one thing that determined a decision's target count. */
public enum Constraint {
  RPS(Signal.RPS),
  KV_CACHE(Signal.KV_CACHE),
  QUEUE(Signal.QUEUE),
  TTFT(Signal.TTFT),
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

  private final Signal signal;

  Constraint() {
    this(null);
  }

  Constraint(Signal signal) {
    this.signal = signal;
  }

  /** The signal this constraint stands for, or null when it is not a signal. */
  Signal signal() {
    return signal;
  }

  static Constraint of(Signal signal) {
    for (Constraint constraint : values()) {
      if (constraint.signal == signal) {
        return constraint;
      }
    }
    throw new IllegalArgumentException("no constraint for " + signal);
  }
}
