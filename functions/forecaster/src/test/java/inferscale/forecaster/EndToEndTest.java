package inferscale.forecaster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import inferscale.aws.adapters.MetricDimension;
import inferscale.aws.adapters.MetricSpec;
import inferscale.aws.adapters.PauseTag;
import inferscale.aws.invocation.InvalidRequestException;
import inferscale.aws.testing.AwsEmulator;
import inferscale.aws.testing.Fixtures;
import inferscale.aws.testing.TestAwsComponent;
import inferscale.json.Json;
import inferscale.scaler.ScalerHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The deployed loop through both handlers, each built as Lambda builds it (no-argument constructor,
 * system clock), against the emulator: 14 days of per-minute Invocations with a daily cycle whose
 * peak is 40 minutes ahead of now (the ramp starts 2 minutes from now) → the ForecastHandler publishes the forecast → the ScalerHandler
 * pre-warms for the coming peak while current traffic is still low.
 */
@ExtendWith(AwsEmulator.class)
class EndToEndTest {
  static final int DAYS = 14;
  static final int MINUTES_PER_DAY = 24 * 60;
  /** Quiet traffic, and the daily peak on top of it, requests per second. */
  static final double BASE_RPS = 2.0;
  static final double PEAK_RPS = 32.0;
  /** Today's peak is this far ahead of now; the bump lasts ±HALF_WIDTH minutes around it. */
  static final int PEAK_AHEAD_MINUTES = 40;
  static final int HALF_WIDTH_MINUTES = 38;

  private TestAwsComponent aws;
  private String endpoint;
  private Instant minute;

  @BeforeEach
  void setUp() {
    aws = TestAwsComponent.create();
    endpoint = Fixtures.uniqueName("llm");
    minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
  }

  /** Requests per second in the minute {@code offset} minutes from now (negative = past). */
  static double dailyCycle(long offset) {
    long fromPeak = Math.floorMod(offset - PEAK_AHEAD_MINUTES, (long) MINUTES_PER_DAY);
    long distance = Math.min(fromPeak, MINUTES_PER_DAY - fromPeak);
    if (distance >= HALF_WIDTH_MINUTES) {
      return BASE_RPS;
    }
    double shape = (1 + Math.cos(Math.PI * distance / HALF_WIDTH_MINUTES)) / 2;
    return BASE_RPS + (PEAK_RPS - BASE_RPS) * shape;
  }

  /** 14 days of Invocations (sums per minute) up to the last whole minute, 200 per call (moto parses a big query-protocol request slowly). */
  private void seedHistory() {
    int minutes = DAYS * MINUTES_PER_DAY;
    Instant first = minute.minus(Duration.ofMinutes(minutes));
    List<MetricDimension> dims = MetricSpec.variantDimensions(endpoint, Fixtures.VARIANT);
    long started = System.nanoTime();
    for (int from = 0; from < minutes; from += 200) {
      double[] batch = new double[Math.min(200, minutes - from)];
      for (int i = 0; i < batch.length; i++) {
        batch[i] = 60 * dailyCycle(from + i - (long) minutes);
      }
      Fixtures.putPerMinute(aws.cloudWatch(), "AWS/SageMaker", "Invocations", dims,
          first.plus(Duration.ofMinutes(from)), batch);
    }
    System.out.printf("EndToEndTest: seeded %d minutes of Invocations in %d ms%n", minutes,
        (System.nanoTime() - started) / 1_000_000);
  }

