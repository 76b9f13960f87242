package inferscale.aws.invocation;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import inferscale.control.CapacityMode;
import inferscale.control.Trigger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Pure parsing of what Lambda hands either function: no emulator. */
class InvocationsTest {
  private static final Path EVENTS = Path.of("..", "..", "events");

  private static JsonNode payload(String json) {
    return Invocations.payload(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aPlainPayloadIsThePayload() {
    JsonNode node = payload("{\"endpointName\":\"e\",\"variantName\":\"v\"}");
    assertFalse(Invocations.isEnvelope(node));
    assertEquals("e", node.get("endpointName").asText());
  }

  @Test
  void aScheduledEventEnvelopeCarriesThePayloadInDetail() {
    String envelope = ("{\"version\":\"0\",\"id\":\"abc\",\"detail-type\":\"Scheduled Event\","
        + "\"source\":\"aws.events\",\"account\":\"123456789012\","
        + "\"time\":\"2026-11-25T12:00:00Z\",\"region\":\"us-east-1\","
        + "\"resources\":[\"arn:aws:events:us-east-1:123456789012:rule/r\"],"
        + "\"detail\":{\"endpointName\":\"e\",\"variantName\":\"v\",\"dryRun\":true,"
        + "\"policy\":{\"timing\":{\"forecastIntervalMinutes\":30}}}}");
    JsonNode node = assertDoesNotThrow(() -> inferscale.json.Json.mapper().readTree(envelope));
    assertTrue(Invocations.isEnvelope(node));
    ScheduledEvent event = Invocations.envelope(node);
    assertEquals("Scheduled Event", event.getDetailType());
    assertEquals(2026, event.getTime().getYear());
    assertEquals(List.of("arn:aws:events:us-east-1:123456789012:rule/r"), event.getResources());
    ScalerInvocation scaler = ScalerInvocation.parse(payload(envelope), Deployment.standard());
    assertEquals("e", scaler.task().endpointName());
    assertTrue(scaler.task().dryRun());
    // Both functions read the same envelope the same way.
    JsonNode forForecaster = payload(envelope.replace(",\"dryRun\":true", ""));
    ForecastInvocation forecast = ForecastInvocation.parse(forForecaster, Deployment.standard());
    assertEquals(30, forecast.task().timing().forecastIntervalMinutes());
  }

  @Test
  void anEnvelopeWithoutAPayloadNamesDetail() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> payload("{\"detail-type\":\"Scheduled Event\",\"detail\":[]}"));
    assertTrue(e.getMessage().contains("detail must be a JSON object"), e.getMessage());
  }

