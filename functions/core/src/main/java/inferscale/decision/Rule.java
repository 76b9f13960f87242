package inferscale.decision;

/**
 * The engine's rules, numbered as the README states them; each is one step of the pipeline
 * ({@link DecisionEngine}) and each trail entry names the rule that wrote it.
 */
public enum Rule {
  /** 1. Per tracked signal, the instances it asks for. */
  SIGNALS,
  /** 2. No change while the highest recommendation is within the band around the desired count. */
  TOLERANCE,
  /** 3. The floors (forecast, schedule, minimum) raise the count, the maximum caps it. */
  TARGET,
  /** 4. Scale-out adds at most a step per cycle, unless in panic or up to a schedule's count. */
  SCALE_OUT,
  /** 5. Scale-in is stabilised, cooled down, held after panic and stepped. */
  SCALE_IN,
  /** 6. Stale or missing data never causes a scale-in; an endpoint not InService is held. */
  FRESHNESS,
  /** 7. Scale-out is clamped to the capacity reservations' headroom. */
  CAPACITY
}