  private static JsonNode invoke(RequestStreamHandler handler, String event) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
        null);
    return Json.mapper().readTree(out.toByteArray());
  }

  private String scalerEvent() {
    return "{\"endpointName\":\"" + endpoint + "\",\"variantName\":\"AllTraffic\","
        + "\"policy\":{\"minInstances\":1,\"maxInstances\":20,\"targetRpsPerInstance\":4.0,"
        + "\"coldStartMinutes\":10},\"capacityCheck\":\"none\",\"dryRun\":false}";
  }

  /** Seeds the history and runs the forecaster; returns its result. */
  private JsonNode forecast() throws Exception {
    seedHistory();
    long started = System.nanoTime();
    JsonNode result = invoke(new ForecastHandler(), "{\"endpointName\":\"" + endpoint
        + "\",\"variantName\":\"AllTraffic\"}");
    System.out.printf("EndToEndTest: forecast run took %d ms: %s%n",
        (System.nanoTime() - started) / 1_000_000, result);
    return result;
  }

  @Test
  void theForecastPreWarmsAheadOfTheDailyPeak() throws Exception {
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, Fixtures.GPU_INSTANCE_TYPE, 1, Map.of());

    JsonNode forecast = forecast();
    assertEquals("OK", forecast.get("status").asText(), forecast.toString());
    // 39 minutes (interval 15 + delay 2 + lead 12 + window 10) of the upper and expected rates.
    assertEquals(2 * 39, forecast.get("published").asInt(), forecast.toString());

    JsonNode result = invoke(new ScalerHandler(), scalerEvent());

    // Now: 2 rps → reactive 1 instance. In the pre-warm window [now + 12, now + 22] the cycle
    // climbs to about 18 rps (p90 band a little higher) → about 5 instances at 4 rps each, so
    // the forecast floor binds well before the traffic arrives.
    JsonNode decision = result.get("decision");
    assertEquals("SCALE_OUT", decision.get("action").asText(), result.toString());
    assertEquals(1, decision.get("reactive").asInt(), result.toString());
    assertTrue(result.at("/forecast/usedAsFloor").asBoolean(), result.toString());
    int floor = decision.at("/predictiveFloor/instances").asInt();
    assertTrue(floor >= 3 && floor <= 8, "floor " + floor + ": " + result);
    // The forecaster publishes from the minute after the newest published one, so the scaler also
    // knows what the minutes before the window need: what a scale-in would have to keep.
    JsonNode keep = decision.at("/predictiveFloor/keepInstances");
    assertTrue(keep.isInt() && keep.asInt() >= floor, result.toString());
    assertEquals("PREDICTIVE_FLOOR", decision.get("bindingConstraint").asText(), decision.toString());
    assertTrue(decision.get("reasons").toString().contains("PREDICTIVE_FLOOR"), result.toString());
    assertEquals(floor, decision.get("to").asInt());
    assertTrue(result.get("applied").asBoolean(), result.toString());
    assertEquals(floor, Fixtures.desiredInstanceCount(aws.sageMaker(), endpoint));
  }

  @Test
  void aPausedOrUpdatingEndpointHoldsDespiteTheForecast(AwsEmulator.Running emulator)
      throws Exception {
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, Fixtures.GPU_INSTANCE_TYPE, 1, Map.of());
    assertEquals("OK", forecast().get("status").asText());
    // Paused after the forecast was published (a paused endpoint gets no new forecasts).
    aws.sageMaker().addTags(b -> b.resourceArn(aws.sageMaker()
        .describeEndpoint(d -> d.endpointName(endpoint)).endpointArn())
        .tags(t -> t.key(PauseTag.KEY).value("true")));

    JsonNode paused = invoke(new ScalerHandler(), scalerEvent());
    assertTrue(paused.get("paused").asBoolean());
    assertEquals("PREDICTIVE_FLOOR", paused.at("/decision/bindingConstraint").asText(),
        paused.toString()); // decided and explained as usual, only not applied
    assertFalse(paused.get("applied").asBoolean());
    assertEquals("[\"PAUSED\"]", paused.get("notApplied").toString());
    assertEquals(1, Fixtures.desiredInstanceCount(aws.sageMaker(), endpoint));

    aws.sageMaker().deleteTags(b -> b.resourceArn(aws.sageMaker()
        .describeEndpoint(d -> d.endpointName(endpoint)).endpointArn())
        .tagKeys(PauseTag.KEY));
    emulator.setEndpointStatus(endpoint, "Updating");
    JsonNode updating = invoke(new ScalerHandler(), scalerEvent());
    assertFalse(updating.get("paused").asBoolean());
    assertEquals("HOLD", updating.at("/decision/action").asText(), updating.toString());
    assertTrue(updating.at("/decision/reasons").toString().contains("ENDPOINT_NOT_IN_SERVICE"));
    assertTrue(updating.get("notApplied").toString().contains("ENDPOINT_NOT_IN_SERVICE"));
    assertEquals(1, Fixtures.desiredInstanceCount(aws.sageMaker(), endpoint));
  }

  /** Bad payloads are refused by both handlers before any AWS call; the endpoint is untouched. */
  @ParameterizedTest
  @ValueSource(strings = {
      "[1, 2]",
      "{\"endpointName\": \"ENDPOINT\"}",
      "{\"endpointName\": \"ENDPOINT\", \"variantName\": \"AllTraffic\", \"dryRun\": \"yes\"}",
      "{\"detail-type\": \"Scheduled Event\", \"detail\": {\"endpointName\": \"ENDPOINT\","
          + " \"variantName\": \"All Traffic\"}}",
      "{\"endpointName\": \"ENDPOINT\", \"variantName\": \"AllTraffic\","
          + " \"policy\": {\"minInstances\": 5, \"maxInstances\": 2}}",
      "{\"endpointName\": \"ENDPOINT\", \"variantName\": \"AllTraffic\", \"endpoint\": \"x\"}",
      "{\"endpointName\": \"ENDPOINT\", \"variantName\":"})
  void invalidPayloadsAreRefused(String template) {
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, Fixtures.GPU_INSTANCE_TYPE, 2, Map.of());
    String event = template.replace("ENDPOINT", endpoint);

    InvalidRequestException scaler = assertThrows(InvalidRequestException.class,
        () -> invoke(new ScalerHandler(), event));
    assertFalse(scaler.problems().isEmpty());
    if (!event.contains("\"policy\"") && !event.contains("dryRun")) {
      // fields the forecaster does not take are refused too; these are bad for both
      InvalidRequestException forecaster = assertThrows(InvalidRequestException.class,
          () -> invoke(new ForecastHandler(), event));
      assertFalse(forecaster.problems().isEmpty());
    }
    assertEquals(2, Fixtures.desiredInstanceCount(aws.sageMaker(), endpoint));
  }
}