  @Test
  void malformedJsonSaysSo() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> payload("{\"endpointName\":"));
    assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    assertThrows(InvalidRequestException.class, () -> payload(""));
    assertEquals(List.of("the request must be a JSON object with endpointName and variantName,"
        + " got ARRAY"), assertThrows(InvalidRequestException.class, () -> payload("[1]"))
            .problems());
    assertTrue(assertThrows(InvalidRequestException.class,
        () -> payload("{\"endpointName\":\"a\",\"endpointName\":\"b\"}")).getMessage()
            .contains("Duplicate field 'endpointName'"));
  }

  @Test
  void readsTheDeploymentSettingsFromTheEnvironment() {
    assertEquals(Deployment.standard(), Deployment.fromEnvironment(Map.of()));
    assertEquals(new Deployment(true, CapacityMode.NONE),
        Deployment.fromEnvironment(Map.of("DRY_RUN", "TRUE", "CAPACITY_CHECK", "none")));
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> Deployment.fromEnvironment(Map.of("DRY_RUN", "sometimes", "CAPACITY_CHECK", "x")));
    assertTrue(e.getMessage().contains("DRY_RUN"), e.getMessage());
    assertTrue(e.getMessage().contains("CAPACITY_CHECK"), e.getMessage());
  }

  /**
   * Every sample in events/ must stay a valid request of its function; the scaler's, in a
   * deployment whose request is events/scaler-request.json, as the template deploys it.
   */
  @Test
  void theSampleEventsAreValidRequests() throws Exception {
    List<Path> samples;
    try (Stream<Path> files = Files.list(EVENTS)) {
      samples = files.sorted().toList();
    }
    assertTrue(samples.size() >= 3, "expected samples in " + EVENTS.toAbsolutePath());
    Deployment deployed = Deployment.fromEnvironment(Map.of(Deployment.REQUEST_VARIABLE,
        Files.readString(EVENTS.resolve("scaler-request.json"))));
    for (Path sample : samples) {
      byte[] event = Files.readAllBytes(sample);
      String endpoint = sample.getFileName().toString().startsWith("forecast-")
          ? ForecastInvocation.parse(Invocations.payload(event), Deployment.standard()).task()
              .endpointName()
          : ScalerInvocation.fromInput(event, deployed).task().endpointName();
      assertEquals("llm-prod", endpoint, sample.toString());
    }
  }

  @Test
  void alarmAndEndpointEventsRunTheDeployedRequestWithTheirTrigger() throws Exception {
    Deployment deployed = Deployment.fromEnvironment(Map.of(Deployment.REQUEST_VARIABLE,
        Files.readString(EVENTS.resolve("scaler-request.json"))));
    assertEquals(Trigger.ALARM, ScalerInvocation.fromInput(
        Files.readAllBytes(EVENTS.resolve("alarm-state-change.json")), deployed).task().trigger());
    assertEquals(Trigger.ENDPOINT_STATE, ScalerInvocation.fromInput(
        Files.readAllBytes(EVENTS.resolve("endpoint-state-change.json")), deployed).task()
        .trigger());
    ScalerInvocation scheduled = ScalerInvocation.fromInput(
        Files.readAllBytes(EVENTS.resolve("scaler-schedule.json")), deployed);
    assertEquals(Trigger.SCHEDULE, scheduled.task().trigger());
    assertEquals(16, scheduled.task().policy().bounds().maxInstances(), "the deployed policy");

    // Fields given by hand go over the deployed request: a dry run of what is deployed.
    ScalerInvocation dryRun = ScalerInvocation.fromInput(
        "{\"dryRun\": true}".getBytes(StandardCharsets.UTF_8), deployed);
    assertTrue(dryRun.task().dryRun());
    assertEquals(Trigger.MANUAL, dryRun.task().trigger());
    assertEquals("llm-prod", dryRun.task().endpointName());
  }

  @Test
  void anEventAboutAnotherEndpointIsRefusedNamingBoth() throws Exception {
    Deployment deployed = Deployment.fromEnvironment(Map.of(Deployment.REQUEST_VARIABLE,
        Files.readString(EVENTS.resolve("scaler-request.json"))));
    String other = Files.readString(EVENTS.resolve("endpoint-state-change.json"))
        .replace("\"EndpointName\": \"llm-prod\"", "\"EndpointName\": \"llm-staging\"");
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> ScalerInvocation.fromInput(other.getBytes(StandardCharsets.UTF_8), deployed));
    assertTrue(e.getMessage().contains("llm-staging") && e.getMessage().contains("llm-prod"),
        e.getMessage());
  }

  @Test
  void withoutADeployedRequestAnEventSaysWhatIsMissing() throws Exception {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> ScalerInvocation.fromInput(Files.readAllBytes(
            EVENTS.resolve("alarm-state-change.json")), Deployment.standard()));
    assertTrue(e.getMessage().contains("endpointName is required"), e.getMessage());
  }

  @Test
  void aDeployedRequestThatIsNotJsonNamesTheVariable() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> Deployment.fromEnvironment(Map.of(Deployment.REQUEST_VARIABLE, "{endpointName")));
    assertTrue(e.getMessage().contains("SCALER_REQUEST"), e.getMessage());
  }
}
