package inferscale.aws.adapters;

import inferscale.control.PortFailure;
import inferscale.decision.SignalPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads back, for shadow scoring, what {@link DecisionMetrics} records under the {@value
 * InferScaleMetrics#MODE} dimension each cycle (InferScale's ask, the endpoint's serving count,
 * the capacity per instance of the policy) and the endpoint's requests of the same minutes. The
 * requests are SageMaker's own {@code Invocations}, not the {@code ObservedRequests} each cycle
 * records for the dashboard: a cycle records only the newest minute it sees, which may still be
 * filling, or be skipped when the metric arrives late.
 */
public final class ScalerRecords {
  private final MetricsReader metrics;

  public ScalerRecords(MetricsReader metrics) {
    this.metrics = metrics;
  }

  /**
   * The records of one mode over {@code minutes} minutes from {@code start}, in one read.
   *
   * @param mode {@value InferScaleMetrics#MODE_SHADOW} or {@value InferScaleMetrics#MODE_LIVE}
   * @throws PortFailure when CloudWatch cannot be read
   */
  public Minutes read(String endpoint, String variant, String mode, Instant start, int minutes) {
    List<MetricDimension> dimensions =
        new ArrayList<>(MetricSpec.variantDimensions(endpoint, variant));
    dimensions.add(new MetricDimension(InferScaleMetrics.MODE, mode));
    List<MetricQuery> queries = List.of(
        query("asks", DecisionMetrics.DESIRED, dimensions),
        query("serving", DecisionMetrics.CURRENT, dimensions),
        new MetricQuery("requests", SignalMetrics.defaults(endpoint, variant).invocations(), 60),
        query("capacity", DecisionMetrics.CAPACITY_PER_INSTANCE, dimensions));
    Map<String, List<SignalPoint>> read = AwsFailures.call("GetMetricData",
        () -> metrics.read(queries, start, start.plus(Duration.ofMinutes(minutes))));
    List<SignalPoint> capacity = read.get("capacity");
    return new Minutes(mode, MetricsReader.perMinute(read.get("asks"), start, minutes),
        MetricsReader.perMinute(read.get("serving"), start, minutes),
        MetricsReader.perMinute(read.get("requests"), start, minutes),
        capacity.isEmpty() ? null : capacity.get(capacity.size() - 1).value());
  }

  /** Maximum: should two cycles run in one minute, the larger ask counts. */
  private static MetricQuery query(String id, String metric, List<MetricDimension> dimensions) {
    return new MetricQuery(id, new MetricSpec(InferScaleMetrics.NAMESPACE, metric, dimensions,
        "Maximum"), 60);
  }

  /**
   * One value a minute, NaN where nothing was recorded.
   *
   * @param asks the counts InferScale asked for, by the minute of the cycle
   * @param serving the endpoint's serving instances, likewise
   * @param requests the endpoint's requests, by the minute they came in
   * @param capacityPerInstance the newest requests per minute one instance serves by the policy,
   *     or null when the policy has no maxRpsPerInstance
   */
  public record Minutes(String mode, double[] asks, double[] serving, double[] requests,
      Double capacityPerInstance) {}
}
