package inferscale.scaler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import inferscale.aws.testing.AwsEmulator;
import inferscale.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The function primes itself before the SnapStart snapshot with one whole cycle, offline. */
@ExtendWith(AwsEmulator.class)
class PrimingTest {
  @Test
  void theCheckpointHookRunsAWholeCycleWithoutTheNetwork() throws Exception {
    PrintStream stdout = System.out;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    String endpoint = System.getProperty("aws.endpointUrl");
    JsonNode outcome;
    try {
      System.setOut(new PrintStream(log, true, StandardCharsets.UTF_8));
      ScalerHandler handler = new ScalerHandler(); // as Lambda constructs it
      // Nothing listens on the discard port: a call that left the process would fail the cycle.
      System.setProperty("aws.endpointUrl", "http://127.0.0.1:9");
      handler.priming().beforeCheckpoint(null);
      outcome = Json.mapper().readTree(handler.priming().prime());
    } finally {
      System.setOut(stdout);
      System.setProperty("aws.endpointUrl", endpoint);
    }

    assertNotNull(outcome.get("decision"), outcome.toString());
    // the sample event, through the EventBridge envelope: signals, forecast, endpoint and
    // capacity read (the offline answers: 10 requests a second, a forecast of 600), decided
    assertEquals("llm-prod", outcome.at("/decision/endpointName").asText());
    assertEquals("FRESH", outcome.at("/decision/signals/0/freshness").asText(), outcome.toString());
    assertEquals(3, outcome.at("/decision/reactive").asInt(), outcome.toString());
    assertEquals(150, outcome.at("/decision/predictiveFloor/instances").asInt(), outcome.toString());
    assertEquals("ml.g5.xlarge", outcome.get("instanceType").asText());
    String logged = log.toString(StandardCharsets.UTF_8);
    assertTrue(logged.contains("\"level\":\"INFO\",\"message\":\"primed for SnapStart"), logged);
    assertTrue(!logged.contains("priming failed"), logged);
  }
}
