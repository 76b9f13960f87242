package inferscale.aws.adapters;

import java.util.List;

/** Names of the metrics InferScale itself publishes, shared by both functions. */
public final class InferScaleMetrics {
  /** Every metric InferScale publishes lives here; the IAM policy allows PutMetricData only here. */
  public static final String NAMESPACE = "InferScale";
  /** The forecast's upper quantile of the request rate (requests per second), per future minute. */
  public static final String FORECAST_RPS = "ForecastRps";
  /** The forecast's expected (point) request rate, requests per second, per future minute. */
  public static final String FORECAST_EXPECTED_RPS = "ForecastRpsExpected";

  /**
   * The dimension that keeps shadow scoring's series apart: a dry-run cycle's (what InferScale
   * would have asked for) from a live one's. The forecast's dry-run channel uses it too.
   */
  public static final String MODE = "Mode";
  /** {@link #MODE} of a dry-run cycle: decided and recorded, not applied. */
  public static final String MODE_SHADOW = "Shadow";
  /** {@link #MODE} of a cycle allowed to apply its decision. */
  public static final String MODE_LIVE = "Live";

  /** 1 in a minute when the scaler applied a scale-out; the scale-in cooldown counts from it. */
  public static final String SCALE_OUT_APPLIED = "ScaleOutApplied";

  /**
   * The target utilisation the unserved budget's controller set, each minute: the state the next
   * cycle carries on from (with targets.floorBand, the policy's own: the budget moves the band).
   */
  public static final String BUDGET_UTILIZATION = "BudgetUtilization";

  /**
   * With targets.floorBand, the band the budget's controller set, each minute: the state the next
   * cycle carries on from.
   */
  public static final String BUDGET_FLOOR_BAND = "BudgetFloorBand";

  /**
   * The share of the last day's requests that met no capacity, percent, at each minute the week
   * and its last day were tallied (once an hour).
   */
  public static final String BUDGET_BURN_PERCENT = "BudgetBurnPercent";

  /** Minutes with requests in that day, at the same minute. */
  public static final String BUDGET_DAY_MINUTES = "BudgetDayMinutes";

  /**
   * The same share of the last week's requests, the budget's window, percent, at each minute the
   * week was tallied (once an hour): the tally later cycles carry on.
   */
  public static final String BUDGET_WEEK_BURN_PERCENT = "BudgetWeekBurnPercent";

  /**
   * Minutes of the week tallied that its metrics cover (from its first minute with requests), at
   * the same minute.
   */
  public static final String BUDGET_WEEK_MINUTES = "BudgetWeekMinutes";

  /** The cold start the scaler tallied (learned, or the policy's), at each hourly tally. */
  public static final String LEARNED_COLD_START = "LearnedColdStartMinutes";
  /** The timed scale-outs that tally counted. */
  public static final String LEAD_UPDATES = "LearnedColdStartUpdates";

  /** Minutes a scale-out took from the ask to InService, by instance type, one per scale-out. */
  public static final String STARTUP_MINUTES = "StartupMinutes";
  /** The dimension {@link #STARTUP_MINUTES} is kept by: what every endpoint of a type shares. */
  public static final String INSTANCE_TYPE = "InstanceType";
  /** 1 in each cycle whose variant found no capacity (backing off), 0 otherwise. */
  public static final String CAPACITY_UNAVAILABLE = "CapacityUnavailable";
  /** The fallback variant's desired count and its share of traffic, with a fallback. */
  public static final String FALLBACK_DESIRED_INSTANCES = "FallbackDesiredInstances";
  public static final String FALLBACK_WEIGHT = "FallbackWeight";
  /** 1 per cycle, by what started it (dimension {@link #TRIGGER}). */
  public static final String CYCLES = "Cycles";
  public static final String TRIGGER = "Trigger";

  private InferScaleMetrics() {}

  /** Every scaler's timed scale-outs of {@code instanceType}: the learned lead reads them back. */
  public static MetricSpec startupMinutes(String instanceType) {
    // Maximum: two endpoints finishing in one minute, the slower is the safer lead.
    return new MetricSpec(NAMESPACE, STARTUP_MINUTES,
        List.of(new MetricDimension(INSTANCE_TYPE, instanceType)), "Maximum");
  }

  /**
   * One of the scaler's own records ({@link #BUDGET_UTILIZATION}, {@link #BUDGET_FLOOR_BAND},
   * {@link #BUDGET_WEEK_BURN_PERCENT}, {@link #BUDGET_WEEK_MINUTES}, {@link #BUDGET_BURN_PERCENT},
   * {@link #BUDGET_DAY_MINUTES}, {@link #LEARNED_COLD_START}), read back by the same
   * deployment's later cycles and forecaster: a dry-run deployment's ({@value #MODE_SHADOW}) or a
   * live one's.
   */
  public static MetricSpec scalerState(String metricName, MetricTarget target,
      ForecastChannel channel) {
    List<MetricDimension> dimensions = new java.util.ArrayList<>(target.dimensions());
    dimensions.add(new MetricDimension(MODE,
        channel == ForecastChannel.DRY_RUN ? MODE_SHADOW : MODE_LIVE));
    return new MetricSpec(NAMESPACE, metricName, dimensions, "Maximum");
  }

  /** The scaler's own record of applied scale-outs, read back for the scale-in cooldown. */
  public static MetricSpec scaleOutApplied(MetricTarget target) {
    return scalerRecord(SCALE_OUT_APPLIED, target);
  }

  /**
   * One of the values each cycle records by endpoint and unit ({@link DecisionMetrics}): the
   * fleet dispatcher reads the needed counts back to share the account's quota.
   */
  public static MetricSpec scalerRecord(String metricName, MetricTarget target) {
    return new MetricSpec(NAMESPACE, metricName, target.dimensions(), "Maximum");
  }

  /** Where the ForecastFunction publishes, and the ScalerFunction reads, one variant's forecast. */
  public static MetricSpec forecastRps(
      String endpointName, String variantName, ForecastChannel channel) {
    return forecastRps(MetricTarget.variant(endpointName, variantName), channel);
  }

  /** As {@link #forecastRps(String, String, ForecastChannel)}, for any target. */
  public static MetricSpec forecastRps(MetricTarget target, ForecastChannel channel) {
    return forecast(FORECAST_RPS, channel.dimensions(target));
  }

  /** The expected rate beside {@link #forecastRps}: it caps the floor on noisy traffic. */
  public static MetricSpec forecastExpectedRps(
      String endpointName, String variantName, ForecastChannel channel) {
    return forecastExpectedRps(MetricTarget.variant(endpointName, variantName), channel);
  }

  /** As {@link #forecastExpectedRps(String, String, ForecastChannel)}, for any target. */
  public static MetricSpec forecastExpectedRps(MetricTarget target, ForecastChannel channel) {
    return forecast(FORECAST_EXPECTED_RPS, channel.dimensions(target));
  }

  private static MetricSpec forecast(String name, List<MetricDimension> dimensions) {
    // Maximum: when successive forecasts overlap a minute, the higher one is the safer floor.
    return new MetricSpec(NAMESPACE, name, dimensions, "Maximum");
  }
}
