package inferscale.decision;

/** What a decision asks of the endpoint. */
public enum Action {
  SCALE_OUT,
  SCALE_IN,
  HOLD
}
