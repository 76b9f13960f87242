package inferscale.sizing;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scaler policy for a sized instance type: each instance held at a share of what it serves
 * within the SLO, never above all of it, between the instances the traffic's quiet minutes and
 * its peak need, with a cold start estimated from the model's size.
 *
 * @param maxRpsPerInstance what one instance serves within the SLO (all its copies)
 * @param targetRpsPerInstance {@code utilisation} of it, what target tracking holds
 * @param minInstances enough for the quiet minutes at the SLO's rate, at least 1
 * @param maxInstances the peak at the target rate, with {@value #GROWTH_ROOM} times room to grow
 * @param coldStartMinutes {@value #PROVISIONING_MINUTES} minutes to provision an instance and
 *     start its container, plus the weights loaded at {@value #LOAD_GB_PER_SECOND} GB/s
 */
public record SuggestedPolicy(String instanceType, double utilisation, double maxRpsPerInstance,
    double targetRpsPerInstance, int minInstances, int maxInstances, int coldStartMinutes) {
  public static final double DEFAULT_UTILISATION = 0.7;
  static final double GROWTH_ROOM = 1.25;
  static final int PROVISIONING_MINUTES = 5;
  static final double LOAD_GB_PER_SECOND = 0.5;

  /**
   * @param quietRps the quiet minutes' rate (a trace's 5th percentile), or 0 without a trace
   * @param peakRps the rate sized for: the trace's peak, or the target
   */
  public static SuggestedPolicy of(SizingRequest request, Candidate chosen, double quietRps,
      double peakRps, double utilisation) {
    if (!(utilisation > 0 && utilisation <= 1)) {
      throw new InvalidSizingInputException("utilisation",
          "must be above 0 and at most 1, found " + utilisation);
    }
    if (chosen.rpsPerInstance() == null || chosen.rpsPerInstance() <= 0) {
      throw new InvalidSizingInputException("instanceType", chosen.instanceType()
          + " has no throughput within the SLO to hold instances at");
    }
    double max = rounded(chosen.rpsPerInstance());
    double target = rounded(utilisation * max);
    int minInstances = (int) Math.max(1, Throughput.instancesFor(quietRps, max));
    int maxInstances = (int) Math.max(minInstances,
        Throughput.instancesFor(GROWTH_ROOM * peakRps, target));
    int coldStart = PROVISIONING_MINUTES
        + (int) Math.ceil(request.weightsBytes() / 1e9 / LOAD_GB_PER_SECOND / 60);
    return new SuggestedPolicy(chosen.instanceType(), utilisation, max, target, minInstances,
        maxInstances, coldStart);
  }

  /** The scaler's {@code policy} object, as a request or {@code ExtraPolicyFields} takes it. */
  public String toPolicyJson() {
    Map<String, Object> policy = new LinkedHashMap<>();
    Map<String, Object> bounds = new LinkedHashMap<>();
    bounds.put("minInstances", minInstances);
    bounds.put("maxInstances", maxInstances);
    policy.put("bounds", bounds);
    Map<String, Object> targets = new LinkedHashMap<>();
    targets.put("rpsPerInstance", targetRpsPerInstance);
    targets.put("maxRpsPerInstance", maxRpsPerInstance);
    policy.put("targets", targets);
    policy.put("timing", Map.of("coldStartMinutes", coldStartMinutes));
    return SizingJson.write(policy);
  }

  /** The same as template parameters, for {@code sam deploy --parameter-overrides}. */
  public String templateParameters() {
    return "MinInstances=" + minInstances + " MaxInstances=" + maxInstances
        + " TargetRpsPerInstance=" + Quantities.plain(targetRpsPerInstance)
        + " MaxRpsPerInstance=" + Quantities.plain(maxRpsPerInstance)
        + " ColdStartMinutes=" + coldStartMinutes;
  }

  /** Three significant digits: a benchmark or estimate is not more precise than that. */
  private static double rounded(double value) {
    return new BigDecimal(value).round(new MathContext(3)).doubleValue();
  }
}
