package inferscale.backtest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import inferscale.decision.PolicyConfig;
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
   * @param bounds target tracking's fewest and most instances
   * @param inferscaleBounds the engine's: the same unless its policy sets them
   */
  @JsonPropertyOrder({
    "muPerInstance", "capacitySource", "peakInstances", "targetUtilization", "bounds",
    "inferscaleBounds", "coldStartMinutes", "metricDelayMinutes", "forecastIntervalMinutes",
    "scoredFromMinute"
  })
  public record Parameters(
      double muPerInstance,
      String capacitySource,
      int peakInstances,
      Double targetUtilization,
      PolicyConfig.Bounds bounds,
      PolicyConfig.Bounds inferscaleBounds,
      int coldStartMinutes,
      int metricDelayMinutes,
      int forecastIntervalMinutes,
      int scoredFromMinute) {

    /** What a run with these parameters, this capacity and these bounds scored, on a trace. */
    static Parameters of(BacktestParameters parameters, Backtest.PerInstanceCapacity capacity,
        PolicyConfig.Bounds bounds, PolicyConfig.Bounds inferscaleBounds, int traceLength) {
      return new Parameters(capacity.requestsPerMinute(), capacity.source(),
          parameters.peakInstances(), parameters.targetUtilization(), bounds, inferscaleBounds,
          parameters.timing().coldStartMinutes(), parameters.timing().metricDelayMinutes(),
          parameters.timing().forecastIntervalMinutes(),
          BacktestParameters.scoredFrom(traceLength));
    }

    /** These parameters for a sweep, which sets each run's target itself. */
    Parameters swept() {
      return new Parameters(muPerInstance, capacitySource, peakInstances, null, bounds,
          inferscaleBounds, coldStartMinutes, metricDelayMinutes, forecastIntervalMinutes,
          scoredFromMinute);
    }
  }
}
