package inferscale.control;

import inferscale.decision.PolicyConfig;
import inferscale.fleet.FleetTurn;
import inferscale.planning.FloorSchedule;
import java.util.List;
import java.util.Objects;

/**
 * What one scaler cycle is asked to do, whoever asks: a schedule, a manual dry run, the backtest.
 * It scales a production variant's instances or an inference component's copies; the engine
 * counts either as instances.
 *
 * @param variantName the variant scaled, or null when a component is
 * @param inferenceComponentName the inference component scaled, or null when a variant is
 * @param schedules explicit floors for known events
 * @param dryRun decide and explain, change nothing
 * @param trigger what started the cycle
 * @param fleet the fleet dispatcher's turn this cycle carries out, or null when it was not sent by
 *     one
 */
public record ScalerTask(String endpointName, String variantName, String inferenceComponentName,
    PolicyConfig policy, List<FloorSchedule> schedules, CapacityMode capacityMode, boolean dryRun,
    Trigger trigger, FleetTurn fleet) {
  public ScalerTask {
    Objects.requireNonNull(endpointName, "endpointName");
    if ((variantName == null) == (inferenceComponentName == null)) {
      throw new IllegalArgumentException("a task scales a variant or an inference component:"
          + " exactly one of variantName and inferenceComponentName");
    }
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(capacityMode, "capacityMode");
    Objects.requireNonNull(trigger, "trigger");
    schedules = schedules == null ? List.of() : List.copyOf(schedules);
  }

  /** A task that scales a production variant. */
  public ScalerTask(String endpointName, String variantName, PolicyConfig policy,
      List<FloorSchedule> schedules, CapacityMode capacityMode, boolean dryRun, Trigger trigger) {
    this(endpointName, variantName, null, policy, schedules, capacityMode, dryRun, trigger, null);
  }

  /** A task not sent by the fleet dispatcher. */
  public ScalerTask(String endpointName, String variantName, String inferenceComponentName,
      PolicyConfig policy, List<FloorSchedule> schedules, CapacityMode capacityMode, boolean dryRun,
      Trigger trigger) {
    this(endpointName, variantName, inferenceComponentName, policy, schedules, capacityMode,
        dryRun, trigger, null);
  }

  /** The same cycle, started by {@code other}. */
  public ScalerTask triggeredBy(Trigger other) {
    return new ScalerTask(endpointName, variantName, inferenceComponentName, policy, schedules,
        capacityMode, dryRun, other, fleet);
  }
}
