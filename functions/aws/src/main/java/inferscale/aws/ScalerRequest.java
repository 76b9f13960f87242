package inferscale.aws;

import com.fasterxml.jackson.databind.JsonNode;
import inferscale.decision.InvalidPolicyException;
import inferscale.decision.PolicyConfig;
import inferscale.decision.PolicyConfigParser;
import inferscale.planning.FloorSchedule;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One scaler invocation's validated input: the schedule payload
 * {@code {"endpointName", "variantName", "policy": {…}, "dryRun": false}} plus the optional
 * {@code "capacityCheck"}, {@code "metrics"} and {@code "schedules"} (explicit floors:
 * {@code [{"name", "cron", "timeZone", "minInstances"}]}). Parsing touches nothing outside the
 * JSON.
 *
 * @param dryRun the effective dry-run flag: the request's or the deployment's
 * @param forecastChannel the deployment's: a dry-run deployment's scaler reads the forecast its
 *     own forecaster publishes for dry runs, a live one (or a dry run asked of it) the live one
 */
public record ScalerRequest(
    String endpointName,
    String variantName,
    PolicyConfig policy,
    boolean dryRun,
    ForecastChannel forecastChannel,
    CapacityMode capacityMode,
    SignalMetrics metrics,
    List<FloorSchedule> schedules) {

  public ScalerRequest {
    Objects.requireNonNull(forecastChannel, "forecastChannel");
    schedules = schedules == null ? List.of() : List.copyOf(schedules);
  }

  /**
   * The largest {@code policy.maxInstances} a request may set: far above any account's GPU
   * instance quota, so an extra digit or a unit mix-up fails loudly instead of being obeyed (the
   * policy parser alone clamps anything larger to {@code Integer.MAX_VALUE}). Only requests are
   * bounded; backtests may simulate bigger fleets.
   */
  public static final int MAX_INSTANCES_LIMIT = 1000;

  /** SageMaker's rule for endpoint and variant names. */
  public static final Pattern SAGEMAKER_NAME = Pattern.compile("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$");

  private static final Set<String> FIELDS =
      Set.of("endpointName", "variantName", "policy", "dryRun", "capacityCheck", "metrics",
          "schedules");

  /** @throws InvalidRequestException listing every problem, each naming its field */
  public static ScalerRequest parse(JsonNode payload, ScalerDefaults defaults) {
    List<String> problems = new ArrayList<>();
    if (payload == null || !payload.isObject()) {
      throw new InvalidRequestException(List.of(
          "the request must be a JSON object with endpointName and variantName, got "
              + (payload == null ? "nothing" : payload.getNodeType())));
    }
    Iterator<String> names = payload.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        problems.add("unknown field '" + name + "'; known fields are " + List.of(
            "endpointName", "variantName", "policy", "dryRun", "capacityCheck", "metrics",
            "schedules"));
      }
    }
    String endpointName = sageMakerName(payload, "endpointName", problems);
    String variantName = sageMakerName(payload, "variantName", problems);

    PolicyConfig policy = null;
    try {
      policy = PolicyConfigParser.parse(payload.get("policy"), PolicyConfig.defaults());
    } catch (InvalidPolicyException e) {
      for (String problem : e.problems()) {
        problems.add("policy: " + problem);
      }
    }

    // checked on the JSON itself, so it is reported alongside any other policy problem
    JsonNode grouped = payload.path("policy").path("bounds").path("maxInstances");
    String maxField = grouped.isMissingNode() ? "maxInstances" : "bounds.maxInstances";
    JsonNode max = grouped.isMissingNode() ? payload.path("policy").path("maxInstances") : grouped;
    if (max.isNumber() && max.doubleValue() > MAX_INSTANCES_LIMIT) {
      problems.add("policy: " + maxField + " must be ≤ " + MAX_INSTANCES_LIMIT + ", got " + max);
    }

    boolean dryRun = false;
    JsonNode dry = payload.get("dryRun");
    if (dry != null && !dry.isNull()) {
      if (dry.isBoolean()) {
        dryRun = dry.booleanValue();
      } else {
        problems.add("dryRun must be true or false, got " + dry);
      }
    }

    CapacityMode capacityMode = defaults.capacityMode();
    JsonNode capacity = payload.get("capacityCheck");
    if (capacity != null && !capacity.isNull()) {
      try {
        capacityMode = CapacityMode.fromName(capacity.isTextual() ? capacity.asText() : null);
      } catch (IllegalArgumentException e) {
        problems.add("capacityCheck " + e.getMessage().replace("'null'", capacity.toString()));
      }
    }

    SignalMetrics metrics = null;
    if (endpointName != null && variantName != null) {
      metrics = SignalMetrics.parse(payload.get("metrics"), endpointName, variantName, problems);
    }
    List<FloorSchedule> schedules = schedules(payload.get("schedules"), problems);
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
    return new ScalerRequest(endpointName, variantName, policy, dryRun || defaults.dryRun(),
        ForecastChannel.of(defaults.dryRun()),
        capacityMode, metrics, schedules);
  }

  private static List<FloorSchedule> schedules(JsonNode value, List<String> problems) {
    List<FloorSchedule> schedules = new ArrayList<>();
    if (value == null || value.isNull()) {
      return schedules;
    }
    if (!value.isArray()) {
      problems.add("schedules must be an array of {name, cron, timeZone, minInstances}, got "
          + value.getNodeType());
      return schedules;
    }
    for (int i = 0; i < value.size(); i++) {
      String field = "schedules[" + i + "]";
      JsonNode entry = value.get(i);
      if (!entry.isObject()) {
        problems.add(field + " must be an object {name, cron, timeZone, minInstances}, got "
            + entry.getNodeType());
        continue;
      }
      Iterator<String> keys = entry.fieldNames();
      while (keys.hasNext()) {
        String key = keys.next();
        if (!Set.of("name", "cron", "timeZone", "minInstances").contains(key)) {
          problems.add(field + ": unknown field '" + key
              + "'; known fields are [name, cron, timeZone, minInstances]");
        }
      }
      JsonNode min = entry.get("minInstances");
      if (min == null || !min.isIntegralNumber() || !min.canConvertToInt()) {
        problems.add(field + ".minInstances must be a whole number, got " + min);
        continue;
      }
      try {
        schedules.add(FloorSchedule.of(field, text(entry, "name"), text(entry, "cron"),
            text(entry, "timeZone"), min.intValue()));
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    return schedules;
  }

  private static String text(JsonNode entry, String field) {
    JsonNode value = entry.get(field);
    return value == null || !value.isTextual() ? null : value.asText();
  }

  /**
   * The endpoint or variant name in {@code field}, or null with the problem added when it is
   * missing or breaks SageMaker's naming rule.
   */
  public static String sageMakerName(JsonNode payload, String field, List<String> problems) {
    JsonNode value = payload.get(field);
    if (value == null || value.isNull()) {
      problems.add(field + " is required");
      return null;
    }
    if (!value.isTextual() || !SAGEMAKER_NAME.matcher(value.asText()).matches()) {
      problems.add(field + " must match " + SAGEMAKER_NAME.pattern()
          + " (1-63 letters, digits and inner hyphens), got " + value);
      return null;
    }
    return value.asText();
  }
}
