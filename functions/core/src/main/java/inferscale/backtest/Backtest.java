package inferscale.backtest;

import inferscale.decision.PolicyConfig;
import inferscale.decision.Timing;
import inferscale.forecast.Forecaster;
import inferscale.trace.Trace;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Replays a trace through the reference policies and InferScale's engine, all with the same
 * parameters and the project's default policy: no per-trace tuning.
 */
public final class Backtest {
  /** The policies, in report order. */
  public static final List<String> POLICY_NAMES =
      List.of("static-peak", "clairvoyant", "target-tracking", "reactive", "inferscale");

  /** Dynamic policies may grow to this multiple of the p99 fleet (the flash crowd's headroom). */
  static final int MAX_INSTANCES_PER_PEAK_INSTANCE = 4;

  private Backtest() {}

  /**
   * @param forecaster what the {@code inferscale} policy forecasts with
   * @throws IllegalArgumentException when the parameters are invalid or the trace has no demand
   */
  public static BacktestReport run(
      Trace trace, BacktestParameters parameters, Forecaster forecaster) {
    List<String> problems = parameters.problems();
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    long started = System.nanoTime();
    double mu = muPerInstance(trace, parameters.peakInstances());
    Simulator simulator = new Simulator(trace, parameters, mu);
    int maxInstances = parameters.peakInstances() * MAX_INSTANCES_PER_PEAK_INSTANCE;
    PolicyConfig engineConfig = defaultEngineConfig(parameters, mu, maxInstances);
    Instant origin = trace.start() == null ? Instant.EPOCH : trace.start();

    List<ScalingPolicy> policies = List.of(
        new StaticPeakPolicy(simulator.instancesFor(peakDemand(trace))),
        new ClairvoyantPolicy(trace, parameters.coldStartMinutes()),
        new TargetTrackingPolicy(parameters.targetUtilization() * mu, 1, maxInstances),
        new EnginePolicy("reactive", engineConfig, origin, null),
        new EnginePolicy("inferscale", engineConfig, origin,
            new ForecastFloorSource(forecaster, engineConfig, origin)));
    // Policies share nothing but the read-only trace: run them side by side.
    List<PolicyRun> runs = policies.parallelStream().map(simulator::run).toList();
    double elapsed = (System.nanoTime() - started) / 1e9;
    return new BacktestReport(
        trace.name(),
        new BacktestReport.Parameters(mu, parameters.peakInstances(),
            parameters.coldStartMinutes(), parameters.metricDelayMinutes(),
            BacktestParameters.scoredFrom(trace.length())),
        runs.stream().map(PolicyRun::result).toList(),
        trace.requestsArray(),
        runs,
        elapsed);
  }

  /**
   * The project's default engine policy with the endpoint's rates filled in as a user fills them
   * from a load test: the target at the backtest's utilisation of mu, and mu itself as what one
   * instance serves (the rate the predictive floor provisions its upper quantile at).
   */
  static PolicyConfig defaultEngineConfig(BacktestParameters parameters, double mu, int max) {
    return PolicyConfig.defaults()
        .withBounds(1, max)
        .withTargetRpsPerInstance(parameters.targetUtilization() * mu / 60.0)
        .withMaxRpsPerInstance(mu / 60.0)
        .withTiming(new Timing(parameters.coldStartMinutes(), parameters.metricDelayMinutes(),
            ForecastFloorSource.REFIT_MINUTES));
  }

  /** Requests per minute one instance serves: the 99th-percentile minute over the p99 fleet. */
  static double muPerInstance(Trace trace, int peakInstances) {
    double[] demand = Arrays.stream(trace.requestsArray()).filter(d -> !Double.isNaN(d)).sorted()
        .toArray();
    double p99 = percentile(demand, 0.99);
    if (!(p99 > 0)) {
      throw new IllegalArgumentException(
          "trace " + trace.name() + " has no demand: its 99th-percentile minute is 0 requests");
    }
    return p99 / peakInstances;
  }

  /** Linear interpolation between closest ranks, as numpy's default. */
  static double percentile(double[] sorted, double quantile) {
    double rank = (sorted.length - 1) * quantile;
    int below = (int) Math.floor(rank);
    int above = (int) Math.ceil(rank);
    return sorted[below] + (sorted[above] - sorted[below]) * (rank - below);
  }

  private static double peakDemand(Trace trace) {
    return Arrays.stream(trace.requestsArray()).filter(d -> !Double.isNaN(d)).max().orElse(0);
  }
}
