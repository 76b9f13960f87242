package inferscale.aws.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each signal is read from. RPS always comes from SageMaker's own {@code Invocations}; the
 * LLM signals are custom metrics whose names depend on the serving container, so each can be
 * overridden in the request's {@code "metrics"} object:
 *
 * <pre>{@code
 * "metrics": {
 *   "kvCache":         {"namespace": "LLM/Inference", "name": "KVCacheUsage",
 *                       "dimensions": {"EndpointName": "${endpointName}",
 *                                      "VariantName": "${variantName}"},
 *                       "statistic": "Maximum"},
 *   "waitingRequests": {...}, "ttftP90Ms": {...}, "concurrentRequests": {...} or null
 * }
 * }</pre>
 *
 * Dimension values may use {@code ${endpointName}}, {@code ${variantName}} and {@code
 * ${inferenceComponentName}}. A spec's missing fields take the default's; {@code null} turns a
 * signal's read off. For an inference component, SageMaker's metrics are its own (by {@code
 * InferenceComponentName}) and the container's default dimensions are the endpoint and the
 * component.
 */
public record SignalMetrics(
    MetricSpec invocations,
    MetricSpec kvCache,
    MetricSpec waitingRequests,
    MetricSpec ttftP90Ms,
    MetricSpec concurrentRequests) {

  /** Namespace of the defaults for the LLM container's own metrics. */
  public static final String DEFAULT_LLM_NAMESPACE = "LLM/Inference";
  private static final String SAGEMAKER = "AWS/SageMaker";

  static final Set<String> CONFIGURABLE =
      Set.of("kvCache", "waitingRequests", "ttftP90Ms", "concurrentRequests");

  public static SignalMetrics defaults(String endpointName, String variantName) {
    return defaults(MetricTarget.variant(endpointName, variantName));
  }

  /**
   * SageMaker's metrics of the target where it publishes them (a component's by the component),
   * the serving container's by the endpoint and the scaled unit.
   */
  public static SignalMetrics defaults(MetricTarget target) {
    List<MetricDimension> sageMaker = target.sageMakerDimensions();
    List<MetricDimension> own = target.dimensions();
    return new SignalMetrics(
        new MetricSpec(SAGEMAKER, "Invocations", sageMaker, "Sum"),
        new MetricSpec(DEFAULT_LLM_NAMESPACE, "KVCacheUsage", own, "Maximum"),
        new MetricSpec(DEFAULT_LLM_NAMESPACE, "WaitingRequests", own, "Maximum"),
        new MetricSpec(DEFAULT_LLM_NAMESPACE, "TimeToFirstToken", own, "p90"),
        // Average: the mean in-flight requests per instance (per copy), what the target holds.
        new MetricSpec(SAGEMAKER, component(target) ? "ConcurrentRequestsPerCopy"
            : "ConcurrentRequestsPerModel", sageMaker, "Average"));
  }

  /**
   * Requests per serving instance (per copy of a component) each minute, as SageMaker publishes
   * them: the budget's burn.
   */
  public static MetricSpec invocationsPerInstance(MetricTarget target) {
    return new MetricSpec(SAGEMAKER, component(target) ? "InvocationsPerCopy"
        : "InvocationsPerInstance", target.sageMakerDimensions(), "Sum");
  }

  /** Requests per minute the model answered with a 5XX: their minutes were saturated. */
  public static MetricSpec invocation5xxErrors(MetricTarget target) {
    return new MetricSpec(SAGEMAKER, "Invocation5XXErrors", target.sageMakerDimensions(), "Sum");
  }

  /**
   * Requests per minute that found no copy of a component to serve them (it was at zero): its
   * demand too. Null for a variant, which always keeps an instance.
   */
  public static MetricSpec noCapacityRequests(MetricTarget target) {
    return component(target) ? new MetricSpec(SAGEMAKER, "NoCapacityInvocationFailures",
        target.sageMakerDimensions(), "Sum") : null;
  }

  private static boolean component(MetricTarget target) {
    return target.inferenceComponentName() != null;
  }

  /**
   * Applies a request's {@code "metrics"} overrides; problems are added to {@code problems}, each
   * naming its field, and the defaults are returned for anything invalid.
   */
  public static SignalMetrics parse(JsonNode node, MetricTarget target, List<String> problems) {
    SignalMetrics defaults = defaults(target);
    if (node == null || node.isNull() || node.isMissingNode()) {
      return defaults;
    }
    if (!node.isObject()) {
      problems.add("metrics must be a JSON object, got " + node.getNodeType());
      return defaults;
    }
    Map<String, MetricSpec> specs = new LinkedHashMap<>();
    specs.put("kvCache", defaults.kvCache());
    specs.put("waitingRequests", defaults.waitingRequests());
    specs.put("ttftP90Ms", defaults.ttftP90Ms());
    specs.put("concurrentRequests", defaults.concurrentRequests());
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = field.getKey();
      if (!CONFIGURABLE.contains(key)) {
        problems.add("metrics." + key + " is not a configurable signal; expected one of "
            + List.of("kvCache", "waitingRequests", "ttftP90Ms", "concurrentRequests"));
        continue;
      }
      specs.put(key, spec("metrics." + key, field.getValue(), specs.get(key), target,
          problems));
    }
    return new SignalMetrics(defaults.invocations(), specs.get("kvCache"),
        specs.get("waitingRequests"), specs.get("ttftP90Ms"), specs.get("concurrentRequests"));
  }

  private static MetricSpec spec(String path, JsonNode node, MetricSpec base,
      MetricTarget target, List<String> problems) {
    if (node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      problems.add(path + " must be a metric spec object or null, got " + node.getNodeType());
      return base;
    }
    String namespace = text(path, node, "namespace", base.namespace(), problems);
    String name = text(path, node, "name", base.name(), problems);
    String statistic = text(path, node, "statistic", base.statistic(), problems);
    List<MetricDimension> dimensions = base.dimensions();
    Iterator<String> keys = node.fieldNames();
    while (keys.hasNext()) {
      String key = keys.next();
      if (!Set.of("namespace", "name", "statistic", "dimensions").contains(key)) {
        problems.add(path + "." + key + " is unknown; expected namespace, name, dimensions, "
            + "statistic");
      }
    }
    JsonNode dims = node.get("dimensions");
    if (dims != null) {
      if (!dims.isObject()) {
        problems.add(path + ".dimensions must be an object of name → value, got "
            + dims.getNodeType());
      } else {
        List<MetricDimension> parsed = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = dims.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> d = it.next();
          if (!d.getValue().isTextual()) {
            problems.add(path + ".dimensions." + d.getKey() + " must be a string");
            continue;
          }
          parsed.add(new MetricDimension(d.getKey(), d.getValue().asText()
              .replace("${endpointName}", target.endpointName())
              .replace("${variantName}", String.valueOf(target.variantName()))
              .replace("${inferenceComponentName}",
                  String.valueOf(target.inferenceComponentName()))));
        }
        if (parsed.size() > 30) {
          problems.add(path + ".dimensions: CloudWatch allows at most 30, got " + parsed.size());
        }
        dimensions = parsed;
      }
    }
    return new MetricSpec(namespace, name, dimensions, statistic);
  }

  private static String text(String path, JsonNode node, String field, String fallback,
      List<String> problems) {
    JsonNode value = node.get(field);
    if (value == null) {
      return fallback;
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      problems.add(path + "." + field + " must be a non-empty string, got " + value);
      return fallback;
    }
    return value.asText();
  }
}
