package inferscale.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import inferscale.aws.adapters.AwsFailures;
import inferscale.aws.adapters.MetricQuery;
import inferscale.aws.adapters.MetricSpec;
import inferscale.aws.adapters.MetricsReader;
import inferscale.aws.adapters.SageMakerEndpoint;
import inferscale.aws.adapters.ScalerRecords;
import inferscale.aws.invocation.Invocations;
import inferscale.backtest.EndpointHistory;
import inferscale.control.PortFailure;
import inferscale.decision.EndpointSnapshot;
import inferscale.decision.SignalPoint;
import inferscale.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.MetricType;
import software.amazon.awssdk.services.applicationautoscaling.model.PolicyType;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;
import software.amazon.awssdk.services.scheduler.model.ScheduleSummary;

/**
 * What the CLI reads about an endpoint variant to backtest it on its own history: the variant as
 * SageMaker has it now, its per-minute metrics, the scaling it has today (Application Auto
 * Scaling's scalable target and target-tracking policy) and the policy of its deployed InferScale
 * stack (its forecaster schedule's payload).
 */
final class EndpointRecords {
  /**
   * CloudWatch keeps 1-minute datapoints for 15 days, then only 5-minute ones, and a read whose
   * start lies beyond 15 days returns no 1-minute data at all: whole days inside them.
   */
  static final int MAX_DAYS = 14;

  /** "the last day" or "the last N days", as the --days a command read says it. */
  static String lastDays(int days) {
    return days == 1 ? "the last day" : "the last " + days + " days";
  }

  /** Minutes SageMaker takes to publish a minute in full: newer ones may still be filling. */
  static final int SETTLE_MINUTES = 3;

  /**
   * The forecaster schedules of InferScale stacks, {@code inferscale-forecast-<stack id>}: they
   * carry the stack's endpoint, variant and policy (the scaler's schedule carries only its
   * trigger; its request is in the function's environment, the same policy).
   */
  static final String DEPLOYED_SCHEDULE_PREFIX = "inferscale-forecast-";

  private final SageMakerClient sageMaker;
  private final ApplicationAutoScalingClient autoScaling;
  private final SchedulerClient scheduler;
  private final MetricsReader metrics;
  private final ScalerRecords scalerRecords;

  @Inject
  EndpointRecords(SageMakerClient sageMaker, ApplicationAutoScalingClient autoScaling,
      SchedulerClient scheduler, MetricsReader metrics) {
    this.sageMaker = sageMaker;
    this.autoScaling = autoScaling;
    this.scheduler = scheduler;
    this.metrics = metrics;
    this.scalerRecords = new ScalerRecords(metrics);
  }

  /** What the variant's deployed scaler recorded each minute, for shadow scoring. */
  ScalerRecords scalerRecords() {
    return scalerRecords;
  }

  /** @throws ParameterException naming {@code --days} when CloudWatch cannot give that many */
  static void checkDays(CommandSpec spec, int days) {
    if (days < 1 || days > MAX_DAYS) {
      throw new ParameterException(spec.commandLine(), "--days must be 1 to " + MAX_DAYS
          + ", got " + days + ": CloudWatch keeps 1-minute data for 15 days (older minutes only"
          + " as 5-minute sums, too coarse to score minute by minute)");
    }
  }

