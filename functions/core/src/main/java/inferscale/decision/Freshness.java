package inferscale.decision;

/** Whether a signal can be trusted now. */
public enum Freshness {
  FRESH,
  STALE,
  MISSING
}
