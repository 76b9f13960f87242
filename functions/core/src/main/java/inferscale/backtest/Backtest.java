package inferscale.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import inferscale.control.ScalerOutcome;
import inferscale.decision.InvalidPolicyException;
import inferscale.decision.PolicyConfig;
import inferscale.decision.PolicyConfigParser;
import inferscale.forecast.Forecaster;
import inferscale.trace.Trace;
import inferscale.units.RequestRate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Replays a trace through the reference policies and InferScale's engine, all with the same
 * parameters and the project's default policy: no per-trace tuning.
 */
public final class Backtest {
  /** The policies, in report order. */
  public static final List<String> POLICY_NAMES =
      List.of("static-peak", "clairvoyant", "target-tracking", "reactive", "inferscale");

  /** The endpoint's own scaling, scored when the trace records its instance counts. */
  public static final String ACTUAL = "actual";

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
    PerInstanceCapacity capacity = capacity(trace, parameters);
    double mu = capacity.requestsPerMinute();
    Simulator simulator = new Simulator(trace, parameters, mu);
    PolicyConfig engineConfig = engineConfig(parameters, capacity);
    PolicyConfig.Bounds bounds = bounds(parameters, capacity);
    Instant origin = origin(trace);

    List<ScalingPolicy> policies = new ArrayList<>(List.of(
        new StaticPeakPolicy(simulator.instancesFor(peakDemand(trace))),
        new ClairvoyantPolicy(trace, parameters.timing().coldStartMinutes()),
        new TargetTrackingPolicy(parameters.targetUtilization() * mu, bounds.minInstances(),
            bounds.maxInstances()),
        new ControlLoopPolicy("reactive", engineConfig, parameters.schedules(), origin, null,
            outcome -> { }),
        new ControlLoopPolicy("inferscale", engineConfig, parameters.schedules(), origin,
            forecaster, outcome -> { })));
    if (trace.hasInstances()) {
      policies.add(ScriptedPolicy.observed(ACTUAL, recordedInstances(trace),
          parameters.timing().coldStartMinutes()));
    }
    // Policies share nothing but the read-only trace: run them side by side.
    List<PolicyRun> runs = policies.parallelStream().map(simulator::run).toList();
    double elapsed = (System.nanoTime() - started) / 1e9;
    return new BacktestReport(
        trace.name(),
        BacktestReport.Parameters.of(parameters, capacity, bounds, engineConfig,
            trace.length()),
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
    PerInstanceCapacity capacity = capacity(trace, parameters);
    Simulator simulator = new Simulator(trace, parameters, capacity.requestsPerMinute());
    PolicyConfig policy = engineConfig(parameters, capacity);
    List<ScalerOutcome> outcomes = new ArrayList<>();
    PolicyRun run = simulator.run(new ControlLoopPolicy(
        forecaster == null ? "reactive" : "inferscale", policy, parameters.schedules(),
        origin(trace), forecaster, outcomes::add), from);
    return new ControlLoopReplay(policy, simulator.openingInstances(from), outcomes, run.result());
  }

  /**
   * A replay's policy (what the functions must be given), the instances the endpoint opens with,
   * each minute's outcome from the first replayed minute on, and the replayed minutes' score.
   */
  public record ControlLoopReplay(PolicyConfig policy, int openingInstances,
      List<ScalerOutcome> outcomes, PolicyResult result) {
    public ControlLoopReplay {
      outcomes = List.copyOf(outcomes);
    }
  }

