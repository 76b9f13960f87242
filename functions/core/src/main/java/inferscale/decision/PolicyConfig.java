package inferscale.decision;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The scaling policy of one endpoint. Every field has a default ({@link #defaults()}); a schedule
 * payload overrides some of them by JSON name ({@link PolicyConfigParser}). {@link #problems()}
 * lists everything wrong at once, and the engine refuses to decide on an invalid policy.
 *
 * @param signals the signals the reactive policy tracks; a tracked signal that is stale or missing
 *     blocks scale-in, so the default is RPS alone, which SageMaker always publishes: KV cache,
 *     queue and TTFT come from the serving container and are tracked once it publishes them
 * @param targetRpsPerInstance requests per second to hold each instance at: the reactive target,
 *     kept below what an instance can serve (about 70 %) because reactive scaling is late
 * @param maxRpsPerInstance requests per second one instance serves within the latency SLO (from a
 *     load test), or null: the predictive floor provisions the forecast's upper quantile at this
 *     rate, as that quantile already carries the headroom, but never more than the expected
 *     forecast at the target; null provisions the upper quantile at the target, which keeps the
 *     target's headroom on top of the quantile's
 * @param targetKvUsage KV-cache usage (0..1] to hold each instance at
 * @param targetWaitingPerInstance queued requests per instance to hold the endpoint at
 * @param ttftSloMs time-to-first-token SLO (p90); null when TTFT is not tracked
 * @param tolerance no change while the highest recommendation is within this fraction of the
 *     current count (below 1 / tolerance instances, any change of one is outside it)
 * @param signalWindowMinutes the newest minutes of a signal that its value is computed from (for
 *     RPS one minute more when the last hour shows bursty demand), and in which RPS must exceed
 *     the panic threshold every minute
 * @param stalenessMinutes a signal whose newest point is older than this is stale
 * @param scaleOutMaxPercent, scaleOutMinStep one scale-out adds at most max(percent, step)
 * @param panicThreshold panic when RPS exceeds this multiple of the current capacity at target in
 *     every minute of the signal window
 * @param panicHoldMinutes no scale-in until this long without panic
 * @param stabilisationMinutes scale-in goes only to the highest recommendation over this window
 * @param scaleInCooldownMinutes no scale-in this soon after the endpoint last changed
 * @param scaleInMaxPercent, scaleInMinStep one scale-in removes at most max(percent, step)
 * @param coldStartMinutes provisioning, image pull and model load of a new instance: the
 *     predictive floor looks this far ahead (plus the metric delay), over a window this long
 * @param metricDelayMinutes how late metrics reach CloudWatch
 */
@JsonPropertyOrder({
  "minInstances",
  "maxInstances",
  "signals",
  "targetRpsPerInstance",
  "maxRpsPerInstance",
  "targetKvUsage",
  "targetWaitingPerInstance",
  "ttftSloMs",
  "tolerance",
  "signalWindowMinutes",
  "stalenessMinutes",
  "scaleOutMaxPercent",
  "scaleOutMinStep",
  "panicThreshold",
  "panicHoldMinutes",
  "stabilisationMinutes",
  "scaleInCooldownMinutes",
  "scaleInMaxPercent",
  "scaleInMinStep",
  "coldStartMinutes",
  "metricDelayMinutes"
})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record PolicyConfig(
    int minInstances,
    int maxInstances,
    Set<Signal> signals,
    double targetRpsPerInstance,
    Double maxRpsPerInstance,
    double targetKvUsage,
    double targetWaitingPerInstance,
    Double ttftSloMs,
    double tolerance,
    int signalWindowMinutes,
    int stalenessMinutes,
    double scaleOutMaxPercent,
    int scaleOutMinStep,
    double panicThreshold,
    int panicHoldMinutes,
    int stabilisationMinutes,
    int scaleInCooldownMinutes,
    double scaleInMaxPercent,
    int scaleInMinStep,
    int coldStartMinutes,
    int metricDelayMinutes) {

  public PolicyConfig {
    signals = signals == null || signals.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(signals));
  }

  /** The documented defaults; {@code targetRpsPerInstance} should come from a load test. */
  public static PolicyConfig defaults() {
    return new PolicyConfig(
        1,
        10,
        EnumSet.of(Signal.RPS),
        1.0,
        null,
        0.75,
        2.0,
        null,
        0.10,
        2,
        5,
        100.0,
        4,
        2.0,
        10,
        10,
        10,
        10.0,
        1,
        10,
        2);
  }

  public boolean tracks(Signal signal) {
    return signals.contains(signal);
  }

  /** Every problem with this policy, each naming the field and its value; empty when valid. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (minInstances < 0) {
      problems.add("minInstances must be ≥ 0, got " + minInstances);
    }
    if (maxInstances < 1) {
      problems.add("maxInstances must be ≥ 1, got " + maxInstances);
    }
    if (maxInstances < minInstances) {
      problems.add(
          "maxInstances (" + maxInstances + ") must be ≥ minInstances (" + minInstances + ")");
    }
    if (signals.isEmpty()) {
      problems.add("signals must name at least one signal, got []");
    }
    positive(problems, "targetRpsPerInstance", targetRpsPerInstance);
    if (maxRpsPerInstance != null) {
      positive(problems, "maxRpsPerInstance", maxRpsPerInstance);
      if (maxRpsPerInstance < targetRpsPerInstance) {
        problems.add("maxRpsPerInstance (" + maxRpsPerInstance
            + ") must be ≥ targetRpsPerInstance (" + targetRpsPerInstance + ")");
      }
    }
    if (!(targetKvUsage > 0 && targetKvUsage <= 1)) {
      problems.add("targetKvUsage must be in (0, 1], got " + targetKvUsage);
    }
    positive(problems, "targetWaitingPerInstance", targetWaitingPerInstance);
    if (ttftSloMs != null) {
      positive(problems, "ttftSloMs", ttftSloMs);
    } else if (tracks(Signal.TTFT)) {
      problems.add("ttftSloMs is required when signals include ttftP90Ms, got null");
    }
    if (!(tolerance >= 0 && tolerance < 1)) {
      problems.add("tolerance must be in [0, 1), got " + tolerance);
    }
    atLeast(problems, "signalWindowMinutes", signalWindowMinutes, 1);
    atLeast(problems, "stalenessMinutes", stalenessMinutes, 1);
    notNegative(problems, "scaleOutMaxPercent", scaleOutMaxPercent);
    atLeast(problems, "scaleOutMinStep", scaleOutMinStep, 1);
    if (!(panicThreshold > 1)) {
      problems.add("panicThreshold must be > 1, got " + panicThreshold);
    }
    atLeast(problems, "panicHoldMinutes", panicHoldMinutes, 0);
    atLeast(problems, "stabilisationMinutes", stabilisationMinutes, 0);
    atLeast(problems, "scaleInCooldownMinutes", scaleInCooldownMinutes, 0);
    notNegative(problems, "scaleInMaxPercent", scaleInMaxPercent);
    atLeast(problems, "scaleInMinStep", scaleInMinStep, 1);
    if (coldStartMinutes < 0 || coldStartMinutes > 120) {
      problems.add("coldStartMinutes must be between 0 and 120, got " + coldStartMinutes);
    }
    if (metricDelayMinutes < 0 || metricDelayMinutes > 60) {
      problems.add("metricDelayMinutes must be between 0 and 60, got " + metricDelayMinutes);
    }
    return problems;
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
    Copy copy = new Copy(this);
    copy.minInstances = min;
    copy.maxInstances = max;
    return copy.build();
  }

  public PolicyConfig withTargetRpsPerInstance(double target) {
    Copy copy = new Copy(this);
    copy.targetRpsPerInstance = target;
    return copy.build();
  }

  /** This policy with the per-instance rate the predictive floor provisions at (null: target). */
  public PolicyConfig withMaxRpsPerInstance(Double max) {
    Copy copy = new Copy(this);
    copy.maxRpsPerInstance = max;
    return copy.build();
  }

  public PolicyConfig withTiming(int coldStart, int metricDelay) {
    Copy copy = new Copy(this);
    copy.coldStartMinutes = coldStart;
    copy.metricDelayMinutes = metricDelay;
    return copy.build();
  }

  public PolicyConfig withSignals(Set<Signal> tracked, Double ttftSlo) {
    Copy copy = new Copy(this);
    copy.signals = tracked;
    copy.ttftSloMs = ttftSlo;
    return copy.build();
  }

  /** Requests per second per instance the predictive floor provisions the upper quantile at. */
  public double floorRpsPerInstance() {
    return maxRpsPerInstance != null ? maxRpsPerInstance : targetRpsPerInstance;
  }

  /** How far ahead the predictive floor must look: cold start plus metric delay. */
  public int preWarmLeadMinutes() {
    return coldStartMinutes + metricDelayMinutes;
  }

  /** A mutable copy for the with-methods: the one place that passes every field along. */
  private static final class Copy {
    private int minInstances;
    private int maxInstances;
    private Set<Signal> signals;
    private double targetRpsPerInstance;
    private Double maxRpsPerInstance;
    private double targetKvUsage;
    private double targetWaitingPerInstance;
    private Double ttftSloMs;
    private double tolerance;
    private int signalWindowMinutes;
    private int stalenessMinutes;
    private double scaleOutMaxPercent;
    private int scaleOutMinStep;
    private double panicThreshold;
    private int panicHoldMinutes;
    private int stabilisationMinutes;
    private int scaleInCooldownMinutes;
    private double scaleInMaxPercent;
    private int scaleInMinStep;
    private int coldStartMinutes;
    private int metricDelayMinutes;

    Copy(PolicyConfig policy) {
      minInstances = policy.minInstances;
      maxInstances = policy.maxInstances;
      signals = policy.signals;
      targetRpsPerInstance = policy.targetRpsPerInstance;
      maxRpsPerInstance = policy.maxRpsPerInstance;
      targetKvUsage = policy.targetKvUsage;
      targetWaitingPerInstance = policy.targetWaitingPerInstance;
      ttftSloMs = policy.ttftSloMs;
      tolerance = policy.tolerance;
      signalWindowMinutes = policy.signalWindowMinutes;
      stalenessMinutes = policy.stalenessMinutes;
      scaleOutMaxPercent = policy.scaleOutMaxPercent;
      scaleOutMinStep = policy.scaleOutMinStep;
      panicThreshold = policy.panicThreshold;
      panicHoldMinutes = policy.panicHoldMinutes;
      stabilisationMinutes = policy.stabilisationMinutes;
      scaleInCooldownMinutes = policy.scaleInCooldownMinutes;
      scaleInMaxPercent = policy.scaleInMaxPercent;
      scaleInMinStep = policy.scaleInMinStep;
      coldStartMinutes = policy.coldStartMinutes;
      metricDelayMinutes = policy.metricDelayMinutes;
    }

    PolicyConfig build() {
      return new PolicyConfig(
          minInstances, maxInstances, signals, targetRpsPerInstance, maxRpsPerInstance,
          targetKvUsage, targetWaitingPerInstance, ttftSloMs, tolerance,
          signalWindowMinutes, stalenessMinutes, scaleOutMaxPercent, scaleOutMinStep,
          panicThreshold, panicHoldMinutes, stabilisationMinutes,
          scaleInCooldownMinutes, scaleInMaxPercent, scaleInMinStep, coldStartMinutes,
          metricDelayMinutes);
    }
  }
}
