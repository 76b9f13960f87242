package inferscale.control;

import inferscale.decision.PolicyConfig;
import inferscale.planning.FloorSchedule;
import java.util.List;
import java.util.Objects;

/**
 * What one scaler cycle is asked to do, whoever asks: a schedule, a manual dry run, the backtest.
 *
 * @param schedules explicit floors for known events
 * @param dryRun decide and explain, change nothing
 * @param trigger what started the cycle
 */
public record ScalerTask(String endpointName, String variantName, PolicyConfig policy,
    List<FloorSchedule> schedules, CapacityMode capacityMode, boolean dryRun, Trigger trigger) {
  public ScalerTask {
    Objects.requireNonNull(endpointName, "endpointName");
    Objects.requireNonNull(variantName, "variantName");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(capacityMode, "capacityMode");
    Objects.requireNonNull(trigger, "trigger");
    schedules = schedules == null ? List.of() : List.copyOf(schedules);
  }

  /** The same cycle, started by {@code other}. */
  public ScalerTask triggeredBy(Trigger other) {
    return new ScalerTask(endpointName, variantName, policy, schedules, capacityMode, dryRun, other);
  }
}
