package inferscale.backtest;

import inferscale.control.ScalerOutcome;
import inferscale.decision.PolicyConfig;
import inferscale.forecast.Forecaster;
import inferscale.trace.Trace;
import inferscale.units.RequestRate;
import java.time.Instant;
import java.util.ArrayList;
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
    checked(parameters);
    long started = System.nanoTime();
    double mu = muPerInstance(trace, parameters.peakInstances());
    Simulator simulator = new Simulator(trace, parameters, mu);
    int maxInstances = parameters.peakInstances() * MAX_INSTANCES_PER_PEAK_INSTANCE;
    PolicyConfig engineConfig = defaultEngineConfig(parameters, mu, maxInstances);
    Instant origin = origin(trace);

    List<ScalingPolicy> policies = List.of(
        new StaticPeakPolicy(simulator.instancesFor(peakDemand(trace))),
        new ClairvoyantPolicy(trace, parameters.timing().coldStartMinutes()),
        new TargetTrackingPolicy(parameters.targetUtilization() * mu, 1, maxInstances),
        new ControlLoopPolicy("reactive", engineConfig, origin, null, outcome -> { }),
        new ControlLoopPolicy("inferscale", engineConfig, origin, forecaster, outcome -> { }));
    // Policies share nothing but the read-only trace: run them side by side.
    List<PolicyRun> runs = policies.parallelStream().map(simulator::run).toList();
    double elapsed = (System.nanoTime() - started) / 1e9;
    return new BacktestReport(
        trace.name(),
        new BacktestReport.Parameters(mu, parameters.peakInstances(),
            parameters.timing().coldStartMinutes(), parameters.timing().metricDelayMinutes(),
            parameters.timing().forecastIntervalMinutes(),
            BacktestParameters.scoredFrom(trace.length())),
        runs.stream().map(PolicyRun::result).toList(),
        trace.requestsArray(),
        runs,
        elapsed);
  }

  /**
   * The {@code reactive} policy ({@code forecaster} null) or the {@code inferscale} one, cycle by
   * cycle from minute {@code from}, the minutes before it being the endpoint's history: every
   * outcome, for comparing the deployed functions with what the backtest scores.
   *
   * @throws IllegalArgumentException when the parameters are invalid or the trace has no demand
   */
  public static ControlLoopReplay replay(Trace trace, BacktestParameters parameters,
      Forecaster forecaster, int from) {
    checked(parameters);
    double mu = muPerInstance(trace, parameters.peakInstances());
    Simulator simulator = new Simulator(trace, parameters, mu);
    PolicyConfig policy = defaultEngineConfig(parameters, mu,
        parameters.peakInstances() * MAX_INSTANCES_PER_PEAK_INSTANCE);
    List<ScalerOutcome> outcomes = new ArrayList<>();
    simulator.run(new ControlLoopPolicy(forecaster == null ? "reactive" : "inferscale", policy,
        origin(trace), forecaster, outcomes::add), from);
    return new ControlLoopReplay(policy, simulator.openingInstances(from), outcomes);
  }

  /**
   * A replay's policy (what the functions must be given), the instances the endpoint opens with,
   * and each minute's outcome from the first replayed minute on.
   */
  public record ControlLoopReplay(PolicyConfig policy, int openingInstances,
      List<ScalerOutcome> outcomes) {
    public ControlLoopReplay {
      outcomes = List.copyOf(outcomes);
    }
  }

  /**
   * The project's default engine policy with the endpoint's rates filled in as a user fills them
   * from a load test: the target at the backtest's utilisation of mu, and mu itself as what one
   * instance serves (the rate the predictive floor provisions its upper quantile at); the
   * backtest's timing.
   */
  static PolicyConfig defaultEngineConfig(BacktestParameters parameters, double mu, int max) {
    return PolicyConfig.defaults()
        .withBounds(1, max)
        .withTargetRpsPerInstance(
            RequestRate.ofPerMinute(parameters.targetUtilization() * mu).perSecond())
        .withMaxRpsPerInstance(RequestRate.ofPerMinute(mu).perSecond())
        .withTiming(parameters.timing());
  }

  private static void checked(BacktestParameters parameters) {
    List<String> problems = parameters.problems();
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** Wall-clock time of minute 0: the trace's own, or the epoch when it has none. */
  private static Instant origin(Trace trace) {
    return trace.start() == null ? Instant.EPOCH : trace.start();
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
