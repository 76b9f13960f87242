package inferscale.aws.adapters;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import inferscale.control.ScalerOutcome;
import inferscale.control.ScalerRecord;
import inferscale.decision.Action;
import inferscale.decision.Decision;
import inferscale.json.Json;
import java.util.function.Consumer;

/**
 * The scaler's {@link ScalerRecord} on AWS: each cycle's decision as one CloudWatch Embedded Metric
 * Format log line, which Lambda's log pipeline turns into metrics in the {@code InferScale}
 * namespace without a PutMetricData call. {@value InferScaleMetrics#SCALE_OUT_APPLIED} is the
 * record later cycles read back for the scale-in cooldown. Metrics whose value is unknown this
 * cycle (no reactive recommendation, no floor, capacity unchecked) are left out rather than
 * published as zero.
 */
public final class DecisionMetrics implements ScalerRecord {
  /** The count the decision asks for. */
  public static final String DESIRED = "DesiredInstances";
  /** The instances serving when the cycle read the endpoint (SageMaker's CurrentInstanceCount). */
  public static final String CURRENT = "CurrentInstances";
  public static final String REACTIVE = "ReactiveRecommendation";
  public static final String PREDICTIVE_FLOOR = "PredictiveFloor";
  public static final String CAPACITY_HEADROOM = "CapacityHeadroom";
  /** +1 scale-out, −1 scale-in, 0 hold; the action's name is a property of the same line. */
  public static final String ACTION = "ScalingAction";
  public static final String APPLIED = "Applied";

  private final Consumer<String> log;

  /** @param log the function's log, whose lines CloudWatch reads */
  public DecisionMetrics(Consumer<String> log) {
    this.log = log;
  }

  @Override
  public void record(ScalerOutcome outcome) {
    log.accept(emf(outcome));
  }

  /** The line for one cycle, timestamped with the minute it decided for. */
  public static String emf(ScalerOutcome result) {
    Decision decision = result.decision();
    ObjectNode root = Json.mapper().createObjectNode();
    ObjectNode aws = root.putObject("_aws");
    aws.put("Timestamp", decision.at().toEpochMilli());
    ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
    directive.put("Namespace", InferScaleMetrics.NAMESPACE);
    directive.putArray("Dimensions").addArray().add("EndpointName").add("VariantName");
    ArrayNode metrics = directive.putArray("Metrics");

    root.put("EndpointName", decision.endpointName());
    root.put("VariantName", decision.variantName());
    metric(root, metrics, DESIRED, (double) decision.to());
    metric(root, metrics, CURRENT, (double) result.servingInstances());
    metric(root, metrics, REACTIVE,
        decision.reactive() == null ? null : (double) decision.reactive());
    metric(root, metrics, PREDICTIVE_FLOOR, decision.predictiveFloor() == null
        ? null : (double) decision.predictiveFloor().instances());
    metric(root, metrics, CAPACITY_HEADROOM,
        decision.capacityHeadroom() == null ? null : (double) decision.capacityHeadroom());
    metric(root, metrics, ACTION, (double) actionValue(decision.action()));
    metric(root, metrics, APPLIED, result.applied() ? 1.0 : 0.0);
    if (result.scaleOutApplied()) {
      metric(root, metrics, InferScaleMetrics.SCALE_OUT_APPLIED, 1.0);
    }
    root.put("action", decision.action().name());
    root.put("bindingConstraint", String.valueOf(decision.bindingConstraint()));
    if (decision.bindingSignal() != null) {
      root.put("bindingSignal", decision.bindingSignal().jsonName());
    }
    root.put("dryRun", result.dryRun());
    try {
      return Json.mapper().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static int actionValue(Action action) {
    return switch (action) {
      case SCALE_OUT -> 1;
      case SCALE_IN -> -1;
      case HOLD -> 0;
    };
  }

  private static void metric(ObjectNode root, ArrayNode metrics, String name, Double value) {
    if (value == null) {
      return;
    }
    metrics.addObject().put("Name", name).put("Unit", "Count");
    root.put(name, value);
  }
}
