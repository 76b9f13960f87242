package inferscale.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import inferscale.decision.InvalidPolicyException;
import inferscale.decision.PolicyConfig;
import inferscale.decision.PolicyConfigParser;
import inferscale.decision.Timing;
import inferscale.planning.FloorSchedule;
import inferscale.units.RequestRate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The knobs of a backtest, the same for every policy.
 *
 * @param peakInstances instances needed at the trace's 99th-percentile minute: sets {@code mu}
 *     when neither {@code rpsPerInstance} nor the policy's {@code targets.maxRpsPerInstance} does
 * @param timing cold start (an instance asked for at t serves from t + this, billed from t),
 *     metric delay (at minute t a controller sees data up to t − this) and the forecaster's
 *     interval: the same value the engine's policy carries
 * @param targetUtilization share of {@code mu} the engine and target tracking aim for per instance
 * @param rpsPerInstance what one instance serves within the SLO (a load test's figure), or null
 * @param minInstances fewest instances of the dynamic policies, or null for 1
 * @param maxInstances most instances of the dynamic policies, or null for {@value
 *     Backtest#MAX_INSTANCES_PER_PEAK_INSTANCE} times the p99 minute's fleet
 * @param policyOverrides InferScale's policy as a schedule payload gives it (a deployed stack's),
 *     applied over the backtest's default engine policy, or null; its timing is {@code timing}'s
 * @param schedules InferScale's explicit floors, as the scaler's request gives them: the reactive
 *     and inferscale policies keep them, target tracking (today's scaling) does not
 */
public record BacktestParameters(int peakInstances, Timing timing, double targetUtilization,
    Double rpsPerInstance, Integer minInstances, Integer maxInstances, JsonNode policyOverrides,
    List<FloorSchedule> schedules) {

  /** Traces longer than this are scored only after {@link #WARM_UP_MINUTES}. */
  static final int LONG_TRACE_MINUTES = (int) (10.5 * 24 * 60);

  static final int WARM_UP_MINUTES = 7 * 24 * 60;

  static final int MAX_INSTANCES = 100_000;

  public BacktestParameters {
    Objects.requireNonNull(timing, "timing");
    schedules = schedules == null ? List.of() : List.copyOf(schedules);
  }

  /** Without explicit floors. */
  public BacktestParameters(int peakInstances, Timing timing, double targetUtilization,
      Double rpsPerInstance, Integer minInstances, Integer maxInstances,
      JsonNode policyOverrides) {
    this(peakInstances, timing, targetUtilization, rpsPerInstance, minInstances, maxInstances,
        policyOverrides, List.of());
  }

  public BacktestParameters(int peakInstances, Timing timing, double targetUtilization) {
    this(peakInstances, timing, targetUtilization, null, null, null, null);
  }

  /** 20 instances at the p99 minute, an 8-minute cold start, the policy's other timing, 70 %. */
  public static BacktestParameters defaults() {
    return new BacktestParameters(20, Timing.defaults().withColdStartMinutes(8), 0.7);
  }

  /** The same with an endpoint's facts: capacity, bounds and InferScale's policy, each nullable. */
  public BacktestParameters withEndpoint(Double rps, Integer min, Integer max, JsonNode policy) {
    return new BacktestParameters(peakInstances, timing, targetUtilization, rps, min, max, policy,
        schedules);
  }

  /** The same with these explicit floors. */
  public BacktestParameters withSchedules(List<FloorSchedule> floors) {
    return new BacktestParameters(peakInstances, timing, targetUtilization, rpsPerInstance,
        minInstances, maxInstances, policyOverrides, floors);
  }

  /** The same without the policy's own targets.rpsPerInstance: for a sweep, which sets it. */
  public BacktestParameters withoutPolicyTarget() {
    return withEndpoint(rpsPerInstance, minInstances, maxInstances,
        PolicyConfigParser.without(policyOverrides, "targets.rpsPerInstance"));
  }

  /** The same with another target utilisation. */
  public BacktestParameters withTargetUtilization(double utilization) {
    return new BacktestParameters(peakInstances, timing, utilization, rpsPerInstance,
        minInstances, maxInstances, policyOverrides, schedules);
  }

  /** Every problem, each naming its field; empty when valid. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (peakInstances < 1 || peakInstances > 10_000) {
      problems.add("peakInstances must be between 1 and 10000, got " + peakInstances);
    }
    problems.addAll(timing.problems(""));
    if (!(targetUtilization > 0 && targetUtilization <= 1)) {
      problems.add("targetUtilization must be in (0, 1], got " + targetUtilization);
    }
    if (rpsPerInstance != null && !plausibleRps(rpsPerInstance)) {
      problems.add("rpsPerInstance must be above 0 and at most " + MAX_RPS + ", got "
          + rpsPerInstance);
    }
    if (minInstances != null && (minInstances < 1 || minInstances > MAX_INSTANCES)) {
      problems.add("minInstances must be between 1 and " + MAX_INSTANCES + ", got "
          + minInstances);
    }
    if (maxInstances != null && (maxInstances < 1 || maxInstances > MAX_INSTANCES)) {
      problems.add("maxInstances must be between 1 and " + MAX_INSTANCES + ", got "
          + maxInstances);
    } else if (maxInstances != null && minInstances != null && maxInstances < minInstances) {
      problems.add("maxInstances must be at least minInstances (" + minInstances + "), got "
          + maxInstances);
    }
    if (policyOverrides != null) {
      try {
        PolicyConfig policy = withStandInCapacity(policyOverrides, timing);
        // Held to what the options are: beyond them a fleet or a rate no backtest simulates.
        if (policy.bounds().maxInstances() > MAX_INSTANCES) {
          problems.add("policy: bounds.maxInstances must be at most " + MAX_INSTANCES
              + " in a backtest, got " + policy.bounds().maxInstances());
        }
        Double capacity = ownCapacity(policy);
        if (capacity != null && !plausibleRps(capacity)) {
          problems.add("policy: targets.maxRpsPerInstance must be at most " + MAX_RPS + ", got "
              + capacity);
        }
      } catch (InvalidPolicyException e) {
        e.problems().forEach(p -> problems.add("policy: " + p));
      }
    }
    return problems;
  }

  /** The most requests a second one instance is taken to serve, from the options or a policy. */
  private static final long MAX_RPS = (long) RequestRate.MAX_PLAUSIBLE.perSecond();

  private static boolean plausibleRps(double rps) {
    return rps > 0 && rps <= MAX_RPS;
  }

  /** What stands in for a capacity the policy does not name: mu is known only with the trace. */
  private static final double STAND_IN_CAPACITY = Double.MAX_VALUE;
  /**
   * What stands in for a target the policy does not name: the backtest sets it from mu, so a
   * capacity below the engine's default target (1 a second) must not be refused for it.
   */
  private static final double STAND_IN_TARGET = Double.MIN_VALUE;

  /**
   * The policy as given over the defaults, bounds wide open, {@link #STAND_IN_CAPACITY} where it
   * names no targets.maxRpsPerInstance (a budget needs one to be valid) and {@link
   * #STAND_IN_TARGET} where it names no targets.rpsPerInstance: its own fields, checked.
   *
   * @throws InvalidPolicyException naming every bad field
   */
  public static PolicyConfig withStandInCapacity(JsonNode overrides, Timing timing) {
    return readWithStandInCapacity(overrides, timing).policy();
  }

  /** As {@link #withStandInCapacity}, with the fields it gave and the deprecated ones. */
  public static PolicyConfigParser.Parsed readWithStandInCapacity(JsonNode overrides,
      Timing timing) {
    return PolicyConfigParser.read(overrides, PolicyConfig.defaults()
        .withBounds(1, MAX_INSTANCES).withTargetRpsPerInstance(STAND_IN_TARGET)
        .withMaxRpsPerInstance(STAND_IN_CAPACITY).withTiming(timing));
  }

  /**
   * The policy's own targets.maxRpsPerInstance, or null where it names none.
   *
   * @param policy as {@link #withStandInCapacity} gives it
   */
  public static Double ownCapacity(PolicyConfig policy) {
    Double given = policy.targets().maxRpsPerInstance();
    return given == null || given == STAND_IN_CAPACITY ? null : given;
  }

  /**
   * The policy's own targets.rpsPerInstance, or null where it names none.
   *
   * @param policy as {@link #withStandInCapacity} gives it
   */
  public static Double ownTarget(PolicyConfig policy) {
    double given = policy.targets().rpsPerInstance();
    return given == STAND_IN_TARGET ? null : given;
  }

  /** The first scored minute of a trace of this length. */
  static int scoredFrom(int traceLength) {
    return traceLength > LONG_TRACE_MINUTES ? WARM_UP_MINUTES : 0;
  }
}
