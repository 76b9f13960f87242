package inferscale.scaler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import inferscale.aws.Priming;
import inferscale.aws.testing.AwsEmulator;
import inferscale.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
    Priming.Run run;
    try {
      System.setOut(new PrintStream(log, true, StandardCharsets.UTF_8));
      ScalerHandler handler = new ScalerHandler(); // as Lambda constructs it
      // The priming clients are built now, with an endpoint URL on the discard port, where
      // nothing listens: a call that left the process would fail the cycle.
      System.setProperty("aws.endpointUrl", "http://127.0.0.1:9");
      handler.priming().beforeCheckpoint(null);
      run = handler.priming().prime();
    } finally {
      System.setOut(stdout);
      System.setProperty("aws.endpointUrl", endpoint);
    }

    assertTrue(run.calls().containsAll(List.of("GetMetricData", "SageMaker.DescribeEndpoint",
        "SageMaker.DescribeEndpointConfig", "SageMaker.ListTags")), run.calls().toString());
    JsonNode outcome = Json.mapper().readTree(run.output());
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
