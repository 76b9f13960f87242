package inferscale.control;

import java.time.Duration;

/**
 * Port: the endpoint variant a scaler step runs for. Adapters: SageMaker in the functions, the
 * simulated endpoint in the backtest.
 */
public interface EndpointControl {
  /**
   * Its status, counts, instance type, pause switch, the scaler's record of its last ask and the
   * policy's fallback variant. Changes nothing.
   *
   * @throws PortFailure when it cannot be read ({@link FailureReason#ENDPOINT_NOT_FOUND} when it
   *     does not exist)
   */
  EndpointState read();

  /**
   * Asks for {@code count} instances (an absolute count: a retry or a duplicate is harmless) and,
   * with a fallback plan, the fallback's count and both variants' weights, in one update.
   *
   * @param asRead the state this cycle read, whose weight the update keeps without a fallback
   * @param fallback the fallback's count and the weights, or null
   * @throws PortFailure when the update was refused or its outcome is unknown
   */
  void setDesiredInstances(EndpointState asRead, int count, FallbackPlan fallback);

  /**
   * Keeps the scaler's record of its last ask with the endpoint, for the next runs.
   *
   * @throws PortFailure when it could not be kept
   */
  void remember(LastAsk ask);

  /** The most an update may take: a step does not start one with less time left. */
  Duration updateBudget();
}