  /**
   * The engine's policy: the project's defaults with the endpoint's rates filled in as a user fills
   * them from a load test (the target at the backtest's utilisation of mu, and mu itself as what
   * one instance serves, the rate the predictive floor provisions its upper quantile at), the
   * backtest's bounds, then the given policy overrides; always the backtest's timing. A policy that
   * sets its own target but no maxRpsPerInstance (a stack deployed without one) runs as deployed,
   * without it, unless a load-tested rate is given. A policy's own target above mu is refused where
   * mu is a rate to compare it with: a load-tested one (no fleet would meet the target), or one a
   * budget measures served requests at; against the trace's relative mu it runs as deployed.
   *
   * @throws TargetAboveCapacity for such a target
   */
  static PolicyConfig engineConfig(BacktestParameters parameters, PerInstanceCapacity capacity) {
    PolicyConfig.Bounds bounds = bounds(parameters, capacity);
    double muPerSecond = RequestRate.ofPerMinute(capacity.requestsPerMinute()).perSecond();
    PolicyConfig defaults = PolicyConfig.defaults()
        .withBounds(bounds.minInstances(), bounds.maxInstances())
        .withTargetRpsPerInstance(RequestRate.ofPerMinute(
            parameters.targetUtilization() * capacity.requestsPerMinute()).perSecond())
        .withTiming(parameters.timing());
    JsonNode overrides = parameters.policyOverrides();
    if (overrides == null) {
      return defaults.withMaxRpsPerInstance(muPerSecond);
    }
    PolicyConfig own = BacktestParameters.withStandInCapacity(overrides, parameters.timing());
    Double ownTarget = BacktestParameters.ownTarget(own);
    Double aboveMu = targetAboveMu(own, capacity);
    boolean loadTested = capacity.source().equals(PerInstanceCapacity.LOAD_TESTED);
    boolean budgetAtMu = BacktestParameters.ownCapacity(own) == null
        && own.budget().unservedPercent() != null;
    if (aboveMu != null && (loadTested || budgetAtMu)) {
      throw new TargetAboveCapacity(aboveMu, muPerSecond, capacity.source());
    }
    PolicyConfig asGiven;
    try {
      asGiven = PolicyConfigParser.parse(overrides, defaults);
    } catch (InvalidPolicyException e) {
      // Only mu can make it valid (a budget needs a capacity): the policy with mu filled in.
      return PolicyConfigParser.parse(overrides, defaults.withMaxRpsPerInstance(muPerSecond));
    }
    boolean fill = asGiven.targets().maxRpsPerInstance() == null
        && (parameters.rpsPerInstance() != null || ownTarget == null);
    return fill ? asGiven.withMaxRpsPerInstance(muPerSecond) : asGiven;
  }

  /**
   * The policy's own targets.rpsPerInstance where it is above what one instance serves (mu), else
   * null.
   *
   * @param own the policy as {@link BacktestParameters#withStandInCapacity} gives it
   */
  public static Double targetAboveMu(PolicyConfig own, PerInstanceCapacity capacity) {
    Double target = BacktestParameters.ownTarget(own);
    double muPerSecond = RequestRate.ofPerMinute(capacity.requestsPerMinute()).perSecond();
    return target != null && target > muPerSecond * (1 + 1e-9) ? target : null;
  }

  /** A policy's own target above the rate one instance serves, where the two compare. */
  public static final class TargetAboveCapacity extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final boolean relative;

    TargetAboveCapacity(double target, double muPerSecond, String source) {
      super(String.format(Locale.ROOT, "targets.rpsPerInstance (%s a second) is above what one"
          + " instance serves here, %.4g a second (from %s): no fleet would meet it", target,
          muPerSecond, source));
      this.relative = source.equals(PerInstanceCapacity.P99_DEFAULT);
    }

