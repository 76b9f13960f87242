package inferscale.control;

/** Port: whether the operator paused InferScale for the endpoint (the forecaster's only read of it). */
@FunctionalInterface
public interface PauseSwitch {
  /** @throws PortFailure when it cannot be read */
  boolean paused();
}
