package inferscale.decision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies JSON overrides (a schedule payload's {@code "policy"} object) to a base policy. Unknown
 * fields, wrong types and invalid values are all reported together, each naming the field.
 */
public final class PolicyConfigParser {
  private static final Set<String> INTEGER_FIELDS =
      Set.of(
          "minInstances", "maxInstances", "signalWindowMinutes", "stalenessMinutes",
          "scaleOutMinStep", "panicHoldMinutes", "stabilisationMinutes", "scaleInCooldownMinutes",
          "scaleInMinStep", "coldStartMinutes", "metricDelayMinutes");

  /** Optional fields: JSON null switches them off. */
  private static final Set<String> NULLABLE_FIELDS = Set.of("ttftSloMs", "maxRpsPerInstance");

  private PolicyConfigParser() {}

  /**
   * @param overrides a JSON object, or null / JSON null for no overrides
   * @throws InvalidPolicyException naming every bad field
   */
  public static PolicyConfig parse(JsonNode overrides, PolicyConfig base) {
    if (overrides == null || overrides.isNull() || overrides.isMissingNode()) {
      return base.validated();
    }
    if (!overrides.isObject()) {
      throw new InvalidPolicyException(
          List.of("policy must be a JSON object, got " + overrides.getNodeType()));
    }
    ObjectNode merged = Json.mapper().valueToTree(base);
    List<String> problems = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> fields = overrides.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (!merged.has(name)) {
        problems.add("unknown field '" + name + "'; known fields are " + fieldNames(merged));
      } else if (name.equals("signals")) {
        int before = problems.size();
        checkSignals(value, problems);
        if (problems.size() == before) {
          merged.set(name, value);
        }
      } else if (NULLABLE_FIELDS.contains(name) && value.isNull()) {
        merged.set(name, value);
      } else if (!value.isNumber()) {
        problems.add(name + " must be a number, got " + value);
      } else if (INTEGER_FIELDS.contains(name) && !isWholeNumber(value)) {
        problems.add(name + " must be a whole number, got " + value);
      } else {
        merged.set(name, value);
      }
    }
    for (String name : INTEGER_FIELDS) {
      merged.put(name, merged.get(name).asLong() > Integer.MAX_VALUE
          ? Integer.MAX_VALUE : Math.max(Integer.MIN_VALUE, merged.get(name).asLong()));
    }
    if (!problems.isEmpty()) {
      // Also the range problems of the well-typed fields (the badly typed ones kept the base's
      // values), so one answer names every bad field instead of one kind at a time.
      try {
        problems.addAll(Json.mapper().convertValue(merged, PolicyConfig.class).problems());
      } catch (IllegalArgumentException unconvertible) {
        // the type problems already say what is wrong
      }
      throw new InvalidPolicyException(problems);
    }
    return Json.mapper().convertValue(merged, PolicyConfig.class).validated();
  }

  private static boolean isWholeNumber(JsonNode value) {
    return value.isIntegralNumber()
        || (value.isNumber() && value.asDouble() == Math.rint(value.asDouble())
            && !Double.isInfinite(value.asDouble()));
  }

  private static void checkSignals(JsonNode value, List<String> problems) {
    if (!(value instanceof ArrayNode array)) {
      problems.add("signals must be an array of signal names, got " + value);
      return;
    }
    Set<Signal> seen = EnumSet.noneOf(Signal.class);
    for (JsonNode element : array) {
      if (!element.isTextual()) {
        problems.add("signals must hold signal names, got " + element);
        continue;
      }
      try {
        seen.add(Signal.fromName(element.asText()));
      } catch (IllegalArgumentException e) {
        problems.add("signals: " + e.getMessage());
      }
    }
  }

  private static List<String> fieldNames(ObjectNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
