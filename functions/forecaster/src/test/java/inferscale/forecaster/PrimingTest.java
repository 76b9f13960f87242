package inferscale.forecaster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import inferscale.aws.testing.AwsEmulator;
import inferscale.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The function primes itself before the SnapStart snapshot with one whole run, offline. */
@ExtendWith(AwsEmulator.class)
class PrimingTest {
  @Test
  void theCheckpointHookForecastsAndPublishesWithoutTheNetwork() throws Exception {
    String endpoint = System.getProperty("aws.endpointUrl");
    JsonNode outcome;
    try {
      ForecastHandler handler = new ForecastHandler(); // as Lambda constructs it
      // Nothing listens on the discard port: a call that left the process would fail the run.
      System.setProperty("aws.endpointUrl", "http://127.0.0.1:9");
      outcome = Json.mapper().readTree(handler.priming().prime());
    } finally {
      System.setProperty("aws.endpointUrl", endpoint);
    }

    assertEquals("llm-prod", outcome.get("endpointName").asText(), outcome.toString());
    assertTrue(outcome.get("published").asInt() > 0, "fitted and published: " + outcome);
  }
}
