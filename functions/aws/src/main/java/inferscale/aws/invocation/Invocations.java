package inferscale.aws.invocation;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import inferscale.decision.InvalidPolicyException;
import inferscale.decision.PolicyConfig;
import inferscale.decision.PolicyConfigParser;
import inferscale.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.joda.time.DateTime;

/**
 * What Lambda hands either function, turned into its payload. EventBridge Scheduler (the SAM
 * template's {@code ScheduleV2}) and a manual invoke deliver the payload itself; an EventBridge rule
 * delivers a scheduled-event envelope ({@link ScheduledEvent}) with the payload in {@code detail}.
 * Both are accepted, by both functions, here.
 */
public final class Invocations {
  /** SageMaker's rule for endpoint and variant names. */
  public static final Pattern SAGEMAKER_NAME = Pattern.compile("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$");

  private Invocations() {}

  /**
   * The payload of an invocation: a JSON object, or an envelope's {@code detail}.
   *
   * @throws InvalidRequestException when it is not JSON, not an object, or an envelope without one
   */
  public static JsonNode payload(byte[] input) {
    return payload(json(input));
  }

  /** The JSON an invocation carries. @throws InvalidRequestException when it is not JSON */
  static JsonNode json(byte[] input) {
    try {
      JsonNode node = Json.mapper().readTree(input);
      return node == null ? MissingNode.getInstance() : node;
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException(
          List.of("the request is not valid JSON: " + Json.problem(e) + Json.location(e)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code node} itself, or its {@code detail} when it is an envelope; always an object. */
  static JsonNode payload(JsonNode node) {
    if (isEnvelope(node)) {
      node = detail(envelope(node));
    }
    if (node.isMissingNode() || !node.isObject()) {
      throw new InvalidRequestException(List.of(
          "the request must be a JSON object with endpointName and variantName, got "
              + (node.isMissingNode() ? "nothing" : node.getNodeType())));
    }
    return node;
  }

  /** True for an EventBridge event envelope (it has {@code detail-type} and {@code detail}). */
  static boolean isEnvelope(JsonNode node) {
    return node.isObject() && node.has("detail-type") && node.has("detail");
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

  /** The field naming an inference component to scale instead of a variant. */
  public static final String COMPONENT = "inferenceComponentName";

  /**
   * What every invocation carries, parsed: the endpoint variant (or, where the invocation knows
   * the field, the inference component) and the policy; null where a problem was added.
   */
  record Target(String endpointName, String variantName, String inferenceComponentName,
      PolicyConfigParser.Parsed policy) {}

  /**
   * The payload's target and policy, with a problem for each field not in {@code known}, each
   * bad name and each policy problem.
   */
  static Target target(JsonNode payload, List<String> known, List<String> problems) {
    unknownFields(payload, known, problems);
    String endpoint = sageMakerName(payload, "endpointName", problems);
    if (known.contains(COMPONENT) && payload.has(COMPONENT)) {
      if (payload.has("variantName")) {
        problems.add("variantName and " + COMPONENT + " name two things to scale: give one (a"
            + " component is scaled on the variant it was deployed to)");
      }
      return new Target(endpoint, null, sageMakerName(payload, COMPONENT, problems),
          policy(payload, problems));
    }
    return new Target(endpoint, sageMakerName(payload, "variantName", problems), null,
        policy(payload, problems));
  }

  /**
   * The payload's {@code policy} over the defaults, or null with its problems added, each
   * prefixed {@code policy: }.
   */
  private static PolicyConfigParser.Parsed policy(JsonNode payload, List<String> problems) {
    try {
      return PolicyConfigParser.read(payload.get("policy"), PolicyConfig.defaults());
    } catch (InvalidPolicyException e) {
      e.problems().forEach(problem -> problems.add("policy: " + problem));
      return null;
    }
  }

  /** Adds a problem for every field of {@code payload} not in {@code known}. */
  /** Adds a problem for each field of {@code payload} not in {@code known}. */
  public static void unknownFields(JsonNode payload, List<String> known, List<String> problems) {
    payload.fieldNames().forEachRemaining(name -> {
      if (!known.contains(name)) {
        problems.add("unknown field '" + name + "'; known fields are " + known);
      }
    });
  }

  private static JsonNode detail(ScheduledEvent event) {
    if (event.getDetail() == null) {
      throw new InvalidRequestException(List.of("detail must hold the payload (endpointName,"
          + " variantName, policy, ...)"));
    }
    return Json.mapper().valueToTree(event.getDetail());
  }

  static ScheduledEvent envelope(JsonNode node) {
    ScheduledEvent event = new ScheduledEvent();
    event.setId(text(node, "id"));
    event.setVersion(text(node, "version"));
    event.setAccount(text(node, "account"));
    event.setRegion(text(node, "region"));
    event.setSource(text(node, "source"));
    event.setDetailType(text(node, "detail-type"));
    String time = text(node, "time");
    if (time != null) {
      try {
        event.setTime(DateTime.parse(time));
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException(List.of("time must be an ISO-8601 timestamp, got "
            + time));
      }
    }
    JsonNode resources = node.get("resources");
    if (resources != null && resources.isArray()) {
      List<String> list = new ArrayList<>();
      resources.forEach(r -> list.add(r.asText()));
      event.setResources(list);
    }
    JsonNode detail = node.get("detail");
    if (detail.isObject()) {
      event.setDetail(Json.mapper().convertValue(detail,
          new TypeReference<Map<String, Object>>() {}));
    } else if (!detail.isNull()) {
      throw new InvalidRequestException(List.of(
          "detail must be a JSON object (the payload), got " + detail.getNodeType()));
    }
    return event;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
