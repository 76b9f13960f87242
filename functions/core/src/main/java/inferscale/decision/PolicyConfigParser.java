package inferscale.decision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import inferscale.json.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies JSON overrides (a schedule payload's {@code "policy"} object) to a base policy. The
 * overrides use the grouped form ({@code {"bounds": {"maxInstances": 16}, "scaleIn":
 * {"cooldownMinutes": 15}}}); the flat field names of the first format ({@code "maxInstances":
 * 16}) are still accepted, deprecated, so deployed stacks keep working. Unknown fields, wrong
 * types, fields given twice and invalid values are all reported together, each naming the field
 * as the payload spelled it. A field may also be given by its path at the top ({@code
 * "scaleIn.cooldownMinutes": 15}), which lets a template add fields to a group it already writes.
 */
public final class PolicyConfigParser {
  /** The groups, in the order {@link PolicyConfig} writes them. */
  static final List<String> GROUPS =
      List.of("bounds", "targets", "freshness", "scaleOut", "scaleIn", "timing", "budget",
          "fallback");

  /** Deprecated flat field → where it lives now. */
  static final Map<String, String> FLAT_FIELDS = flatFields();

  private static final Set<String> INTEGER_FIELDS = Set.of(
      "bounds.minInstances", "bounds.maxInstances", "bounds.scaleToZeroAfterMinutes",
      "freshness.signalWindowMinutes",
      "freshness.stalenessMinutes", "scaleOut.minStep", "scaleIn.minStep",
      "scaleIn.stabilisationMinutes", "scaleIn.cooldownMinutes", "scaleIn.panicHoldMinutes",
      "timing.coldStartMinutes", "timing.metricDelayMinutes", "timing.forecastIntervalMinutes",
      "fallback.minInstances", "fallback.maxInstances");

  /** Fields that hold text. */
  private static final Set<String> TEXT_FIELDS = Set.of("fallback.variantName");

  /** Optional fields: JSON null switches them off. */
  private static final Set<String> NULLABLE_FIELDS =
      Set.of("bounds.scaleToZeroAfterMinutes", "targets.ttftSloMs", "targets.maxRpsPerInstance",
          "targets.concurrencyPerInstance", "targets.floorBand",
          "budget.unservedPercent", "fallback.variantName", "fallback.rpsPerInstance");

  private static final String SIGNALS = "targets.signals";

  private PolicyConfigParser() {}

  /**
   * A parsed policy and, for warnings, the deprecated flat fields it used and the paths it gave.
   *
   * @param deprecatedFields the flat names given, each with the path that replaces it
   * @param givenPaths the path of every field the overrides gave, however they spelled it
   */
  public record Parsed(PolicyConfig policy, Map<String, String> deprecatedFields,
      Set<String> givenPaths) {
    public Parsed {
      deprecatedFields = Map.copyOf(deprecatedFields);
      givenPaths = Set.copyOf(givenPaths);
    }

    /**
     * The budget's bounds given that the policy cannot use, each in a sentence: a bound of the
     * knob the budget does not move (with targets.floorBand it moves the band, else the target
     * utilisation), or, unless {@code budgetHeld} (a sweep holds budgets of its own with the
     * policy's bounds), any bound without budget.unservedPercent.
     */
    public List<String> unusedBudgetBounds(boolean budgetHeld) {
      boolean band = policy.targets().floorBand() != null;
      List<String> unused = new ArrayList<>();
      for (String bound : List.of("minUtilization", "maxUtilization", "minFloorBand",
          "maxFloorBand")) {
        String path = "budget." + bound;
        if (!givenPaths.contains(path)) {
          continue;
        }
        boolean bandBound = bound.endsWith("FloorBand");
        if (!budgetHeld && policy.budget().unservedPercent() == null) {
          unused.add(path + " has no effect without budget.unservedPercent");
        } else if (bandBound != band) {
          unused.add(path + " has no effect " + (band
              ? "with targets.floorBand: the budget moves the band (budget.minFloorBand,"
                  + " budget.maxFloorBand)"
              : "without targets.floorBand: the budget moves the target utilisation"
                  + " (budget.minUtilization, budget.maxUtilization)"));
        }
      }
      return unused;
    }
  }

  /**
   * @param overrides a JSON object, or null / JSON null for no overrides
   * @throws InvalidPolicyException naming every bad field
   */
  public static PolicyConfig parse(JsonNode overrides, PolicyConfig base) {
    return read(overrides, base).policy();
  }

  /** As {@link #parse}, also saying which fields were given, and which deprecated ones. */
  public static Parsed read(JsonNode overrides, PolicyConfig base) {
    if (overrides == null || overrides.isNull() || overrides.isMissingNode()) {
      return new Parsed(base.validated(), Map.of(), Set.of());
    }
    if (!overrides.isObject()) {
      throw new InvalidPolicyException(
          List.of("policy must be a JSON object, got " + overrides.getNodeType()));
    }
    Merge merge = new Merge(Json.mapper().valueToTree(base));
    overrides.fields().forEachRemaining(field -> {
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (GROUPS.contains(name)) {
        merge.group(name, value);
      } else if (merge.isPath(name)) {
        merge.set(name, value, name);
      } else if (FLAT_FIELDS.containsKey(name)) {
        merge.set(FLAT_FIELDS.get(name), value, name);
      } else {
        merge.unknown(name);
      }
    });
    return merge.result();
  }

  /**
   * The overrides without one field, however they spell it: in its group, by its path at the top
   * or by its deprecated flat name.
   *
   * @param path the field's path, such as {@code targets.rpsPerInstance}
   */
  public static JsonNode without(JsonNode overrides, String path) {
    if (overrides == null || !overrides.isObject()) {
      return overrides;
    }
    ObjectNode copy = ((ObjectNode) overrides).deepCopy();
    copy.remove(path);
    FLAT_FIELDS.forEach((flat, grouped) -> {
      if (grouped.equals(path)) {
        copy.remove(flat);
      }
    });
    String[] parts = path.split("\\.");
    if (copy.get(parts[0]) instanceof ObjectNode group) {
      group.remove(parts[1]);
    }
    return copy;
  }

  /** The overrides merged, field by field, into the base policy's JSON. */
  private static final class Merge {
    private final ObjectNode merged;
    private final List<String> problems = new ArrayList<>();
    /** Path → the name the payload gave it by. */
    private final Map<String, String> given = new LinkedHashMap<>();

    Merge(ObjectNode merged) {
      this.merged = merged;
    }

    void group(String group, JsonNode value) {
      ObjectNode fields = (ObjectNode) merged.get(group);
      if (!value.isObject()) {
        problems.add(group + " must be a JSON object of " + names(fields) + ", got "
            + value.getNodeType());
        return;
      }
      value.fields().forEachRemaining(field -> {
        String path = group + "." + field.getKey();
        if (fields.has(field.getKey())) {
          set(path, field.getValue(), path);
        } else {
          unknown(path);
        }
      });
    }

    /** A field no group has, given as {@code path}: its group's fields listed, or the groups. */
    void unknown(String path) {
      String group = path.split("\\.", -1)[0];
      problems.add("unknown field '" + path + "'; known fields " + (GROUPS.contains(group)
          ? "of " + group + " are " + names((ObjectNode) merged.get(group)) : "are " + GROUPS));
    }

    /** True for a known field's path, such as {@code scaleIn.cooldownMinutes}. */
    boolean isPath(String name) {
      String[] parts = name.split("\\.", -1);
      return parts.length == 2 && GROUPS.contains(parts[0]) && merged.get(parts[0]).has(parts[1]);
    }

    void set(String path, JsonNode value, String givenAs) {
      String before = given.putIfAbsent(path, givenAs);
      if (before != null) {
        // The same name twice: once at the top by its path, once in its group.
        problems.add(givenAs.equals(before)
            ? path + " is given twice, at the top and in " + path.split("\\.")[0] + "; give it once"
            : givenAs + " and " + before + " both set " + path + "; give it once");
        return;
      }
      String problem = typeProblem(path, value, givenAs);
      if (problem != null) {
        problems.add(problem);
        return;
      }
      String[] parts = path.split("\\.");
      ((ObjectNode) merged.get(parts[0])).set(parts[1], value);
    }

    Parsed result() {
      Set<String> outOfRange = new HashSet<>();
      for (String path : INTEGER_FIELDS) {
        String[] parts = path.split("\\.");
        ObjectNode group = (ObjectNode) merged.get(parts[0]);
        if (group.get(parts[1]).isNull()) {
          continue; // an optional field left off
        }
        JsonNode value = group.get(parts[1]);
        if (!value.canConvertToInt()) {
          // Named with the value given: once narrowed, a range check would report another.
          outOfRange.add(path);
          problems.add(given.getOrDefault(path, path) + " is too "
              + (value.asDouble() > 0 ? "large" : "small") + ", got " + value);
          group.put(parts[1], 0);
          continue;
        }
        group.put(parts[1], value.asInt());
      }
      PolicyConfig policy = null;
      try {
        policy = Json.mapper().convertValue(merged, PolicyConfig.class);
      } catch (IllegalArgumentException unconvertible) {
        // only after a type problem, which already says what is wrong
      }
      if (policy != null) {
        // Also the range problems of the well-typed fields (the badly typed ones kept the base's
        // values), so one answer names every bad field instead of one kind at a time.
        policy.problems().stream()
            .filter(problem -> outOfRange.stream().noneMatch(problem::contains))
            .forEach(problem -> problems.add(asGiven(problem)));
      }
      if (!problems.isEmpty()) {
        throw new InvalidPolicyException(problems);
      }
      Map<String, String> deprecated = new LinkedHashMap<>();
      given.forEach((path, name) -> {
        if (!name.equals(path)) {
          deprecated.put(name, path);
        }
      });
      return new Parsed(policy, deprecated, given.keySet());
    }

    /** A validation problem naming fields the way the payload did. */
    private String asGiven(String problem) {
      String named = problem;
      for (Map.Entry<String, String> entry : given.entrySet()) {
        named = named.replace(entry.getKey(), entry.getValue());
      }
      return named;
    }
  }

  private static String typeProblem(String path, JsonNode value, String givenAs) {
    if (path.equals(SIGNALS)) {
      return signalsProblem(value, givenAs);
    }
    if (NULLABLE_FIELDS.contains(path) && value.isNull()) {
      return null;
    }
    if (TEXT_FIELDS.contains(path)) {
      return value.isTextual() ? null : givenAs + " must be text, got " + value;
    }
    if (!value.isNumber()) {
      return givenAs + " must be a number, got " + value;
    }
    if (INTEGER_FIELDS.contains(path) && !isWholeNumber(value)) {
      return givenAs + " must be a whole number, got " + value;
    }
    return null;
  }

  private static boolean isWholeNumber(JsonNode value) {
    return value.isIntegralNumber()
        || (value.asDouble() == Math.rint(value.asDouble())
            && !Double.isInfinite(value.asDouble()));
  }

  private static String signalsProblem(JsonNode value, String givenAs) {
    if (!(value instanceof ArrayNode array)) {
      return givenAs + " must be an array of signal names, got " + value;
    }
    List<String> problems = new ArrayList<>();
    for (JsonNode element : array) {
      if (!element.isTextual()) {
        problems.add(givenAs + " must hold signal names, got " + element);
        continue;
      }
      try {
        Signal.fromName(element.asText());
      } catch (IllegalArgumentException e) {
        problems.add(givenAs + ": " + e.getMessage());
      }
    }
    return problems.isEmpty() ? null : String.join("; ", problems);
  }

  private static List<String> names(ObjectNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Map<String, String> flatFields() {
    Map<String, String> flat = new LinkedHashMap<>();
    flat.put("minInstances", "bounds.minInstances");
    flat.put("maxInstances", "bounds.maxInstances");
    flat.put("signals", "targets.signals");
    flat.put("targetRpsPerInstance", "targets.rpsPerInstance");
    flat.put("maxRpsPerInstance", "targets.maxRpsPerInstance");
    flat.put("targetKvUsage", "targets.kvUsage");
    flat.put("targetWaitingPerInstance", "targets.waitingPerInstance");
    flat.put("ttftSloMs", "targets.ttftSloMs");
    flat.put("tolerance", "targets.tolerance");
    flat.put("signalWindowMinutes", "freshness.signalWindowMinutes");
    flat.put("stalenessMinutes", "freshness.stalenessMinutes");
    flat.put("scaleOutMaxPercent", "scaleOut.maxPercent");
    flat.put("scaleOutMinStep", "scaleOut.minStep");
    flat.put("panicThreshold", "scaleOut.panicThreshold");
    flat.put("scaleInMaxPercent", "scaleIn.maxPercent");
    flat.put("scaleInMinStep", "scaleIn.minStep");
    flat.put("stabilisationMinutes", "scaleIn.stabilisationMinutes");
    flat.put("scaleInCooldownMinutes", "scaleIn.cooldownMinutes");
    flat.put("panicHoldMinutes", "scaleIn.panicHoldMinutes");
    flat.put("coldStartMinutes", "timing.coldStartMinutes");
    flat.put("metricDelayMinutes", "timing.metricDelayMinutes");
    return Map.copyOf(flat);
  }
}
