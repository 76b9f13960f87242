package inferscale.control;

import java.time.Duration;

/**
 * Port: the endpoint variant a scaler step runs for. Adapters: SageMaker in the functions, the
 * simulated endpoint in the backtest.
 */
public interface EndpointControl {
  /**
   * Its status, counts, instance type and pause switch. Changes nothing.
   *
   * @throws PortFailure when it cannot be read ({@link FailureReason#ENDPOINT_NOT_FOUND} when it
   *     does not exist)
   */
  EndpointState read();

  /**
   * Asks for {@code count} instances (an absolute count: a retry or a duplicate is harmless).
   *
   * @param asRead the state this cycle read, whose weight the update keeps
   * @throws PortFailure when the update was refused or its outcome is unknown
   */
  void setDesiredInstances(EndpointState asRead, int count);

  /** The most an update may take: a step does not start one with less time left. */
  Duration updateBudget();
}
