package inferscale.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import inferscale.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * An endpoint's opt-in to the fleet, declared in its tags. SageMaker tag values allow letters,
 * digits, spaces and {@code _.:/=+-@} only (no braces or quotes, so no JSON), at most 256
 * characters: the policy is written as space-separated {@code path=value} pairs, the paths those of
 * the request's {@code policy} object (values: numbers, {@code null} or text), and may go on in
 * {@code inferscale:policy-2} … {@code -9}.
 *
 * <ul>
 *   <li>{@code inferscale:enabled=true}: opts in (any other value leaves the endpoint alone);
 *   <li>{@code inferscale:variant=NAME} or {@code inferscale:component=NAME}: what to scale (the
 *       variant may be left off when the endpoint has one);
 *   <li>{@code inferscale:policy=bounds.maxInstances=8 targets.rpsPerInstance=6 priority=10}:
 *       policy overrides, plus the fleet's {@code priority} for its account quota (default 0).
 * </ul>
 *
 * {@code inferscale:paused} and {@code inferscale:last-ask} keep their meaning; any other {@code
 * inferscale:} key is a mistake and reported.
 */
public final class EndpointTags {
  public static final String PREFIX = "inferscale:";
  public static final String ENABLED = PREFIX + "enabled";
  public static final String VARIANT = PREFIX + "variant";
  public static final String COMPONENT = PREFIX + "component";
  public static final String POLICY = PREFIX + "policy";
  /** The fleet-only field of the policy tags. */
  public static final String PRIORITY = "priority";
  /** Continuation tags: {@code inferscale:policy-2} to {@code -9}. */
  static final int MAX_POLICY_TAGS = 9;
  /** Tags of the scaler's own, read elsewhere. */
  private static final Set<String> OTHERS = Set.of(PREFIX + "paused", PREFIX + "last-ask");
  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");

  private EndpointTags() {}

  /**
   * An endpoint's tags read.
   *
   * @param request the scaler request the tags declare, without {@code endpointName}: {@code
   *     variantName} or {@code inferenceComponentName} when tagged, and {@code policy} (each field
   *     by its path)
   * @param priority the endpoint's priority for its instance type's quota
   * @param fieldTags the tag each field was given in (a policy path, {@code variantName}, {@code
   *     inferenceComponentName}), to name it in an error
   */
  public record Parsed(ObjectNode request, int priority, Map<String, String> fieldTags) {
    public Parsed {
      request = request.deepCopy();
      fieldTags = Map.copyOf(fieldTags);
    }

    @Override
    public ObjectNode request() {
      return request.deepCopy();
    }
  }

  /**
   * True when the tags opt the endpoint in: exactly {@code true}, as the IAM condition that lets
   * the scaler update it compares.
   */
  public static boolean enabled(Map<String, String> tags) {
    return "true".equals(tags.get(ENABLED));
  }

  /**
   * @throws IllegalArgumentException naming each bad tag and field, in one message
   */
  public static Parsed parse(Map<String, String> tags) {
    List<String> problems = new ArrayList<>();
    ObjectNode request = Json.mapper().createObjectNode();
    ObjectNode policy = request.putObject("policy");
    Map<String, String> fieldTags = new TreeMap<>();
    int priority = 0;
    for (Map.Entry<String, String> tag : new TreeMap<>(tags).entrySet()) {
      String key = tag.getKey();
      String value = tag.getValue() == null ? "" : tag.getValue().trim();
      if (!key.startsWith(PREFIX) || key.equals(ENABLED) || OTHERS.contains(key)) {
        continue;
      }
      if (key.equals(VARIANT) || key.equals(COMPONENT)) {
        String field = key.equals(VARIANT) ? "variantName" : "inferenceComponentName";
        if (value.isEmpty()) {
          problems.add("tag " + key + " is empty; give the name to scale");
        } else {
          request.put(field, value);
          fieldTags.put(field, key);
        }
      } else if (policyTag(key)) {
        for (String pair : value.isEmpty() ? new String[0] : value.split("\\s+")) {
          int equals = pair.indexOf('=');
          if (equals <= 0) {
            problems.add("tag " + key + ": '" + pair + "' is not field=value");
            continue;
          }
          String field = pair.substring(0, equals);
          String raw = pair.substring(equals + 1);
          String before = fieldTags.putIfAbsent(field, key);
          if (before != null) {
            problems.add("tag " + key + ": " + field + " is also set in tag " + before
                + "; give it once");
          } else if (field.equals(PRIORITY)) {
            try {
              priority = Integer.parseInt(raw);
            } catch (NumberFormatException e) {
              problems.add("tag " + key + ": priority must be a whole number, got '" + raw + "'");
            }
          } else {
            policy.set(field, value(raw));
          }
        }
      } else {
        problems.add("unknown tag " + key + "; InferScale reads " + List.of(ENABLED, VARIANT,
            COMPONENT, POLICY, POLICY + "-2…-" + MAX_POLICY_TAGS) + " and " + OTHERS);
      }
    }
    if (request.has("variantName") && request.has("inferenceComponentName")) {
      problems.add("tags " + VARIANT + " and " + COMPONENT + " both set; give one");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return new Parsed(request, priority, fieldTags);
  }

  /** The tag a problem of the policy parser is about: the one giving the field it names. */
  public static String tagOf(String problem, Map<String, String> fieldTags) {
    String named = null;
    for (Map.Entry<String, String> entry : fieldTags.entrySet()) {
      if (problem.contains(entry.getKey())
          && (named == null || entry.getKey().length() > named.length())) {
        named = entry.getKey();
      }
    }
    return named == null ? POLICY : fieldTags.get(named);
  }

  private static boolean policyTag(String key) {
    if (key.equals(POLICY)) {
      return true;
    }
    for (int i = 2; i <= MAX_POLICY_TAGS; i++) {
      if (key.equals(POLICY + "-" + i)) {
        return true;
      }
    }
    return false;
  }

  /** A tag's text as the JSON value the policy parser expects. */
  private static JsonNode value(String raw) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    if (raw.equals("null")) {
      return nodes.nullNode();
    }
    if (NUMBER.matcher(raw).matches()) {
      return raw.matches("-?\\d+") && raw.length() < 10 ? nodes.numberNode(Integer.parseInt(raw))
          : nodes.numberNode(Double.parseDouble(raw));
    }
    return nodes.textNode(raw);
  }
}