    /** True when mu is the trace's relative figure, not a rate the hardware was measured at. */
    public boolean relative() {
      return relative;
    }
  }

  /**
   * Target tracking's bounds, and the engine's unless its policy sets them: the given ones, else
   * from 1 to {@value #MAX_INSTANCES_PER_PEAK_INSTANCE} times the p99 minute's fleet.
   */
  static PolicyConfig.Bounds bounds(BacktestParameters parameters, PerInstanceCapacity capacity) {
    int min = parameters.minInstances() == null ? 1 : parameters.minInstances();
    int max = parameters.maxInstances() != null ? parameters.maxInstances()
        : Math.max(min, capacity.p99Instances() * MAX_INSTANCES_PER_PEAK_INSTANCE);
    return new PolicyConfig.Bounds(min, max);
  }

  /**
   * What one instance serves, and where that figure came from: a load test's rate, else the
   * policy's {@code targets.maxRpsPerInstance}, else the trace's p99 minute over {@code
   * peakInstances} (a relative figure: the trace fixes it, not the hardware).
   *
   * @param requestsPerMinute mu
   * @param p99Instances the instances the trace's p99 minute needs
   */
  public record PerInstanceCapacity(double requestsPerMinute, String source, int p99Instances) {
    public static final String LOAD_TESTED = "rps-per-instance";
    public static final String POLICY = "policy targets.maxRpsPerInstance";
    public static final String P99_DEFAULT = "p99 minute / peak instances";
  }

  /**
   * @throws IllegalArgumentException when the capacity is to come from the trace's p99 minute and
   *     that minute has no demand
   */
  public static PerInstanceCapacity capacity(Trace trace, BacktestParameters parameters) {
    Double policyMax = policyMaxRps(parameters);
    if (parameters.rpsPerInstance() == null && policyMax == null) {
      return new PerInstanceCapacity(p99Demand(trace) / parameters.peakInstances(),
          PerInstanceCapacity.P99_DEFAULT, parameters.peakInstances());
    }
    boolean loadTested = parameters.rpsPerInstance() != null;
    double mu = RequestRate.ofPerSecond(loadTested ? parameters.rpsPerInstance() : policyMax)
        .perMinute();
    return new PerInstanceCapacity(mu,
        loadTested ? PerInstanceCapacity.LOAD_TESTED : PerInstanceCapacity.POLICY,
        Math.max(1, (int) Math.ceil(p99OrZero(trace) / mu)));
  }

  static void checked(BacktestParameters parameters) {
    List<String> problems = parameters.problems();
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** Wall-clock time of minute 0: the trace's own, or the epoch when it has none. */
  private static Instant origin(Trace trace) {
    return trace.start() == null ? Instant.EPOCH : trace.start();
  }

  /** The policy's own targets.maxRpsPerInstance, or null when it gives none. */
  private static Double policyMaxRps(BacktestParameters parameters) {
    if (parameters.policyOverrides() == null) {
      return null;
    }
    return BacktestParameters.ownCapacity(BacktestParameters.withStandInCapacity(
        parameters.policyOverrides(), parameters.timing()));
  }

  /** The trace's 99th-percentile minute of demand, gaps left out. */
  static double p99Demand(Trace trace) {
    double p99 = p99OrZero(trace);
    if (!(p99 > 0)) {
      throw new IllegalArgumentException(
          "trace " + trace.name() + " has no demand: its 99th-percentile minute is 0 requests");
    }
    return p99;
  }

  /** The 99th-percentile minute of the minutes that are not gaps; 0 without any. */
  private static double p99OrZero(Trace trace) {
    double[] demand = Arrays.stream(trace.requestsArray()).filter(d -> !Double.isNaN(d)).sorted()
        .toArray();
    return demand.length == 0 ? 0 : percentile(demand, 0.99);
  }

  /** Linear interpolation between closest ranks, as numpy's default. */
  static double percentile(double[] sorted, double quantile) {
    double rank = (sorted.length - 1) * quantile;
    int below = (int) Math.floor(rank);
    int above = (int) Math.ceil(rank);
    return sorted[below] + (sorted[above] - sorted[below]) * (rank - below);
  }

  static double[] recordedInstances(Trace trace) {
    double[] instances = new double[trace.length()];
    for (int t = 0; t < instances.length; t++) {
      instances[t] = trace.instances(t);
    }
    return instances;
  }

  private static double peakDemand(Trace trace) {
    return Arrays.stream(trace.requestsArray()).filter(d -> !Double.isNaN(d)).max().orElse(0);
  }
}
