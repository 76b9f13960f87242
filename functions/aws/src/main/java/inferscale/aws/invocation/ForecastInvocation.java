package inferscale.aws.invocation;

import com.fasterxml.jackson.databind.JsonNode;
import inferscale.aws.adapters.ForecastChannel;
import inferscale.control.ForecastTask;
import inferscale.decision.Timing;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One forecaster invocation, validated: {@code {"endpointName", "variantName", "policy"}} (or
 * {@code "inferenceComponentName"} instead of the variant, to forecast a component's requests), the
 * policy being the scaler's (its {@code timing} says how far ahead and for how long the forecast
 * must reach), so both functions agree. The first format's {@code "refreshMinutes"} is still
 * accepted for {@code policy.timing.forecastIntervalMinutes}, deprecated.
 *
 * @param forecastChannel a dry-run deployment's forecast is published under {@code Mode = DryRun},
 *     which only its own dry-run scaler reads
 * @param deprecatedFields deprecated fields the payload used, each with its replacement
 */
public record ForecastInvocation(ForecastTask task, ForecastChannel forecastChannel,
    Map<String, String> deprecatedFields) {

  private static final List<String> FIELDS =
      List.of("endpointName", "variantName", Invocations.COMPONENT, "policy", "refreshMinutes");
  private static final String INTERVAL = "timing.forecastIntervalMinutes";

  public ForecastInvocation {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(forecastChannel, "forecastChannel");
    deprecatedFields = Map.copyOf(deprecatedFields);
  }

  /** @throws InvalidRequestException listing every problem, each naming its field */
  public static ForecastInvocation parse(JsonNode payload, Deployment deployment) {
    List<String> problems = new ArrayList<>();
    Invocations.Target target = Invocations.target(payload, FIELDS, problems);
    Map<String, String> deprecated = new LinkedHashMap<>();
    Integer refresh = refreshMinutes(payload, problems);
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
    deprecated.putAll(target.policy().deprecatedFields());
    Timing timing = target.policy().policy().timing();
    if (refresh != null) {
      deprecated.put("refreshMinutes", "policy." + INTERVAL);
      timing = new Timing(timing.coldStartMinutes(), timing.metricDelayMinutes(), refresh);
    }
    return new ForecastInvocation(
        new ForecastTask(target.endpointName(), target.variantName(),
            target.inferenceComponentName(), timing),
        ForecastChannel.of(deployment.dryRun()), deprecated);
  }

  /** The deprecated {@code refreshMinutes}, or null when not given. */
  private static Integer refreshMinutes(JsonNode payload, List<String> problems) {
    JsonNode value = payload.get("refreshMinutes");
    if (value == null || value.isNull()) {
      return null;
    }
    JsonNode policy = payload.path("policy");
    if (policy.path("timing").has("forecastIntervalMinutes") || policy.has(INTERVAL)) {
      problems.add("refreshMinutes and policy." + INTERVAL + " both set the forecast interval;"
          + " give it once (policy." + INTERVAL + ")");
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1
        || value.asInt() > 60) {
      problems.add("refreshMinutes must be a whole number of minutes between 1 and 60, got "
          + value);
      return null;
    }
    return value.asInt();
  }
}
