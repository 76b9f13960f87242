package inferscale.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyConfigParserTest {

  private static JsonNode json(String text) throws Exception {
    return Json.mapper().readTree(text);
  }

  @Test
  void overridesReplaceOnlyTheFieldsTheyName() throws Exception {
    PolicyConfig policy = PolicyConfigParser.parse(
        json("{\"minInstances\": 2, \"maxInstances\": 12, \"targetRpsPerInstance\": 3.5,"
            + " \"signals\": [\"rps\", \"ttftP90Ms\"], \"ttftSloMs\": 800}"),
        PolicyConfig.defaults());
    assertEquals(2, policy.minInstances());
    assertEquals(12, policy.maxInstances());
    assertEquals(3.5, policy.targetRpsPerInstance());
    assertEquals(EnumSet.of(Signal.RPS, Signal.TTFT), policy.signals());
    assertEquals(800.0, policy.ttftSloMs());
    assertEquals(PolicyConfig.defaults().targetKvUsage(), policy.targetKvUsage());
  }

  @Test
  void noOverridesGiveTheDefaults() {
    assertEquals(PolicyConfig.defaults(), PolicyConfigParser.parse(null, PolicyConfig.defaults()));
  }

  @Test
  void everyProblemIsReportedTogetherNamingFieldAndValue() throws Exception {
    InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
        () -> PolicyConfigParser.parse(json("{\"maxMinstances\": 3, \"targetKvUsage\": \"high\","
            + " \"minInstances\": 2.5, \"signals\": [\"rps\", \"gpu\"]}"), PolicyConfig.defaults()));
    List<String> problems = e.problems();
    assertEquals(4, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("unknown field 'maxMinstances'"), problems.get(0));
    assertEquals("targetKvUsage must be a number, got \"high\"", problems.get(1));
    assertEquals("minInstances must be a whole number, got 2.5", problems.get(2));
    assertTrue(problems.get(3).contains("unknown signal 'gpu'"), problems.get(3));
  }

  @Test
  void valueProblemsAreAllReported() throws Exception {
    InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
        () -> PolicyConfigParser.parse(json("{\"minInstances\": 5, \"maxInstances\": 2,"
            + " \"targetRpsPerInstance\": 0, \"targetKvUsage\": 1.5, \"stabilisationMinutes\": -1,"
            + " \"signals\": [\"ttftP90Ms\"]}"), PolicyConfig.defaults()));
    assertEquals(List.of(
        "maxInstances (2) must be ≥ minInstances (5)",
        "targetRpsPerInstance must be a positive number, got 0.0",
        "targetKvUsage must be in (0, 1], got 1.5",
        "ttftSloMs is required when signals include ttftP90Ms, got null",
        "stabilisationMinutes must be ≥ 0, got -1"), e.problems());
  }

  @Test
  void maxRpsPerInstanceIsOptionalAndNeverBelowTheTarget() throws Exception {
    PolicyConfig base = PolicyConfig.defaults().withTargetRpsPerInstance(2.0);
    assertEquals(null, PolicyConfigParser.parse(json("{}"), base).maxRpsPerInstance());
    assertEquals(2.0, PolicyConfigParser.parse(json("{}"), base).floorRpsPerInstance());
    PolicyConfig set = PolicyConfigParser.parse(json("{\"maxRpsPerInstance\": 3}"), base);
    assertEquals(3.0, set.floorRpsPerInstance());
    assertEquals(null, PolicyConfigParser.parse(json("{\"maxRpsPerInstance\": null}"), set)
        .maxRpsPerInstance());
    InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
        () -> PolicyConfigParser.parse(json("{\"maxRpsPerInstance\": 1.5}"), base));
    assertEquals(List.of("maxRpsPerInstance (1.5) must be ≥ targetRpsPerInstance (2.0)"),
        e.problems());
  }

  @Test
  void aPolicyThatIsNotAnObjectIsRejected() throws Exception {
    InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
        () -> PolicyConfigParser.parse(json("[1, 2]"), PolicyConfig.defaults()));
    assertEquals(List.of("policy must be a JSON object, got ARRAY"), e.problems());
  }
}
