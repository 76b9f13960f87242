package inferscale.scaler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import inferscale.aws.CapacityMode;
import inferscale.aws.InvalidRequestException;
import inferscale.aws.ScalerDefaults;
import inferscale.aws.ScalerRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Pure event parsing: no emulator. */
class ScalerEventsTest {
  private static final Path EVENTS = Path.of("..", "..", "events");

  private static JsonNode read(String json) {
    return ScalerEvents.read(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aPlainPayloadIsThePayload() {
    JsonNode node = read("{\"endpointName\":\"e\",\"variantName\":\"v\"}");
    assertFalse(ScalerEvents.isEnvelope(node));
    assertEquals(node, ScalerEvents.payload(node));
  }

  @Test
  void aScheduledEventEnvelopeCarriesThePayloadInDetail() {
    JsonNode node = read("{\"version\":\"0\",\"id\":\"abc\",\"detail-type\":\"Scheduled Event\","
        + "\"source\":\"aws.events\",\"account\":\"123456789012\","
        + "\"time\":\"2026-11-25T12:00:00Z\",\"region\":\"us-east-1\","
        + "\"resources\":[\"arn:aws:events:us-east-1:123456789012:rule/r\"],"
        + "\"detail\":{\"endpointName\":\"e\",\"variantName\":\"v\",\"dryRun\":true}}");
    assertTrue(ScalerEvents.isEnvelope(node));
    ScheduledEvent event = ScalerEvents.envelope(node);
    assertEquals("Scheduled Event", event.getDetailType());
    assertEquals(2026, event.getTime().getYear());
    assertEquals(List.of("arn:aws:events:us-east-1:123456789012:rule/r"), event.getResources());
    ScalerRequest request = ScalerRequest.parse(ScalerEvents.payload(node),
        ScalerDefaults.standard());
    assertEquals("e", request.endpointName());
    assertTrue(request.dryRun());
  }

  @Test
  void anEnvelopeWithoutAPayloadNamesDetail() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> ScalerEvents.payload(read("{\"detail-type\":\"Scheduled Event\",\"detail\":[]}")));
    assertTrue(e.getMessage().contains("detail must be a JSON object"), e.getMessage());
  }

  @Test
  void malformedJsonSaysSo() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> read("{\"endpointName\":"));
    assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    assertThrows(InvalidRequestException.class, () -> read(""));
  }

  @Test
  void readsTheDeploymentSettingsFromTheEnvironment() {
    assertEquals(ScalerDefaults.standard(), ScalerDefaults.fromEnvironment(Map.of()));
    assertEquals(new ScalerDefaults(true, CapacityMode.NONE),
        ScalerDefaults.fromEnvironment(Map.of("DRY_RUN", "TRUE", "CAPACITY_CHECK", "none")));
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> ScalerDefaults.fromEnvironment(Map.of("DRY_RUN", "sometimes", "CAPACITY_CHECK", "x")));
    assertTrue(e.getMessage().contains("DRY_RUN"), e.getMessage());
    assertTrue(e.getMessage().contains("CAPACITY_CHECK"), e.getMessage());
  }

  /** Every scaler sample in events/ (all but forecast-*) must stay a valid request. */
  @Test
  void theSampleEventsAreValidRequests() throws Exception {
    List<Path> samples;
    try (Stream<Path> files = Files.list(EVENTS)) {
      samples = files.filter(p -> !p.getFileName().toString().startsWith("forecast-")).sorted()
          .toList();
    }
    assertTrue(samples.size() >= 2, "expected scaler samples in " + EVENTS.toAbsolutePath());
    for (Path sample : samples) {
      JsonNode node = ScalerEvents.read(Files.readAllBytes(sample));
      ScalerRequest request = ScalerRequest.parse(ScalerEvents.payload(node),
          ScalerDefaults.standard());
      assertEquals("llm-prod", request.endpointName(), sample.toString());
    }
  }
}
