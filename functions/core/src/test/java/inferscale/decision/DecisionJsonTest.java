package inferscale.decision;

import static inferscale.decision.Scenario.withInstances;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import inferscale.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionJsonTest {

  @Test
  void jsonHasTheDocumentedFieldsInAStableOrder() throws Exception {
    Decision decision = withInstances(4).steady().rps(7, 7).headroom(2).decide();
    JsonNode json = Json.mapper().readTree(decision.toJson());
    List<String> fields = new ArrayList<>();
    json.fieldNames().forEachRemaining(fields::add);
    assertEquals(List.of("endpointName", "variantName", "at", "action", "from", "to", "reactive",
        "predictiveFloor", "scheduledFloor", "minInstances", "maxInstances", "capacityHeadroom",
        "bindingConstraint", "bindingSignal", "reasons", "signals", "trail", "explanation"),
        fields);
    assertEquals("2026-03-02T12:00:00Z", json.get("at").asText());
    assertEquals("SCALE_OUT", json.get("action").asText());
    assertEquals(6, json.get("to").asInt());
    assertEquals("CAPACITY_LIMITED", json.get("bindingConstraint").asText());
    assertTrue(json.get("bindingSignal").isNull());
    assertEquals("[\"DEMAND_ABOVE_CAPACITY\",\"CAPACITY_LIMITED\"]", json.get("reasons").toString());
    JsonNode trail = json.get("trail");
    assertEquals(2, trail.size(), trail.toString());
    assertEquals("SIGNALS", trail.get(0).get("rule").asText());
    assertEquals("rps", trail.get(0).get("signal").asText());
    assertEquals(7, trail.get(0).get("count").asInt());
    assertEquals("CAPACITY", trail.get(1).get("rule").asText());
    assertEquals(6, trail.get(1).get("count").asInt());
    assertEquals("capacity reservations have room for only 2 more",
        trail.get(1).get("detail").asText());
    assertEquals("rps", json.get("signals").get(0).get("signal").asText());
    assertEquals("FRESH", json.get("signals").get(0).get("freshness").asText());
    assertEquals(7, json.get("signals").get(0).get("recommended").asInt());
  }

  @Test
  void explanationIsOneSentenceWithTheNumbers() {
    Decision decision = withInstances(4).steady().rps(7, 7).headroom(2).decide();
    assertEquals("Scale out llm-prod/AllTraffic from 4 to 6 instances: rps 7 needs 7 at 1 per"
        + " instance; capacity reservations have room for only 2 more.", decision.explanation());
  }

  @Test
  void decisionRoundTripsThroughJson() throws Exception {
    Decision decision = withInstances(4).steady().rps(7, 7).predictiveFloor(9).decide();
    Decision read = Json.mapper().readValue(decision.toJson(), Decision.class);
    assertEquals(decision, read);
    assertTrue(read.explanation().contains("forecast peak"));
  }
}