  /** The end of a read of whole, settled minutes: a few minutes before now. */
  static Instant readEnd() {
    return Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(SETTLE_MINUTES));
  }

  /**
   * The variant now: instance type and serving instances.
   *
   * @throws PortFailure when the endpoint or the variant does not exist or cannot be read
   */
  EndpointSnapshot variant(String endpoint, String variant) {
    return new SageMakerEndpoint(sageMaker, endpoint, variant, Duration.ZERO).read().snapshot();
  }

  /**
   * SageMaker's per-minute metrics of the variant over {@code minutes} minutes from {@code
   * start}, in one GetMetricData read.
   */
  EndpointHistory history(EndpointSnapshot variant, Instant start, int minutes) {
    List<SageMakerSeries> series = List.of(
        new SageMakerSeries("invocations", "Invocations"),
        new SageMakerSeries("perInstance", "InvocationsPerInstance"),
        new SageMakerSeries("errors5xx", "Invocation5XXErrors"),
        new SageMakerSeries("modelErrors", "ModelError"));
    List<MetricQuery> queries = series.stream().map(s -> new MetricQuery(s.id(),
        new MetricSpec("AWS/SageMaker", s.metric(), MetricSpec.variantDimensions(
            variant.endpointName(), variant.variantName()), "Sum"), 60)).toList();
    Map<String, List<SignalPoint>> read = AwsFailures.call("GetMetricData",
        () -> metrics.read(queries, start, start.plus(Duration.ofMinutes(minutes))));
    return new EndpointHistory(variant.endpointName() + "/" + variant.variantName(), start,
        MetricsReader.perMinute(read.get("invocations"), start, minutes),
        MetricsReader.perMinute(read.get("perInstance"), start, minutes),
        MetricsReader.perMinute(read.get("errors5xx"), start, minutes),
        MetricsReader.perMinute(read.get("modelErrors"), start, minutes),
        variant.servingInstances());
  }

  private record SageMakerSeries(String id, String metric) {}

  /**
   * The variant's scaling today, or null when it has no scalable target.
   *
   * @throws PortFailure when Application Auto Scaling cannot be read
   */
  TodaysScaling todaysScaling(String endpoint, String variant) {
    String resourceId = "endpoint/" + endpoint + "/variant/" + variant;
    List<ScalableTarget> targets = AwsFailures.call("DescribeScalableTargets", () -> autoScaling
        .describeScalableTargets(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER)
            .resourceIds(resourceId)
            .scalableDimension(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT))
        .scalableTargets());
    if (targets.isEmpty()) {
      return null;
    }
    List<ScalingPolicy> policies = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      var page = AwsFailures.call("DescribeScalingPolicies", () -> autoScaling
          .describeScalingPolicies(b -> b.serviceNamespace(ServiceNamespace.SAGEMAKER)
              .resourceId(resourceId)
              .scalableDimension(ScalableDimension.SAGEMAKER_VARIANT_DESIRED_INSTANCE_COUNT)
              .nextToken(next)));
      policies.addAll(page.scalingPolicies());
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
    Double invocationsTarget = null;
    String policyName = null;
    for (ScalingPolicy policy : policies) {
      var config = policy.targetTrackingScalingPolicyConfiguration();
      if (policy.policyType() == PolicyType.TARGET_TRACKING_SCALING && config != null
          && config.predefinedMetricSpecification() != null
          && config.predefinedMetricSpecification().predefinedMetricType()
              == MetricType.SAGE_MAKER_VARIANT_INVOCATIONS_PER_INSTANCE) {
        invocationsTarget = config.targetValue();
        policyName = policy.policyName();
        break;
      }
    }
    ScalableTarget target = targets.get(0);
    return new TodaysScaling(target.minCapacity(), target.maxCapacity(), invocationsTarget,
        policyName);
  }

  /**
   * @param invocationsPerInstanceTarget the target-tracking policy's target on
   *     SageMakerVariantInvocationsPerInstance (requests per minute per instance), or null
   */
  record TodaysScaling(int minInstances, int maxInstances, Double invocationsPerInstanceTarget,
      String policyName) {}

  /**
   * The policy a deployed InferScale stack scales this variant with, from its forecaster
   * schedule's payload, or null when no stack's schedule names the variant.
   *
   * @throws PortFailure when EventBridge Scheduler cannot be read
   */
  DeployedPolicy deployedPolicy(String endpoint, String variant) {
    List<ScheduleSummary> schedules = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      var page = AwsFailures.call("ListSchedules", () -> scheduler.listSchedules(
          b -> b.namePrefix(DEPLOYED_SCHEDULE_PREFIX).nextToken(next)));
      schedules.addAll(page.schedules());
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
    for (ScheduleSummary summary : schedules) {
      GetScheduleResponse schedule = AwsFailures.call("GetSchedule", () -> scheduler.getSchedule(
          b -> b.name(summary.name()).groupName(summary.groupName())));
      JsonNode payload = payload(schedule);
      // A stack for an inference component scales its copies, not this variant's instances.
      if (payload != null && endpoint.equals(payload.path("endpointName").asText())
          && variant.equals(payload.path("variantName").asText("AllTraffic"))
          && !payload.has(Invocations.COMPONENT)) {
        JsonNode policy = payload.get("policy");
        return new DeployedPolicy(schedule.name(),
            policy == null || policy.isNull() ? null : policy);
      }
    }
    return null;
  }

  /** @param policy the schedule payload's policy overrides, or null when it has none */
  record DeployedPolicy(String scheduleName, JsonNode policy) {}

  private static JsonNode payload(GetScheduleResponse schedule) {
    if (schedule.target() == null || schedule.target().input() == null) {
      return null;
    }
    try {
      JsonNode payload = Json.mapper().readTree(schedule.target().input());
      return payload.isObject() ? payload : null;
    } catch (JsonProcessingException notJson) {
      return null;
    }
  }
}
