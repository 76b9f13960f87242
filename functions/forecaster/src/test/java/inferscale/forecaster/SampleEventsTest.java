package inferscale.forecaster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import inferscale.aws.adapters.MetricSpec;
import inferscale.aws.invocation.Deployment;
import inferscale.aws.testing.AwsEmulator;
import inferscale.aws.testing.Fixtures;
import inferscale.aws.testing.TestAwsComponent;
import inferscale.json.Json;
import inferscale.scaler.ScalerHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file in events/, unchanged, through the handler it is for, built as Lambda builds it, against
 * the emulator with an endpoint of the name the file gives. {@code forecast-*} files go to the
 * ForecastHandler, everything else to the ScalerHandler; a new file needs an expectation here.
 */
@ExtendWith(AwsEmulator.class)
class SampleEventsTest {
  private static final Path EVENTS = Path.of("..", "..", "events");

  enum Outcome {
    /** A dry run: a decision to scale out, not applied, the endpoint unchanged. */
    DRY_RUN,
    /** A scheduled cycle: the scale-out applied and visible in DescribeEndpoint. */
    APPLIED,
    /** The forecaster: ran and reported a status. */
    FORECAST_REPORTED
  }

  private static final Map<String, Outcome> EXPECTED = Map.of(
      "dry-run.json", Outcome.DRY_RUN,
      "scaler-request.json", Outcome.APPLIED,
      "scaler-schedule.json", Outcome.APPLIED,
      "alarm-state-change.json", Outcome.APPLIED,
      "endpoint-state-change.json", Outcome.APPLIED,
      "scaler-eventbridge-envelope.json", Outcome.APPLIED,
      "forecast-schedule.json", Outcome.FORECAST_REPORTED);

  /**
   * Samples that carry no request of their own (the schedule's, the rules' events): they run the
   * deployed one, events/scaler-request.json, from the environment as the template sets it.
   */
  private static final java.util.Set<String> RUN_THE_DEPLOYED_REQUEST = java.util.Set.of(
      "scaler-schedule.json", "alarm-state-change.json", "endpoint-state-change.json");

  static List<String> events() throws Exception {
    try (Stream<Path> files = Files.list(EVENTS)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void everyEventHasAnExpectation() throws Exception {
    assertEquals(EXPECTED.keySet(), new java.util.HashSet<>(events()),
        "events/ and this test's expectations must list the same files");
  }

  @ParameterizedTest
  @MethodSource("events")
  void runsThroughItsHandler(String file) throws Exception {
    Outcome outcome = EXPECTED.get(file);
    assertTrue(outcome != null, "no expectation for events/" + file);
    byte[] event = Files.readAllBytes(EVENTS.resolve(file));
    boolean deployed = RUN_THE_DEPLOYED_REQUEST.contains(file);
    String request = Files.readString(EVENTS.resolve("scaler-request.json"));
    JsonNode node = Json.mapper().readTree(deployed ? request.getBytes() : event);
    JsonNode payload = node.has("detail-type") ? node.get("detail") : node;
    String endpoint = payload.get("endpointName").asText();
    String variant = payload.get("variantName").asText();

    TestAwsComponent aws = TestAwsComponent.create();
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, Fixtures.GPU_INSTANCE_TYPE, 2, Map.of());
    Fixtures.createReservation(aws.ec2(), "g5.xlarge", 20);
    double[] sums = new double[12];
    Arrays.fill(sums, 10.0 * 60); // 10 rps: 3 instances at 4 rps per instance
    Fixtures.putPerMinute(aws.cloudWatch(), "AWS/SageMaker", "Invocations",
        MetricSpec.variantDimensions(endpoint, variant),
        Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(12, ChronoUnit.MINUTES), sums);

    RequestStreamHandler handler = outcome == Outcome.FORECAST_REPORTED ? new ForecastHandler()
        : deployed ? new ScalerHandler(aws.scalerWiring(),
            Map.of(Deployment.REQUEST_VARIABLE, request), line -> { })
        : new ScalerHandler();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event), out, null);
    JsonNode result = Json.mapper().readTree(out.toByteArray());
    int desired = Fixtures.desiredInstanceCount(aws.sageMaker(), endpoint);

    switch (outcome) {
      case DRY_RUN -> {
        assertEquals("SCALE_OUT", result.at("/decision/action").asText(), result.toString());
        assertFalse(result.get("applied").asBoolean(), result.toString());
        assertTrue(result.get("notApplied").toString().contains("DRY_RUN"), result.toString());
        assertEquals(2, desired);
      }
      case APPLIED -> {
        assertTrue(result.get("applied").asBoolean(), result.toString());
        assertNotEquals(2, result.at("/decision/to").asInt());
        assertEquals(result.at("/decision/to").asInt(), desired);
      }
      case FORECAST_REPORTED -> {
        assertEquals(endpoint, result.get("endpointName").asText());
        // 12 minutes of history: too little to forecast, and it says so. The newest minute it
        // reads is the newest the metric delay says is published, now − 2: 11 of the 12.
        assertEquals("FORECAST_INSUFFICIENT_HISTORY", result.get("status").asText(),
            result.toString());
        assertEquals(11, result.get("minutesWithData").asInt());
        assertEquals(2, desired);
      }
      default -> throw new AssertionError(outcome);
    }
  }
}
