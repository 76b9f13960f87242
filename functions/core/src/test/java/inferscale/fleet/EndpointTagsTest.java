package inferscale.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import inferscale.decision.PolicyConfig;
import inferscale.decision.PolicyConfigParser;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EndpointTagsTest {
  /** What SageMaker allows in a tag value (API_Tag): no braces, quotes or commas. */
  private static final Pattern TAG_VALUE = Pattern.compile("^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$");

  private static Map<String, String> tags(String... keyValues) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      tags.put(keyValues[i], keyValues[i + 1]);
    }
    return tags;
  }

  @Test
  void thePolicyTagsBecomeTheRequestsPolicyAndItsPriority() {
    EndpointTags.Parsed parsed = EndpointTags.parse(tags(
        "inferscale:enabled", "true", "inferscale:variant", "AllTraffic",
        "inferscale:policy", "bounds.maxInstances=8 targets.rpsPerInstance=5.5 priority=7",
        "inferscale:policy-2", "targets.maxRpsPerInstance=null timing.coldStartMinutes=12",
        "team", "search"));

    ObjectNode request = parsed.request();
    assertEquals("AllTraffic", request.get("variantName").asText());
    assertEquals(7, parsed.priority());
    PolicyConfig policy = PolicyConfigParser.parse(request.get("policy"), PolicyConfig.defaults());
    assertEquals(8, policy.bounds().maxInstances());
    assertEquals(5.5, policy.targets().rpsPerInstance());
    assertEquals(12, policy.timing().coldStartMinutes());
    assertEquals("inferscale:policy-2", parsed.fieldTags().get("timing.coldStartMinutes"));
    assertEquals("inferscale:variant", EndpointTags.tagOf(
        "variantName must be 1-63 letters, digits and inner hyphens", parsed.fieldTags()));
  }

  @Test
  void aFullPolicyFitsInTheTagsSageMakerAllows() {
    // Every field a fleet endpoint typically sets, with long values: two tags of ≤ 256.
    String first = "bounds.minInstances=0 bounds.maxInstances=64 targets.rpsPerInstance=12.75"
        + " targets.maxRpsPerInstance=18.5 targets.concurrencyPerInstance=24"
        + " targets.ttftSloMs=1500 timing.coldStartMinutes=12 priority=10";
    String second = "scaleIn.cooldownMinutes=15 scaleIn.stabilisationMinutes=20"
        + " scaleOut.maxPercent=100 budget.unservedPercent=0.5"
        + " bounds.scaleToZeroAfterMinutes=30";
    for (String value : new String[] {first, second}) {
      assertTrue(value.length() <= 256, value.length() + ": " + value);
      assertTrue(TAG_VALUE.matcher(value).matches(), value);
    }
    EndpointTags.Parsed parsed = EndpointTags.parse(tags("inferscale:enabled", "true",
        "inferscale:policy", first, "inferscale:policy-2", second));
    PolicyConfigParser.parse(parsed.request().get("policy"), PolicyConfig.defaults());
    // The same policy as the request's JSON would not be a valid tag value at all.
    assertFalse(TAG_VALUE.matcher("{\"bounds\": {\"maxInstances\": 64}}").matches());
  }

  @Test
  void everyBadTagIsNamedTogether() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EndpointTags.parse(tags("inferscale:enabled", "true",
            "inferscale:polcy", "bounds.maxInstances=8",
            "inferscale:policy", "bounds.maxInstances=8 priority=high maxInstances",
            "inferscale:policy-2", "bounds.maxInstances=9",
            "inferscale:variant", "A", "inferscale:component", "c")));

    String message = e.getMessage();
    assertTrue(message.contains("unknown tag inferscale:polcy"), message);
    assertTrue(message.contains("tag inferscale:policy: priority must be a whole number, got"
        + " 'high'"), message);
    assertTrue(message.contains("tag inferscale:policy: 'maxInstances' is not field=value"),
        message);
    assertTrue(message.contains("tag inferscale:policy-2: bounds.maxInstances is also set in tag"
        + " inferscale:policy"), message);
    assertTrue(message.contains("inferscale:variant and inferscale:component both set"),
        message);
  }

  @Test
  void onlyEnabledTrueOptsIn() {
    assertTrue(EndpointTags.enabled(tags("inferscale:enabled", "true")));
    assertFalse(EndpointTags.enabled(tags("inferscale:enabled", "false")));
    assertFalse(EndpointTags.enabled(tags("inferscale:paused", "true")));
    // IAM's condition compares the value exactly: one that only looks like true is not.
    assertFalse(EndpointTags.enabled(tags("inferscale:enabled", "true ")));
    assertFalse(EndpointTags.enabled(tags("inferscale:enabled", "True")));
  }

  @Test
  void aPolicyProblemIsTracedToTheTagThatGaveTheField() {
    Map<String, String> fieldTags = Map.of("bounds.maxInstances", "inferscale:policy",
        "scaleIn.cooldownMinutes", "inferscale:policy-3");
    assertEquals("inferscale:policy-3", EndpointTags.tagOf(
        "policy: scaleIn.cooldownMinutes must be ≥ 0, got -1", fieldTags));
    assertEquals("inferscale:policy", EndpointTags.tagOf("policy: something else", fieldTags));
  }
}
