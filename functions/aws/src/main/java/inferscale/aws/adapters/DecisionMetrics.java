package inferscale.aws.adapters;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import inferscale.control.LastAsk;
import inferscale.control.ObservedDemand;
import inferscale.control.ScalerOutcome;
import inferscale.control.ScalerRecord;
import inferscale.decision.Action;
import inferscale.decision.Decision;
import inferscale.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The scaler's {@link ScalerRecord} on AWS: each cycle's decision as CloudWatch Embedded Metric
 * Format log lines, which Lambda's log pipeline turns into metrics in the {@code InferScale}
 * namespace without a PutMetricData call. {@value InferScaleMetrics#SCALE_OUT_APPLIED} is the
 * record later cycles read back for the scale-in cooldown. Metrics whose value is unknown this
 * cycle (no reactive recommendation, no floor, capacity unchecked) are left out rather than
 * published as zero.
 *
 * <p>Shadow scoring ({@code inferscale report}) reads the asked-for and the serving counts and the
 * demand seen under the extra dimension {@value InferScaleMetrics#MODE}, so that a dry run's
 * series and a live deployment's beside it stay apart.
 */
public final class DecisionMetrics implements ScalerRecord {
  /** The count the decision asks for. */
  public static final String DESIRED = "DesiredInstances";
  /** The instances serving when the cycle read the endpoint (SageMaker's CurrentInstanceCount). */
  public static final String CURRENT = "CurrentInstances";
  public static final String REACTIVE = "ReactiveRecommendation";
  public static final String PREDICTIVE_FLOOR = "PredictiveFloor";
  public static final String CAPACITY_HEADROOM = "CapacityHeadroom";
  /**
   * The count the signals and floors ask for before capacity and rate limits ({@link
   * Decision#need()}): what the fleet dispatcher shares the account's quota by.
   */
  public static final String NEEDED = "NeededInstances";
  /** +1 scale-out, −1 scale-in, 0 hold; the action's name is a property of the same line. */
  public static final String ACTION = "ScalingAction";
  public static final String APPLIED = "Applied";
  /** The requests counted in the newest minute a cycle saw, at that minute. */
  public static final String OBSERVED_REQUESTS = "ObservedRequests";
  /** Requests per minute one instance serves (the policy's maxRpsPerInstance), when set. */
  public static final String CAPACITY_PER_INSTANCE = "CapacityPerInstance";

  private static final String ENDPOINT_NAME = MetricTarget.ENDPOINT_NAME;

  private final Consumer<String> log;

  /** @param log the function's log, whose lines CloudWatch reads */
  public DecisionMetrics(Consumer<String> log) {
    this.log = log;
  }

  @Override
  public void record(ScalerOutcome outcome) {
    emf(outcome).forEach(log);
  }

  /**
   * The lines for one cycle: its decision, timestamped with the minute it decided for, and, when
   * it saw requests, the demand, timestamped with the minute they were counted in (a few minutes
   * earlier), which is the minute the asked-for and serving counts are scored against.
   */
  public static List<String> emf(ScalerOutcome result) {
    List<String> lines = new ArrayList<>();
    lines.add(decisionLine(result));
    if (result.demand() != null) {
      lines.add(demandLine(result));
    }
    if (result.startupMinutes() != null && result.instanceType() != null) {
      lines.add(startupLine(result));
    }
    return lines;
  }

  /** The scale-out just seen served, by instance type, for every scaler of that type to learn. */
  private static String startupLine(ScalerOutcome result) {
    ObjectNode root = line(result, result.decision().at());
    ArrayNode metrics = directive(root, InferScaleMetrics.INSTANCE_TYPE);
    root.put(InferScaleMetrics.INSTANCE_TYPE, result.instanceType());
    metric(root, metrics, InferScaleMetrics.STARTUP_MINUTES, result.startupMinutes());
    return text(root);
  }

  /** Shadow for a dry run, which decides without applying; Live otherwise. */
  private static String mode(ScalerOutcome result) {
    return result.dryRun() ? InferScaleMetrics.MODE_SHADOW : InferScaleMetrics.MODE_LIVE;
  }

  private static String decisionLine(ScalerOutcome result) {
    Decision decision = result.decision();
    ObjectNode root = line(result, decision.at());
    ArrayNode metrics = directive(root, ENDPOINT_NAME, unit(result));
    metric(root, metrics, DESIRED, (double) decision.to());
    metric(root, metrics, CURRENT, (double) result.servingInstances());
    metric(root, metrics, REACTIVE,
        decision.reactive() == null ? null : (double) decision.reactive());
    metric(root, metrics, PREDICTIVE_FLOOR, decision.predictiveFloor() == null
        ? null : (double) decision.predictiveFloor().instances());
    metric(root, metrics, CAPACITY_HEADROOM,
        decision.capacityHeadroom() == null ? null : (double) decision.capacityHeadroom());
    metric(root, metrics, NEEDED, (double) decision.need());
    metric(root, metrics, ACTION, (double) actionValue(decision.action()));
    metric(root, metrics, APPLIED, result.applied() ? 1.0 : 0.0);
    if (result.scaleOutApplied()) {
      metric(root, metrics, InferScaleMetrics.SCALE_OUT_APPLIED, 1.0);
    }
    // From the record, not the decision: an endpoint still Updating holds without the reason.
    LastAsk ask = result.lastAsk();
    metric(root, metrics, InferScaleMetrics.CAPACITY_UNAVAILABLE,
        ask != null && ask.backingOff(decision.at()) ? 1.0 : 0.0);
    if (result.fallback() != null) {
      metric(root, metrics, InferScaleMetrics.FALLBACK_DESIRED_INSTANCES,
          (double) result.fallback().fallbackInstances());
      metric(root, metrics, InferScaleMetrics.FALLBACK_WEIGHT,
          (double) result.fallback().fallbackWeight());
    }
    // The same two values again, by mode: EMF publishes a root value under every directive.
    ArrayNode byMode = directive(root, ENDPOINT_NAME, unit(result), InferScaleMetrics.MODE);
    declare(byMode, DESIRED);
    declare(byMode, CURRENT);
    if (result.lead() != null && result.lead().measuredAt().equals(decision.at())) {
      // Only a cycle that tallied the lead records it, by mode as the budget's: the same
      // deployment's later cycles and forecaster read it back.
      metric(root, byMode, InferScaleMetrics.LEARNED_COLD_START,
          (double) result.lead().coldStartMinutes());
      metric(root, byMode, InferScaleMetrics.LEAD_UPDATES, (double) result.lead().updates());
    }
    if (result.budget() != null) {
      // By mode only: a dry-run deployment beside a live one keeps its own controller state.
      metric(root, byMode, InferScaleMetrics.BUDGET_UTILIZATION, result.budget().utilization());
      metric(root, byMode, InferScaleMetrics.BUDGET_FLOOR_BAND, result.budget().floorBand());
      if (result.budget().weekMeasuredAt().equals(decision.at())) {
        // Only a cycle that tallied the week and its day records them: later ones tally again an
        // hour on.
        metric(root, byMode, InferScaleMetrics.BUDGET_WEEK_BURN_PERCENT,
            result.budget().weekBurnPercent());
        metric(root, byMode, InferScaleMetrics.BUDGET_WEEK_MINUTES,
            (double) result.budget().weekMinutes());
        metric(root, byMode, InferScaleMetrics.BUDGET_BURN_PERCENT,
            result.budget().burnPercent());
        metric(root, byMode, InferScaleMetrics.BUDGET_DAY_MINUTES,
            (double) result.budget().minutes());
      }
    }
    // Cycles by what started them: the schedule, the fast path's alarm, an endpoint event, a hand.
    ArrayNode byTrigger = directive(root, ENDPOINT_NAME, unit(result), InferScaleMetrics.TRIGGER);
    root.put(InferScaleMetrics.TRIGGER, result.trigger().metricName());
    metric(root, byTrigger, InferScaleMetrics.CYCLES, 1.0);
    root.put("action", decision.action().name());
    root.put("bindingConstraint", String.valueOf(decision.bindingConstraint()));
    if (decision.bindingSignal() != null) {
      root.put("bindingSignal", decision.bindingSignal().jsonName());
    }
    root.put("dryRun", result.dryRun());
    return text(root);
  }

  private static String demandLine(ScalerOutcome result) {
    ObservedDemand demand = result.demand();
    ObjectNode root = line(result, demand.minute());
    ArrayNode metrics = directive(root, ENDPOINT_NAME, unit(result), InferScaleMetrics.MODE);
    metric(root, metrics, OBSERVED_REQUESTS, demand.requests());
    metric(root, metrics, CAPACITY_PER_INSTANCE, demand.capacityPerInstance());
    return text(root);
  }

  /** A line's envelope: its timestamp, and the dimensions' values every directive may use. */
  private static ObjectNode line(ScalerOutcome result, Instant timestamp) {
    ObjectNode root = emfLine(timestamp);
    root.put(ENDPOINT_NAME, result.decision().endpointName());
    root.put(unit(result), target(result).unitName());
    root.put(InferScaleMetrics.MODE, mode(result));
    return root;
  }

  /** What the cycle scaled: the variant, or the inference component on it. */
  private static MetricTarget target(ScalerOutcome result) {
    return MetricTarget.of(result.decision().endpointName(), result.decision().variantName(),
        result.inferenceComponentName());
  }

  /** The dimension naming what was scaled. */
  private static String unit(ScalerOutcome result) {
    return target(result).unitDimension();
  }

  /** An Embedded Metric Format line at {@code timestamp}, with no directive yet. */
  public static ObjectNode emfLine(Instant timestamp) {
    ObjectNode root = Json.mapper().createObjectNode();
    ObjectNode aws = root.putObject("_aws");
    aws.put("Timestamp", timestamp.toEpochMilli());
    aws.putArray("CloudWatchMetrics");
    return root;
  }

  /**
   * A directive in InferScale's namespace with one dimension set (the root carries each
   * dimension's value); returns its list of metrics to declare.
   */
  public static ArrayNode directive(ObjectNode root, String... dimensions) {
    ObjectNode directive = ((ArrayNode) root.at("/_aws/CloudWatchMetrics")).addObject();
    directive.put("Namespace", InferScaleMetrics.NAMESPACE);
    ArrayNode dimensionSet = directive.putArray("Dimensions").addArray();
    for (String dimension : dimensions) {
      dimensionSet.add(dimension);
    }
    return directive.putArray("Metrics");
  }

  static int actionValue(Action action) {
    return switch (action) {
      case SCALE_OUT -> 1;
      case SCALE_IN -> -1;
      case HOLD -> 0;
    };
  }

  /** Declares {@code name} in the directive's metrics and puts its value; null puts nothing. */
  public static void metric(ObjectNode root, ArrayNode metrics, String name, Double value) {
    if (value == null) {
      return;
    }
    declare(metrics, name);
    root.put(name, value);
  }

  /** Minutes, traffic shares and the budget's settings are no counts of anything. */
  private static final Set<String> UNITLESS = Set.of(InferScaleMetrics.STARTUP_MINUTES,
      InferScaleMetrics.LEARNED_COLD_START,
      InferScaleMetrics.FALLBACK_WEIGHT,
      InferScaleMetrics.BUDGET_UTILIZATION,
      InferScaleMetrics.BUDGET_FLOOR_BAND,
      InferScaleMetrics.BUDGET_WEEK_MINUTES,
      InferScaleMetrics.BUDGET_DAY_MINUTES);

  private static final Set<String> PERCENT = Set.of(InferScaleMetrics.BUDGET_WEEK_BURN_PERCENT,
      InferScaleMetrics.BUDGET_BURN_PERCENT);

  private static void declare(ArrayNode metrics, String name) {
    metrics.addObject().put("Name", name).put("Unit",
        PERCENT.contains(name) ? "Percent" : UNITLESS.contains(name) ? "None" : "Count");
  }

  private static String text(ObjectNode root) {
    try {
      return Json.mapper().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
