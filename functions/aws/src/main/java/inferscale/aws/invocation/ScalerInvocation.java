package inferscale.aws.invocation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import inferscale.aws.adapters.ForecastChannel;
import inferscale.aws.adapters.MetricTarget;
import inferscale.aws.adapters.SignalMetrics;
import inferscale.control.CapacityMode;
import inferscale.control.ScalerTask;
import inferscale.control.Trigger;
import inferscale.json.Json;
import inferscale.planning.FloorSchedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One scaler invocation, validated: the schedule payload {@code {"endpointName", "variantName",
 * "policy": {…}, "dryRun": false}} (or {@code "inferenceComponentName"} instead of the variant, to
 * scale a component's copies) plus the optional {@code "capacityCheck"}, {@code "metrics"}
 * (where the LLM signals are published), {@code "schedules"} (explicit floors: {@code [{"name",
 * "cron", "timeZone", "minInstances"}]}) and {@code "trigger"} (what started the run; {@code
 * manual} by default). Parsing touches nothing outside the JSON.
 *
 * @param task what the scaler step is to do; its {@code dryRun} is the request's or the
 *     deployment's
 * @param forecastChannel the deployment's: a dry-run deployment's scaler reads the forecast its own
 *     forecaster publishes for dry runs, a live one (or a dry run asked of it) the live one
 * @param deprecatedFields flat policy fields the payload used, each with its grouped path
 * @param unusedBudgetBounds budget bounds the policy gives but cannot use, each in a sentence
 * @param fleet the fleet dispatcher's turn ({@code "fleet"}), or null when it did not send this
 */
public record ScalerInvocation(ScalerTask task, SignalMetrics metrics,
    ForecastChannel forecastChannel, Map<String, String> deprecatedFields,
    List<String> unusedBudgetBounds, FleetTurnMessage fleet) {

  /**
   * The largest maximum a request may set: far above any account's GPU instance quota, so an extra
   * digit or a unit mix-up fails loudly instead of being obeyed (the policy parser alone takes
   * any count up to {@code Integer.MAX_VALUE}). Only requests are bounded; backtests may simulate
   * bigger fleets.
   */
  public static final int MAX_INSTANCES_LIMIT = 1000;

  private static final List<String> FIELDS = List.of("endpointName", "variantName",
      Invocations.COMPONENT, "policy", "dryRun", "capacityCheck", "metrics", "schedules",
      "trigger", FleetTurnMessage.FIELD);

  /** EventBridge's detail-type of an alarm's state change: the fast path. */
  static final String ALARM_EVENT = "CloudWatch Alarm State Change";
  /** EventBridge's detail-type of a SageMaker endpoint's state change. */
  static final String ENDPOINT_EVENT = "SageMaker Endpoint State Change";

  public ScalerInvocation {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(forecastChannel, "forecastChannel");
    deprecatedFields = Map.copyOf(deprecatedFields);
    unusedBudgetBounds = List.copyOf(unusedBudgetBounds);
  }

  /**
   * What Lambda hands the scaler, whoever sends it: a request (a hand invoke, the payload a
   * schedule sends, a scheduled-event envelope), or an alarm's or the endpoint's state change
   * from EventBridge, which runs the deployed request with that trigger. A request that names no
   * endpoint runs the deployed request with its own fields on top ({@code {"dryRun": true}} is a
   * dry run of what is deployed).
   *
   * @throws InvalidRequestException listing every problem, each naming its field; also when an
   *     event is about another endpoint than the one deployed
   */
  public static ScalerInvocation fromInput(byte[] input, Deployment deployment) {
    JsonNode node = Invocations.json(input);
    String detailType = Invocations.isEnvelope(node) ? node.path("detail-type").asText() : "";
    ObjectNode payload = Json.mapper().createObjectNode();
    String eventEndpoint = null;
    if (detailType.equals(ALARM_EVENT)) {
      payload.put("trigger", Trigger.ALARM.jsonName());
      eventEndpoint = alarmEndpoint(node.get("detail"));
    } else if (detailType.equals(ENDPOINT_EVENT)) {
      payload.put("trigger", Trigger.ENDPOINT_STATE.jsonName());
      eventEndpoint = node.at("/detail/EndpointName").asText(null);
    } else {
      payload.setAll((ObjectNode) Invocations.payload(node));
      if (!detailType.isEmpty() && !payload.has("trigger")) {
        payload.put("trigger", Trigger.SCHEDULE.jsonName()); // an EventBridge rule's schedule
      }
    }
    if (!payload.has("endpointName") && !payload.has("variantName")
        && deployment.request() != null) {
      ObjectNode deployed = deployment.request();
      deployed.setAll(payload);
      payload = deployed;
    }
    if (!payload.has("endpointName") && payload.has("trigger") && deployment.request() == null) {
      throw new InvalidRequestException(List.of("a run started by the " + payload.get("trigger")
          .asText() + " carries out the deployed request, but environment variable "
          + Deployment.REQUEST_VARIABLE + " is not set; endpointName is required"));
    }
    if (eventEndpoint != null && !eventEndpoint.equals(payload.path("endpointName").asText())) {
      throw new InvalidRequestException(List.of("the " + detailType + " event is about endpoint "
          + eventEndpoint + ", but this function scales " + payload.path("endpointName")
          + ": check the rule's event pattern"));
    }
    return parse(payload, deployment);
  }

  /** The endpoint an alarm's metric is about (its EndpointName dimension), or null. */
  private static String alarmEndpoint(JsonNode detail) {
    for (JsonNode metric : detail.path("configuration").path("metrics")) {
      JsonNode name = metric.at("/metricStat/metric/dimensions/EndpointName");
      if (name.isTextual()) {
        return name.asText();
      }
    }
    return null;
  }

  /** @throws InvalidRequestException listing every problem, each naming its field */
  public static ScalerInvocation parse(JsonNode payload, Deployment deployment) {
    List<String> problems = new ArrayList<>();
    Invocations.Target target = Invocations.target(payload, FIELDS, problems);
    maxInstancesLimit(payload.path("policy"), problems);

    boolean dryRun = false;
    JsonNode dry = payload.get("dryRun");
    if (dry != null && !dry.isNull()) {
      if (dry.isBoolean()) {
        dryRun = dry.booleanValue();
      } else {
        problems.add("dryRun must be true or false, got " + dry);
      }
    }

    CapacityMode capacityMode = deployment.capacityMode();
    JsonNode capacity = payload.get("capacityCheck");
    if (capacity != null && !capacity.isNull()) {
      try {
        capacityMode = CapacityMode.fromName(capacity.isTextual() ? capacity.asText() : null);
      } catch (IllegalArgumentException e) {
        problems.add("capacityCheck " + e.getMessage().replace("'null'", capacity.toString()));
      }
    }

    SignalMetrics metrics = null;
    if (target.endpointName() != null
        && (target.variantName() != null || target.inferenceComponentName() != null)) {
      metrics = SignalMetrics.parse(payload.get("metrics"), MetricTarget.of(target.endpointName(),
          target.variantName(), target.inferenceComponentName()), problems);
    }
    if (target.inferenceComponentName() != null && target.policy() != null
        && target.policy().policy().fallback().configured()) {
      problems.add("policy: fallback.variantName shifts a variant's traffic; a component's copies"
          + " have none to shift (scale the component, or name a variant)");
    }
    if (target.policy() != null && target.variantName() != null
        && target.variantName().equals(target.policy().policy().fallback().variantName())) {
      problems.add("policy: fallback.variantName must name another variant than variantName ("
          + target.variantName() + ")");
    }
    List<FloorSchedule> schedules = FloorSchedule.fromJson(payload.get("schedules"), problems);
    FleetTurnMessage fleet = null;
    JsonNode turn = payload.get(FleetTurnMessage.FIELD);
    if (turn != null && !turn.isNull()) {
      fleet = FleetTurnMessage.parse(turn, problems);
    }
    Trigger trigger = Trigger.MANUAL;
    JsonNode named = payload.get("trigger");
    if (named != null && !named.isNull()) {
      try {
        trigger = Trigger.fromJsonName(named.isTextual() ? named.asText() : named.toString());
      } catch (IllegalArgumentException e) {
        problems.add("trigger " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
    return new ScalerInvocation(
        new ScalerTask(target.endpointName(), target.variantName(),
            target.inferenceComponentName(), target.policy().policy(),
            schedules, capacityMode, dryRun || deployment.dryRun(), trigger,
            fleet == null ? null : fleet.turn()),
        metrics, ForecastChannel.of(deployment.dryRun()), target.policy().deprecatedFields(),
        target.policy().unusedBudgetBounds(false), fleet);
  }

  /**
   * Checked on the JSON itself, in every spelling the policy parser takes, so it is reported
   * alongside any other policy problem.
   */
  private static void maxInstancesLimit(JsonNode policy, List<String> problems) {
    checkLimit("bounds.maxInstances", policy.path("bounds").path("maxInstances"), problems);
    checkLimit("bounds.maxInstances", policy.path("bounds.maxInstances"), problems);
    checkLimit("maxInstances", policy.path("maxInstances"), problems);
  }

  private static void checkLimit(String field, JsonNode max, List<String> problems) {
    // Beyond an int the parser already says it is too large: one problem for one value.
    if (max.isNumber() && max.canConvertToInt() && max.doubleValue() > MAX_INSTANCES_LIMIT) {
      problems.add("policy: " + field + " must be ≤ " + MAX_INSTANCES_LIMIT + ", got " + max);
    }
  }
}
