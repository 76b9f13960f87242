package inferscale.forecaster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import inferscale.aws.Priming;
import inferscale.aws.testing.AwsEmulator;
import inferscale.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The function primes itself before the SnapStart snapshot with one whole run, offline. */
@ExtendWith(AwsEmulator.class)
class PrimingTest {
  @Test
  void theCheckpointHookForecastsAndPublishesWithoutTheNetwork() throws Exception {
    String endpoint = System.getProperty("aws.endpointUrl");
    String compression = System.getProperty("aws.disableRequestCompression");
    Priming.Run run;
    try {
      ForecastHandler handler = new ForecastHandler(); // as Lambda constructs it
      // The priming clients are built now, as in Lambda: with the SDK's request compression
      // (which the emulator cannot read, so the tests turn it off), and an endpoint URL on the
      // discard port, where nothing listens: a call that left the process would fail the run.
      System.clearProperty("aws.disableRequestCompression");
      System.setProperty("aws.endpointUrl", "http://127.0.0.1:9");
      run = handler.priming().prime();
    } finally {
      System.setProperty("aws.endpointUrl", endpoint);
      System.setProperty("aws.disableRequestCompression", compression);
    }

    // the pause tag, the scaler's learned cold start, the history, and the (gzipped) publish, all
    // answered offline
    assertEquals(List.of("ResourceGroupsTaggingAPI_20170126.GetResources", "GetMetricData",
        "GetMetricData", "PutMetricData"), run.calls());
    JsonNode outcome = Json.mapper().readTree(run.output());
    assertEquals("llm-prod", outcome.get("endpointName").asText(), outcome.toString());
    assertTrue(outcome.get("published").asInt() > 0, "fitted and published: " + outcome);
  }
}
