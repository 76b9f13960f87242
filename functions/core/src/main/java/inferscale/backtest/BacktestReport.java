package inferscale.backtest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import inferscale.decision.PolicyConfig;
import inferscale.units.RequestRate;
import java.util.List;

/**
 * A backtest's outcome: the JSON contract ({@code trace}, {@code parameters}, {@code policies}) and,
 * outside it, the per-minute demand and capacity for charts.
 */
@JsonPropertyOrder({"trace", "parameters", "policies"})
public record BacktestReport(
    String trace,
    Parameters parameters,
    List<PolicyResult> policies,
    @JsonIgnore double[] demand,
    @JsonIgnore List<PolicyRun> runs,
    @JsonIgnore double elapsedSeconds) {

  public BacktestReport {
    policies = List.copyOf(policies);
    runs = List.copyOf(runs);
    demand = demand.clone();
  }

  @Override
  public double[] demand() {
    return demand.clone();
  }

  /**
   * The parameters that fix what the numbers mean.
   *
   * @param capacitySource where {@code muPerInstance} came from (see {@link
   *     Backtest.PerInstanceCapacity})
   * @param targetUtilization share of mu target tracking (and InferScale by default) aim for;
   *     null in a sweep, whose runs each aim for their own
   * @param inferscaleTargetUtilization the share InferScale's engine aims for: the same unless its
   *     policy names its own target; null in a sweep
   * @param bounds target tracking's fewest and most instances
   * @param inferscaleBounds the engine's: the same unless its policy sets them
   */
  @JsonPropertyOrder({
    "muPerInstance", "capacitySource", "peakInstances", "targetUtilization",
    "inferscaleTargetUtilization", "bounds", "inferscaleBounds", "coldStartMinutes",
    "metricDelayMinutes", "forecastIntervalMinutes", "scoredFromMinute"
  })
  public record Parameters(
      double muPerInstance,
      String capacitySource,
      int peakInstances,
      Double targetUtilization,
      Double inferscaleTargetUtilization,
      PolicyConfig.Bounds bounds,
      PolicyConfig.Bounds inferscaleBounds,
      int coldStartMinutes,
      int metricDelayMinutes,
      int forecastIntervalMinutes,
      int scoredFromMinute) {

    /**
     * What a run with these parameters, this capacity, these bounds and this engine policy scored,
     * on a trace.
     */
    static Parameters of(BacktestParameters parameters, Backtest.PerInstanceCapacity capacity,
        PolicyConfig.Bounds bounds, PolicyConfig engine, int traceLength) {
      double engineTarget =
          RequestRate.ofPerSecond(engine.targets().rpsPerInstance()).perMinute();
      return new Parameters(capacity.requestsPerMinute(), capacity.source(),
          parameters.peakInstances(), parameters.targetUtilization(),
          engineTarget / capacity.requestsPerMinute(), bounds, engine.bounds(),
          parameters.timing().coldStartMinutes(), parameters.timing().metricDelayMinutes(),
          parameters.timing().forecastIntervalMinutes(),
          BacktestParameters.scoredFrom(traceLength));
    }

    /** These parameters for a sweep, which sets each run's target itself. */
    Parameters swept() {
      return new Parameters(muPerInstance, capacitySource, peakInstances, null, null, bounds,
          inferscaleBounds, coldStartMinutes, metricDelayMinutes, forecastIntervalMinutes,
          scoredFromMinute);
    }
  }
}
