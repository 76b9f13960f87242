package inferscale.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import inferscale.json.Json;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyConfigParserTest {

  private static JsonNode json(String text) throws Exception {
    return Json.mapper().readTree(text);
  }

  @Test
  void groupedOverridesReplaceOnlyTheFieldsTheyName() throws Exception {
    PolicyConfigParser.Parsed parsed = PolicyConfigParser.read(
        json("{\"bounds\": {\"minInstances\": 2, \"maxInstances\": 12},"
            + " \"targets\": {\"rpsPerInstance\": 3.5, \"signals\": [\"rps\", \"ttftP90Ms\"],"
            + " \"ttftSloMs\": 800}, \"scaleIn\": {\"cooldownMinutes\": 15},"
            + " \"timing\": {\"coldStartMinutes\": 12, \"forecastIntervalMinutes\": 30}}"),
        PolicyConfig.defaults());
    PolicyConfig policy = parsed.policy();
    PolicyConfig defaults = PolicyConfig.defaults();
    assertEquals(new PolicyConfig.Bounds(2, 12), policy.bounds());
    assertEquals(3.5, policy.targets().rpsPerInstance());
    assertEquals(EnumSet.of(Signal.RPS, Signal.TTFT), policy.targets().signals());
    assertEquals(800.0, policy.targets().ttftSloMs());
    assertEquals(defaults.targets().kvUsage(), policy.targets().kvUsage());
    assertEquals(15, policy.scaleIn().cooldownMinutes());
    assertEquals(defaults.scaleIn().stabilisationMinutes(), policy.scaleIn().stabilisationMinutes());
    assertEquals(new Timing(12, 2, 30), policy.timing());
    assertEquals(defaults.freshness(), policy.freshness());
    assertEquals(Map.of(), parsed.deprecatedFields());
  }

  @Test
  void theDeprecatedFlatFieldsStillWorkAndAreNamedForAWarning() throws Exception {
    String flat = "{\"minInstances\": 2, \"maxInstances\": 12, \"targetRpsPerInstance\": 3.5,"
        + " \"signals\": [\"rps\", \"ttftP90Ms\"], \"ttftSloMs\": 800,"
        + " \"scaleInCooldownMinutes\": 15, \"coldStartMinutes\": 12}";
    String grouped = "{\"bounds\": {\"minInstances\": 2, \"maxInstances\": 12},"
        + " \"targets\": {\"rpsPerInstance\": 3.5, \"signals\": [\"rps\", \"ttftP90Ms\"],"
        + " \"ttftSloMs\": 800}, \"scaleIn\": {\"cooldownMinutes\": 15},"
        + " \"timing\": {\"coldStartMinutes\": 12}}";
    PolicyConfigParser.Parsed fromFlat = PolicyConfigParser.read(json(flat), PolicyConfig.defaults());
    assertEquals(PolicyConfigParser.parse(json(grouped), PolicyConfig.defaults()),
        fromFlat.policy());
    assertEquals("scaleIn.cooldownMinutes",
        fromFlat.deprecatedFields().get("scaleInCooldownMinutes"));
    assertEquals(7, fromFlat.deprecatedFields().size());
  }

  @Test
  void aWholeNumberBeyondIntIsNamedWithTheValueGiven() throws Exception {
    InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
        () -> PolicyConfigParser.parse(json("{\"bounds\": {\"minInstances\": 1e10},"
            + " \"scaleInCooldownMinutes\": -99999999999,"
            + " \"timing\": {\"coldStartMinutes\": 18446744073709551621}}"),
            PolicyConfig.defaults()));
    // Not also "maxInstances (10) must be ≥ minInstances (2147483647)", nor a cold start of 5
    // (the number's low bits): the narrowed values are no one's.
    assertEquals(List.of("bounds.minInstances is too large, got 1.0E10",
        "scaleInCooldownMinutes is too small, got -99999999999",
        "timing.coldStartMinutes is too large, got 18446744073709551621"),
        e.problems().stream().sorted().toList());
  }

  @Test
  void budgetBoundsThePolicyCannotUseAreNamed() throws Exception {
    PolicyConfig base = PolicyConfig.defaults().withMaxRpsPerInstance(4.0);
    // The budget moves the target: the band's bounds are unused, the target's are used.
    JsonNode target = json("{\"budget\": {\"unservedPercent\": 0.5, \"minUtilization\": 0.5,"
        + " \"maxFloorBand\": 2}}");
    assertEquals(List.of("budget.maxFloorBand has no effect without targets.floorBand: the"
        + " budget moves the target utilisation (budget.minUtilization, budget.maxUtilization)"),
        PolicyConfigParser.read(target, base).unusedBudgetBounds(false));
    // With a band it moves the band.
    JsonNode band = json("{\"targets\": {\"floorBand\": 0.5}, \"budget.unservedPercent\": 1,"
        + " \"budget\": {\"maxUtilization\": 0.9, \"minFloorBand\": 0.2}}");
    assertEquals(List.of("budget.maxUtilization has no effect with targets.floorBand: the budget"
        + " moves the band (budget.minFloorBand, budget.maxFloorBand)"),
        PolicyConfigParser.read(band, base).unusedBudgetBounds(false));
    // Without a budget every bound is unused, but a sweep holds budgets of its own with them.
    JsonNode none = json("{\"budget\": {\"minUtilization\": 0.5}}");
    PolicyConfigParser.Parsed unbudgeted = PolicyConfigParser.read(none, base);
    assertEquals(List.of("budget.minUtilization has no effect without budget.unservedPercent"),
        unbudgeted.unusedBudgetBounds(false));
    assertEquals(List.of(), unbudgeted.unusedBudgetBounds(true));
    assertEquals(List.of(), PolicyConfigParser.read(null, base).unusedBudgetBounds(false));
  }

  @Test
  void aFieldIsTakenOutHoweverItIsSpelled() throws Exception {
    for (String given : List.of("{\"targets\": {\"rpsPerInstance\": 4, \"kvUsage\": 0.8}}",
        "{\"targets.rpsPerInstance\": 4, \"targets\": {\"kvUsage\": 0.8}}",
        "{\"targetRpsPerInstance\": 4, \"targets\": {\"kvUsage\": 0.8}}")) {
      PolicyConfig policy = PolicyConfigParser.parse(
          PolicyConfigParser.without(json(given), "targets.rpsPerInstance"),
          PolicyConfig.defaults());
      assertEquals(PolicyConfig.defaults().targets().rpsPerInstance(),
          policy.targets().rpsPerInstance(), given);
      assertEquals(0.8, policy.targets().kvUsage(), given);
    }
  }

  @Test
  void aFieldMayBeGivenByItsPathBesideItsGroup() throws Exception {
    PolicyConfig policy = PolicyConfigParser.parse(json("{\"targets\": {\"rpsPerInstance\": 4},"
        + " \"targets.kvUsage\": 0.8, \"targets.signals\": [\"rps\", \"kvCache\"]}"),
        PolicyConfig.defaults());
    assertEquals(4.0, policy.targets().rpsPerInstance());
    assertEquals(0.8, policy.targets().kvUsage());
    assertEquals(EnumSet.of(Signal.RPS, Signal.KV_CACHE), policy.targets().signals());
    assertEquals(List.of("targets.kvUsage is given twice, at the top and in targets; give it"
        + " once"), assertThrows(InvalidPolicyException.class, () -> PolicyConfigParser.parse(
            json("{\"targets\": {\"kvUsage\": 0.7}, \"targets.kvUsage\": 0.8}"),
            PolicyConfig.defaults())).problems());
    // Given by its path, an unknown field is answered with its group's fields, as in the group.
    assertEquals(List.of("unknown field 'budget.bogus'; known fields of budget are"
        + " [unservedPercent, minUtilization, maxUtilization, minFloorBand, maxFloorBand]"),
        assertThrows(InvalidPolicyException.class, () -> PolicyConfigParser.parse(
            json("{\"budget.bogus\": 1}"), PolicyConfig.defaults())).problems());
  }

  @Test
  void theGroupedFormIsWhatAPolicyWrites() throws Exception {
    PolicyConfig policy = PolicyConfig.defaults().withBounds(3, 9).withMaxRpsPerInstance(4.0);
    JsonNode written = Json.mapper().valueToTree(policy);
    assertEquals(PolicyConfigParser.GROUPS, iterate(written));
    assertEquals(policy, PolicyConfigParser.parse(written, PolicyConfig.defaults()));
  }

  private static List<String> iterate(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void noOverridesGiveTheDefaults() {
    assertEquals(PolicyConfig.defaults(), PolicyConfigParser.parse(null, PolicyConfig.defaults()));
  }

  @Test
  void everyProblemIsReportedTogetherNamingFieldAndValue() throws Exception {
    InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
        () -> PolicyConfigParser.parse(json("{\"maxMinstances\": 3, \"targetKvUsage\": \"high\","
            + " \"bounds\": {\"minInstances\": 2.5, \"most\": 4}, \"scaleIn\": 7,"
            + " \"targets\": {\"signals\": [\"rps\", \"gpu\"]}}"), PolicyConfig.defaults()));
    List<String> problems = e.problems();
    assertEquals(6, problems.size(), problems.toString());
    assertEquals("unknown field 'maxMinstances'; known fields are [bounds, targets, freshness,"
        + " scaleOut, scaleIn, timing, budget, fallback]", problems.get(0));
    assertEquals("targetKvUsage must be a number, got \"high\"", problems.get(1));
    assertEquals("bounds.minInstances must be a whole number, got 2.5", problems.get(2));
    assertEquals("unknown field 'bounds.most'; known fields of bounds are [minInstances,"
        + " maxInstances, scaleToZeroAfterMinutes]", problems.get(3));
    assertTrue(problems.get(4).startsWith("scaleIn must be a JSON object of [maxPercent,"),
        problems.get(4));
    assertTrue(problems.get(5).startsWith("targets.signals: unknown signal 'gpu'"),
        problems.get(5));
  }

  @Test
  void valueProblemsNameTheFieldsAsThePayloadDid() throws Exception {
    InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
        () -> PolicyConfigParser.parse(json("{\"minInstances\": 5, \"maxInstances\": 2,"
            + " \"targets\": {\"rpsPerInstance\": 0, \"kvUsage\": 1.5},"
            + " \"stabilisationMinutes\": -1, \"signals\": [\"ttftP90Ms\"],"
            + " \"timing\": {\"forecastIntervalMinutes\": 0}}"), PolicyConfig.defaults()));
    assertEquals(List.of(
        "maxInstances (2) must be ≥ minInstances (5)",
        "targets.rpsPerInstance must be a positive number, got 0.0",
        "targets.kvUsage must be in (0, 1], got 1.5",
        "targets.ttftSloMs is required when signals include ttftP90Ms, got null",
        "stabilisationMinutes must be ≥ 0, got -1",
        "timing.forecastIntervalMinutes must be between 1 and 60, got 0"), e.problems());
  }

  @Test
  void aFieldGivenInBothFormsIsRejected() throws Exception {
    InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
        () -> PolicyConfigParser.parse(json("{\"bounds\": {\"maxInstances\": 8},"
            + " \"maxInstances\": 9}"), PolicyConfig.defaults()));
    assertEquals(List.of("maxInstances and bounds.maxInstances both set bounds.maxInstances;"
        + " give it once"), e.problems());
  }

  @Test
  void maxRpsPerInstanceIsOptionalAndNeverBelowTheTarget() throws Exception {
    PolicyConfig base = PolicyConfig.defaults().withTargetRpsPerInstance(2.0);
    assertNull(PolicyConfigParser.parse(json("{}"), base).targets().maxRpsPerInstance());
    assertEquals(2.0, PolicyConfigParser.parse(json("{}"), base).targets().floorRpsPerInstance());
    PolicyConfig set = PolicyConfigParser.parse(
        json("{\"targets\": {\"maxRpsPerInstance\": 3}}"), base);
    assertEquals(3.0, set.targets().floorRpsPerInstance());
    assertNull(PolicyConfigParser.parse(json("{\"maxRpsPerInstance\": null}"), set)
        .targets().maxRpsPerInstance());
    InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
        () -> PolicyConfigParser.parse(json("{\"maxRpsPerInstance\": 1.5}"), base));
    assertEquals(List.of("maxRpsPerInstance (1.5) must be ≥ targets.rpsPerInstance (2.0)"),
        e.problems());
  }

  @Test
  void aFloorBandNeedsWhatAnInstanceServesAndARangeItCanMean() throws Exception {
    PolicyConfig base = PolicyConfig.defaults().withTargetRpsPerInstance(2.0);
    assertNull(PolicyConfigParser.parse(json("{}"), base).targets().floorBand(), "off by default");
    PolicyConfig led = PolicyConfigParser.parse(
        json("{\"targets\": {\"maxRpsPerInstance\": 3, \"floorBand\": 0.4}}"), base);
    assertEquals(0.4, led.targets().floorBand());
    assertNull(PolicyConfigParser.parse(json("{\"targets\": {\"floorBand\": null}}"), led)
        .targets().floorBand(), "null switches it off");
    InvalidPolicyException alone = assertThrows(InvalidPolicyException.class,
        () -> PolicyConfigParser.parse(json("{\"targets\": {\"floorBand\": 0.4}}"), base));
    assertEquals(List.of("targets.floorBand needs targets.maxRpsPerInstance, what one instance"
        + " serves, to size the floor at; got null"), alone.problems());
    // With a budget, the band is where it starts, within bounds the budget's fields can set.
    PolicyConfig.Budget budget = PolicyConfigParser.parse(json("{\"budget\":"
        + " {\"unservedPercent\": 0.5, \"maxFloorBand\": 1.5}}"), led).budget();
    assertEquals(new PolicyConfig.Budget(0.5, 0.3, 1.0, 0.0, 1.5), budget);
    // Every other change of the targets keeps the band.
    assertEquals(0.4, led.withTargetRpsPerInstance(2.5).targets().floorBand());
    assertEquals(0.4, led.withMaxRpsPerInstance(4.0).targets().floorBand());
    assertEquals(0.4, led.withSignals(EnumSet.of(Signal.RPS), null).targets().floorBand());
    for (String bad : List.of("-0.1", "3.5")) {
      InvalidPolicyException range = assertThrows(InvalidPolicyException.class,
          () -> PolicyConfigParser.parse(json("{\"targets\": {\"floorBand\": " + bad + "}}"),
              led));
      assertEquals(List.of("targets.floorBand must be in [0, 3.0], got " + Double.valueOf(bad)),
          range.problems());
    }
  }

  @Test
  void aPolicyThatIsNotAnObjectIsRejected() throws Exception {
    InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
        () -> PolicyConfigParser.parse(json("[1, 2]"), PolicyConfig.defaults()));
    assertEquals(List.of("policy must be a JSON object, got ARRAY"), e.problems());
  }
}
