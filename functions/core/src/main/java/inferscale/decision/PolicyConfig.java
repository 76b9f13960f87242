package inferscale.decision;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The scaling policy of one endpoint, grouped by meaning as Kubernetes' HPA groups its scale-up
 * and scale-down behaviour: bounds, targets, freshness, scale-out rules, scale-in rules, timing.
 * Every field has a default ({@link #defaults()}); a schedule payload overrides some of them by
 * JSON name ({@link PolicyConfigParser}). {@link #problems()} lists everything wrong at once, each
 * naming the field by its path (e.g. {@code scaleIn.cooldownMinutes}), and the engine refuses to
 * decide on an invalid policy.
 */
@JsonPropertyOrder({"bounds", "targets", "freshness", "scaleOut", "scaleIn", "timing", "budget",
    "fallback"})
public record PolicyConfig(
    Bounds bounds,
    Targets targets,
    SignalFreshness freshness,
    ScaleOutRules scaleOut,
    ScaleInRules scaleIn,
    Timing timing,
    Budget budget,
    Fallback fallback) {

  public PolicyConfig {
    Objects.requireNonNull(bounds, "bounds");
    Objects.requireNonNull(targets, "targets");
    Objects.requireNonNull(freshness, "freshness");
    Objects.requireNonNull(scaleOut, "scaleOut");
    Objects.requireNonNull(scaleIn, "scaleIn");
    Objects.requireNonNull(timing, "timing");
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(fallback, "fallback");
  }

  /**
   * The widest floor band: three times the band up to the upper quantile is already past any
   * quantile a forecast's replayed errors can estimate.
   */
  public static final double MAX_FLOOR_BAND = 3;

  /** SageMaker's rule for variant names. */
  private static final Pattern VARIANT_NAME = Pattern.compile("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$");

  /**
   * A second production variant, on another instance type, that takes traffic while the scaled
   * variant cannot get instances.
   *
   * @param variantName the fallback variant, or null for none
   * @param rpsPerInstance requests per second one fallback instance is held at (its target, as
   *     targets.rpsPerInstance is the scaled variant's); required with a variant
   * @param minInstances the fewest it keeps, also when the scaled variant has capacity again (a
   *     variant without inference components cannot go below 1)
   * @param maxInstances the most it grows to
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  @JsonPropertyOrder({"variantName", "rpsPerInstance", "minInstances", "maxInstances"})
  public record Fallback(String variantName, Double rpsPerInstance, int minInstances,
      int maxInstances) {
    public boolean configured() {
      return variantName != null;
    }
  }

  /**
   * An unserved-demand budget the scaler holds by moving its own headroom (see {@link
   * UnservedBudget}): its target utilisation, or with targets.floorBand the forecast floor's band.
   *
   * @param unservedPercent the share of requests that may meet no serving capacity (beyond
   *     targets.maxRpsPerInstance per serving instance), in percent; null: no budget, the target
   *     stays targets.rpsPerInstance
   * @param minUtilization the lowest target utilisation (of maxRpsPerInstance) it may set
   * @param maxUtilization the highest
   * @param minFloorBand with targets.floorBand, the narrowest band it may set
   * @param maxFloorBand the widest (the policy's own target or band, where the controller starts,
   *     is taken into these bounds at its first cycle)
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  @JsonPropertyOrder({"unservedPercent", "minUtilization", "maxUtilization", "minFloorBand",
      "maxFloorBand"})
  public record Budget(Double unservedPercent, double minUtilization, double maxUtilization,
      double minFloorBand, double maxFloorBand) {
    /** This budget holding another share (null: none), within the same bounds. */
    public Budget withUnservedPercent(Double percent) {
      return new Budget(percent, minUtilization, maxUtilization, minFloorBand, maxFloorBand);
    }
  }

  /**
   * @param minInstances fewest instances (copies of an inference component)
   * @param maxInstances most instances
   * @param scaleToZeroAfterMinutes with a minimum of 0: the minutes without a request after which
   *     the count may fall to zero (an inference component scaled to zero copies); until then it
   *     keeps one. Null: the minimum holds as it is
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  @JsonPropertyOrder({"minInstances", "maxInstances", "scaleToZeroAfterMinutes"})
  public record Bounds(int minInstances, int maxInstances, Integer scaleToZeroAfterMinutes) {
    /** Bounds that never scale to zero on their own. */
    public Bounds(int minInstances, int maxInstances) {
      this(minInstances, maxInstances, null);
    }
  }

  /**
   * What each instance is held at.
   *
   * @param signals the signals the reactive policy tracks; a tracked signal that is stale or
   *     missing blocks scale-in, so the default is RPS alone, which SageMaker always publishes: KV
   *     cache, queue and TTFT come from the serving container and are tracked once it publishes them
   * @param rpsPerInstance requests per second to hold each instance at: the reactive target, kept
   *     below what an instance can serve (about 70 %) because reactive scaling is late
   * @param maxRpsPerInstance requests per second one instance serves within the latency SLO (from
   *     a load test), or null: the predictive floor provisions the forecast's upper quantile at
   *     this rate, as that quantile already carries the headroom, but never more than the expected
   *     forecast at the target (unless floorBand sets the floor's headroom); null provisions the
   *     upper quantile at the target, which keeps the target's headroom on top of the quantile's
   * @param kvUsage KV-cache usage (0..1] to hold each instance at
   * @param waitingPerInstance queued requests per instance to hold the endpoint at
   * @param ttftSloMs time-to-first-token SLO (p90); null when TTFT is not tracked
   * @param concurrencyPerInstance in-flight requests to hold each serving instance at; null when
   *     concurrency is not tracked. Little's law ties it to RPS: rpsPerInstance × the mean
   *     request latency in seconds
   * @param tolerance no change while the highest recommendation is within this fraction of the
   *     desired count (below 1 / tolerance instances, any change of one is outside it)
   * @param floorBand with maxRpsPerInstance: the predictive floor provisions, at maxRpsPerInstance
   *     per instance, the expected forecast plus this share of the band up to the upper quantile
   *     (1: the upper quantile itself), and no cap at the target: the forecast, not the target,
   *     sets the floor's headroom; with a budget, the band it starts from and moves. Null: the
   *     upper quantile, capped at the expected rate at the target
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  @JsonPropertyOrder({"signals", "rpsPerInstance", "maxRpsPerInstance", "kvUsage",
      "waitingPerInstance", "ttftSloMs", "concurrencyPerInstance", "tolerance", "floorBand"})
  public record Targets(Set<Signal> signals, double rpsPerInstance, Double maxRpsPerInstance,
      double kvUsage, double waitingPerInstance, Double ttftSloMs, Double concurrencyPerInstance,
      double tolerance, Double floorBand) {
    public Targets {
      // An EnumSet keeps the JSON order stable; Set.copyOf would not.
      signals = Collections.unmodifiableSet(signals == null || signals.isEmpty()
          ? EnumSet.noneOf(Signal.class) : EnumSet.copyOf(signals));
    }

    /** Requests per second per instance the predictive floor provisions the upper quantile at. */
    public double floorRpsPerInstance() {
      return maxRpsPerInstance != null ? maxRpsPerInstance : rpsPerInstance;
    }
  }

  /**
   * @param signalWindowMinutes the newest minutes of a signal that its value is computed from
   *     (for RPS up to 10 when the last hour shows bursty demand, unless in panic), and in which
   *     RPS must exceed the panic threshold every minute
   * @param stalenessMinutes a signal whose newest point is older than this is stale
   */
  @JsonPropertyOrder({"signalWindowMinutes", "stalenessMinutes"})
  public record SignalFreshness(int signalWindowMinutes, int stalenessMinutes) {}

  /**
   * @param maxPercent, minStep one scale-out adds at most max(percent, step)
   * @param panicThreshold panic when RPS exceeds this multiple of the current capacity at target
   *     in every minute of the signal window: the step limit is lifted
   */
  @JsonPropertyOrder({"maxPercent", "minStep", "panicThreshold"})
  public record ScaleOutRules(double maxPercent, int minStep, double panicThreshold) {
    /** The most one scale-out from {@code desired} adds: max(percent rounded up, step). */
    public int stepFrom(int desired) {
      return Math.max(percentOf(desired, maxPercent, true), minStep);
    }
  }

  /**
   * @param maxPercent, minStep one scale-in removes at most max(percent, step)
   * @param stabilisationMinutes scale-in goes only to the highest recommendation over this window
   * @param cooldownMinutes no scale-in this soon after the last scale-out
   * @param panicHoldMinutes no scale-in until this long without panic
   */
  @JsonPropertyOrder({"maxPercent", "minStep", "stabilisationMinutes", "cooldownMinutes",
      "panicHoldMinutes"})
  public record ScaleInRules(double maxPercent, int minStep, int stabilisationMinutes,
      int cooldownMinutes, int panicHoldMinutes) {
    /** The most one scale-in from {@code desired} removes: max(percent rounded down, step). */
    public int stepFrom(int desired) {
      return Math.max(percentOf(desired, maxPercent, false), minStep);
    }
  }

  /** Percent of a count as a whole step: rounded up for scale-out, down for scale-in. */
  private static int percentOf(int count, double percent, boolean roundUp) {
    double step = count * percent / 100.0;
    double rounded = roundUp ? Math.ceil(step) : Math.floor(step);
    return rounded >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) rounded;
  }

  /** The documented defaults; {@code targets.rpsPerInstance} should come from a load test. */
  public static PolicyConfig defaults() {
    return new PolicyConfig(
        new Bounds(1, 10),
        new Targets(EnumSet.of(Signal.RPS), 1.0, null, 0.75, 2.0, null, null, 0.10, null),
        new SignalFreshness(2, 5),
        new ScaleOutRules(100.0, 4, 2.0),
        new ScaleInRules(10.0, 1, 10, 10, 10),
        Timing.defaults(),
        new Budget(null, 0.3, 1.0, 0.0, MAX_FLOOR_BAND),
        new Fallback(null, null, 1, 4));
  }

  public boolean tracks(Signal signal) {
    return targets.signals().contains(signal);
  }

  /** Every problem with this policy, each naming the field's path and its value; empty if valid. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (bounds.minInstances() < 0) {
      problems.add("bounds.minInstances must be ≥ 0, got " + bounds.minInstances());
    }
    if (bounds.maxInstances() < 1) {
      problems.add("bounds.maxInstances must be ≥ 1, got " + bounds.maxInstances());
    }
    if (bounds.scaleToZeroAfterMinutes() != null) {
      atLeast(problems, "bounds.scaleToZeroAfterMinutes", bounds.scaleToZeroAfterMinutes(), 1);
      if (bounds.minInstances() != 0) {
        problems.add("bounds.scaleToZeroAfterMinutes needs bounds.minInstances 0 (it keeps one"
            + " until the idle minutes pass), got " + bounds.minInstances());
      }
    }
    if (bounds.maxInstances() < bounds.minInstances()) {
      problems.add("bounds.maxInstances (" + bounds.maxInstances()
          + ") must be ≥ bounds.minInstances (" + bounds.minInstances() + ")");
    }
    if (targets.signals().isEmpty()) {
      problems.add("targets.signals must name at least one signal, got []");
    }
    positive(problems, "targets.rpsPerInstance", targets.rpsPerInstance());
    if (targets.maxRpsPerInstance() != null) {
      positive(problems, "targets.maxRpsPerInstance", targets.maxRpsPerInstance());
      // One that is not positive is named above: comparing it would name it twice.
      if (targets.maxRpsPerInstance() > 0
          && targets.maxRpsPerInstance() < targets.rpsPerInstance()) {
        problems.add("targets.maxRpsPerInstance (" + targets.maxRpsPerInstance()
            + ") must be ≥ targets.rpsPerInstance (" + targets.rpsPerInstance() + ")");
      }
    }
    if (targets.floorBand() != null) {
      if (!(targets.floorBand() >= 0 && targets.floorBand() <= MAX_FLOOR_BAND)) {
        problems.add("targets.floorBand must be in [0, " + MAX_FLOOR_BAND + "], got "
            + targets.floorBand());
      }
      if (targets.maxRpsPerInstance() == null) {
        problems.add("targets.floorBand needs targets.maxRpsPerInstance, what one instance"
            + " serves, to size the floor at; got null");
      }
    }
    if (!(targets.kvUsage() > 0 && targets.kvUsage() <= 1)) {
      problems.add("targets.kvUsage must be in (0, 1], got " + targets.kvUsage());
    }
    positive(problems, "targets.waitingPerInstance", targets.waitingPerInstance());
    if (targets.ttftSloMs() != null) {
      positive(problems, "targets.ttftSloMs", targets.ttftSloMs());
    } else if (tracks(Signal.TTFT)) {
      problems.add("targets.ttftSloMs is required when targets.signals include ttftP90Ms, got null");
    }
    if (targets.concurrencyPerInstance() != null) {
      positive(problems, "targets.concurrencyPerInstance", targets.concurrencyPerInstance());
    } else if (tracks(Signal.CONCURRENCY)) {
      problems.add("targets.concurrencyPerInstance is required when targets.signals include"
          + " concurrency, got null");
    }
    if (!(targets.tolerance() >= 0 && targets.tolerance() < 1)) {
      problems.add("targets.tolerance must be in [0, 1), got " + targets.tolerance());
    }
    atLeast(problems, "freshness.signalWindowMinutes", freshness.signalWindowMinutes(), 1);
    atLeast(problems, "freshness.stalenessMinutes", freshness.stalenessMinutes(), 1);
    notNegative(problems, "scaleOut.maxPercent", scaleOut.maxPercent());
    atLeast(problems, "scaleOut.minStep", scaleOut.minStep(), 1);
    if (!(scaleOut.panicThreshold() > 1)) {
      problems.add("scaleOut.panicThreshold must be > 1, got " + scaleOut.panicThreshold());
    }
    notNegative(problems, "scaleIn.maxPercent", scaleIn.maxPercent());
    atLeast(problems, "scaleIn.minStep", scaleIn.minStep(), 1);
    atLeast(problems, "scaleIn.stabilisationMinutes", scaleIn.stabilisationMinutes(), 0);
    atLeast(problems, "scaleIn.cooldownMinutes", scaleIn.cooldownMinutes(), 0);
    atLeast(problems, "scaleIn.panicHoldMinutes", scaleIn.panicHoldMinutes(), 0);
    problems.addAll(timing.problems("timing."));
    if (budget.unservedPercent() != null) {
      if (!(budget.unservedPercent() > 0 && budget.unservedPercent() <= 50)) {
        problems.add("budget.unservedPercent must be in (0, 50], got " + budget.unservedPercent());
      }
      if (targets.maxRpsPerInstance() == null) {
        problems.add("budget.unservedPercent needs targets.maxRpsPerInstance, what one instance"
            + " serves, to tell served from unserved; got null");
      }
      if (targets.floorBand() == null && !tracks(Signal.RPS)) {
        problems.add("budget.unservedPercent moves the RPS target: targets.signals must include"
            + " rps, got " + targets.signals());
      }
    }
    if (!(budget.minUtilization() > 0 && budget.minUtilization() <= 1)) {
      problems.add("budget.minUtilization must be in (0, 1], got " + budget.minUtilization());
    }
    if (!(budget.maxUtilization() > 0 && budget.maxUtilization() <= 1)) {
      problems.add("budget.maxUtilization must be in (0, 1], got " + budget.maxUtilization());
    } else if (budget.maxUtilization() < budget.minUtilization()) {
      problems.add("budget.maxUtilization (" + budget.maxUtilization()
          + ") must be ≥ budget.minUtilization (" + budget.minUtilization() + ")");
    }
    if (!(budget.minFloorBand() >= 0 && budget.minFloorBand() <= MAX_FLOOR_BAND)) {
      problems.add("budget.minFloorBand must be in [0, " + MAX_FLOOR_BAND + "], got "
          + budget.minFloorBand());
    }
    if (!(budget.maxFloorBand() >= 0 && budget.maxFloorBand() <= MAX_FLOOR_BAND)) {
      problems.add("budget.maxFloorBand must be in [0, " + MAX_FLOOR_BAND + "], got "
          + budget.maxFloorBand());
    } else if (budget.maxFloorBand() < budget.minFloorBand()) {
      problems.add("budget.maxFloorBand (" + budget.maxFloorBand()
          + ") must be ≥ budget.minFloorBand (" + budget.minFloorBand() + ")");
    }
    fallbackProblems(problems);
    return problems;
  }

  private void fallbackProblems(List<String> problems) {
    if (fallback.variantName() == null) {
      return;
    }
    if (!VARIANT_NAME.matcher(fallback.variantName()).matches()) {
      problems.add("fallback.variantName must match " + VARIANT_NAME.pattern()
          + " (1-63 letters, digits and inner hyphens), got '" + fallback.variantName() + "'");
    }
    if (fallback.rpsPerInstance() == null) {
      problems.add("fallback.rpsPerInstance is required with fallback.variantName, got null");
    } else {
      positive(problems, "fallback.rpsPerInstance", fallback.rpsPerInstance());
    }
    atLeast(problems, "fallback.minInstances", fallback.minInstances(), 0);
    if (fallback.maxInstances() < Math.max(1, fallback.minInstances())) {
      problems.add("fallback.maxInstances must be ≥ 1 and ≥ fallback.minInstances ("
          + fallback.minInstances() + "), got " + fallback.maxInstances());
    }
  }

  /** This policy, or an {@link InvalidPolicyException} listing every problem. */
  public PolicyConfig validated() {
    List<String> problems = problems();
    if (!problems.isEmpty()) {
      throw new InvalidPolicyException(problems);
    }
    return this;
  }

  private static void positive(List<String> problems, String field, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      problems.add(field + " must be a positive number, got " + value);
    }
  }

  private static void notNegative(List<String> problems, String field, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      problems.add(field + " must be ≥ 0, got " + value);
    }
  }

  private static void atLeast(List<String> problems, String field, int value, int minimum) {
    if (value < minimum) {
      problems.add(field + " must be ≥ " + minimum + ", got " + value);
    }
  }

  public PolicyConfig withBounds(int min, int max) {
    return new PolicyConfig(new Bounds(min, max, bounds.scaleToZeroAfterMinutes()), targets,
        freshness, scaleOut, scaleIn, timing, budget, fallback);
  }

  public PolicyConfig withTargets(Targets replacement) {
    return new PolicyConfig(bounds, replacement, freshness, scaleOut, scaleIn, timing, budget,
        fallback);
  }

  /**
   * This policy held at another RPS target; a concurrency target moves with it, as the latency
   * that ties the two (Little's law) does not change.
   */
  public PolicyConfig withTargetRpsPerInstance(double target) {
    Double concurrency = targets.concurrencyPerInstance() == null ? null
        : targets.concurrencyPerInstance() * target / targets.rpsPerInstance();
    return withTargets(new Targets(targets.signals(), target, targets.maxRpsPerInstance(),
        targets.kvUsage(), targets.waitingPerInstance(), targets.ttftSloMs(), concurrency,
        targets.tolerance(), targets.floorBand()));
  }

  /** This policy with the per-instance rate the predictive floor provisions at (null: target). */
  public PolicyConfig withMaxRpsPerInstance(Double max) {
    return withTargets(new Targets(targets.signals(), targets.rpsPerInstance(), max,
        targets.kvUsage(), targets.waitingPerInstance(), targets.ttftSloMs(),
        targets.concurrencyPerInstance(), targets.tolerance(), targets.floorBand()));
  }

  /** This policy with its predictive floor sized on a share of the forecast band (null: off). */
  public PolicyConfig withFloorBand(Double band) {
    return withTargets(new Targets(targets.signals(), targets.rpsPerInstance(),
        targets.maxRpsPerInstance(), targets.kvUsage(), targets.waitingPerInstance(),
        targets.ttftSloMs(), targets.concurrencyPerInstance(), targets.tolerance(), band));
  }

  public PolicyConfig withSignals(Set<Signal> tracked, Double ttftSlo) {
    return withTargets(new Targets(tracked, targets.rpsPerInstance(),
        targets.maxRpsPerInstance(), targets.kvUsage(), targets.waitingPerInstance(), ttftSlo,
        targets.concurrencyPerInstance(), targets.tolerance(), targets.floorBand()));
  }

  public PolicyConfig withScaleIn(ScaleInRules replacement) {
    return new PolicyConfig(bounds, targets, freshness, scaleOut, replacement, timing, budget,
        fallback);
  }

  public PolicyConfig withBudget(Budget replacement) {
    return new PolicyConfig(bounds, targets, freshness, scaleOut, scaleIn, timing, replacement,
        fallback);
  }

  public PolicyConfig withTiming(Timing replacement) {
    return new PolicyConfig(bounds, targets, freshness, scaleOut, scaleIn, replacement, budget,
        fallback);
  }
}
