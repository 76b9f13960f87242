package inferscale.forecaster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import inferscale.aws.AwsClientSettings;
import inferscale.aws.ForecastWiring;
import inferscale.aws.adapters.ForecastChannel;
import inferscale.aws.adapters.InferScaleMetrics;
import inferscale.aws.adapters.MetricQuery;
import inferscale.aws.adapters.MetricSpec;
import inferscale.aws.adapters.PauseTag;
import inferscale.aws.testing.AwsEmulator;
import inferscale.aws.testing.Fixtures;
import inferscale.aws.testing.TestAwsComponent;
import inferscale.decision.SignalPoint;
import inferscale.forecast.Forecast;
import inferscale.forecast.ForecastStatus;
import inferscale.forecast.Forecaster;
import inferscale.json.Json;
import inferscale.reliability.FaultProxy;
import inferscale.reliability.Outcome;
import inferscale.reliability.Scenario;
import inferscale.scaler.ScalerHarness;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The forecast handler through the fault proxy: pause tag, dry run, and AWS failing. */
@ExtendWith(AwsEmulator.class)
class ForecasterScenariosTest {
  private TestAwsComponent direct;
  private FaultProxy proxy;
  private String endpoint;
  private Clock clock;
  private final List<String> log = new ArrayList<>();

  @BeforeEach
  void setUp(AwsEmulator.Running emulator) throws Exception {
    direct = TestAwsComponent.create();
    proxy = new FaultProxy(emulator.endpoint());
    endpoint = Fixtures.uniqueName("llm");
    Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    clock = Clock.fixed(minute.plusSeconds(30), ZoneOffset.UTC);
    double[] sums = new double[30];
    Arrays.fill(sums, 600);
    Fixtures.putPerMinute(direct.cloudWatch(), "AWS/SageMaker", "Invocations",
        MetricSpec.variantDimensions(endpoint, Fixtures.VARIANT), minute.minus(30,
            ChronoUnit.MINUTES), sums);
  }

  @AfterEach
  void tearDown() {
    proxy.close();
  }

  /** A stand-in model, as in ForecastHandlerTest: the last minute's demand, flat. */
  private static Forecaster flat() {
    return (history, horizon) -> {
      double last = history[history.length - 1];
      double[] point = new double[horizon];
      Arrays.fill(point, Double.isNaN(last) ? 0 : last);
      return new Forecast(ForecastStatus.OK, inferscale.forecast.Seasonality.DAILY, point,
          point.clone());
    };
  }

  private ForecastHandler handler(Map<String, String> env) {
    // every client is built (Dagger builds them lazily) while the SDK points at the proxy
    return ScalerHarness.withEndpoint(proxy.endpoint(), () -> {
      TestAwsComponent viaProxy = TestAwsComponent.create();
      return new ForecastHandler(new ForecastWiring(viaProxy.metricsReader(),
          viaProxy.metricsPublisher(), viaProxy.tagging(), flat(),
          clock), env, log::add);
    });
  }

  private JsonNode invoke(ForecastHandler handler) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(("{\"endpointName\":\"" + endpoint
        + "\",\"variantName\":\"AllTraffic\"}").getBytes(StandardCharsets.UTF_8)), out, null);
    return Json.mapper().readTree(out.toByteArray());
  }

  private String calls() {
    return proxy.calls("GetMetricData").size() + "× GetMetricData, "
        + proxy.calls("PutMetricData").size() + "× PutMetricData";
  }

  @Test
  @Scenario(area = "Pause and dry run", value = "Forecaster: the endpoint has inferscale:paused = true")
  void pausedForecaster(Outcome outcome) throws Exception {
    Fixtures.createEndpoint(direct.sageMaker(), endpoint, 2,
        Map.of(PauseTag.KEY, "true"));
    JsonNode out = invoke(handler(Map.of()));
    assertTrue(out.get("paused").asBoolean(), out.toString());
    assertEquals(0, proxy.calls("GetMetricData").size());
    assertEquals(0, proxy.calls("PutMetricData").size());
    outcome.did("paused, nothing forecast; " + calls());
  }

  @Test
  @Scenario(area = "Pause and dry run", value = "Forecaster: the deployment's DRY_RUN = true")
  void dryRunForecaster(Outcome outcome) throws Exception {
    Fixtures.createEndpoint(direct.sageMaker(), endpoint, 2, Map.of());
    JsonNode out = invoke(handler(Map.of("DRY_RUN", "true")));
    assertTrue(out.get("published").asInt() > 0, out.toString());
    assertTrue(proxy.calls("PutMetricData").size() >= 1);
    Map<String, List<SignalPoint>> read = direct.metricsReader().read(List.of(
            new MetricQuery("live",
                InferScaleMetrics.forecastRps(endpoint, "AllTraffic", ForecastChannel.LIVE), 60),
            new MetricQuery("dryRun",
                InferScaleMetrics.forecastRps(endpoint, "AllTraffic", ForecastChannel.DRY_RUN),
                60)),
        clock.instant().minusSeconds(150), clock.instant().plusSeconds(7200));
    assertTrue(read.get("live").isEmpty(), read.toString());
    assertEquals(39, read.get("dryRun").size(), read.toString());
    outcome.did(out.get("published").asInt() + " points published for its own dry-run scaler ("
        + "channel " + out.get("channel").asText() + ", dimension Mode = DryRun), none where a"
        + " live scaler reads; " + calls());
  }

  @Test
  @Scenario(area = "Pause and dry run",
      value = "Forecaster: not paused, DRY_RUN = false (the control)")
  void publishes(Outcome outcome) throws Exception {
    Fixtures.createEndpoint(direct.sageMaker(), endpoint, 2, Map.of());
    JsonNode out = invoke(handler(Map.of("DRY_RUN", "false")));
    assertTrue(out.get("published").asInt() > 0, out.toString());
    assertTrue(proxy.calls("PutMetricData").size() >= 1);
    outcome.did(out.get("published").asInt() + " points published; "
        + proxy.calls("PutMetricData").size() + "× PutMetricData");
  }

  @Test
  @Scenario(area = "Faults",
      value = "Forecaster: tagging GetResources denied (the pause tag unreadable)")
  void tagsUnreadable(Outcome outcome) throws Exception {
    Fixtures.createEndpoint(direct.sageMaker(), endpoint, 2, Map.of());
    proxy.on("tagging", "GetResources", FaultProxy.awsError(400, "AccessDeniedException",
        "not authorized to perform tag:GetResources"));
    JsonNode out = invoke(handler(Map.of()));
    assertTrue(out.get("published").asInt() > 0, out.toString());
    assertTrue(log.stream().anyMatch(l -> l.contains("\"WARN\"") && l.contains("pause switch")
        && l.contains("GetResources failed")), log.toString());
    outcome.did("warned, forecast published (it changes no endpoint; the scaler checks the tag "
        + "itself and holds); " + calls());
  }

  @Test
  @Scenario(area = "Faults", value = "Forecaster: GetMetricData throttled on every attempt")
  void historyThrottled(Outcome outcome) throws Exception {
    Fixtures.createEndpoint(direct.sageMaker(), endpoint, 2, Map.of());
    proxy.on("monitoring", "GetMetricData", FaultProxy.throttled());
    JsonNode out = invoke(handler(Map.of()));
    assertEquals("AWS_THROTTLED", out.get("reason").asText(), out.toString());
    assertEquals(0, proxy.calls("PutMetricData").size());
    outcome.did("HOLD " + out.get("reason").asText() + ", nothing published; "
        + proxy.calls("PutMetricData").size() + "× PutMetricData");
  }

  @Test
  @Scenario(area = "Bad input", value = "Property: forecaster events with mutated names, "
      + "unknown fields, wrong types, random JSON and bytes, in and out of an EventBridge envelope")
  void fuzzedForecasterEvents(Outcome outcome) {
    ForecastHandler handler = handler(Map.of());
    List<String> bad = List.of("null", "42", "true", "{}", "[]", "\"\"", "\"-x\"", "\"x-\"",
        "\"a_b\"", "\"a b\"", "\"" + "a".repeat(64) + "\"", "\"ünï\"");
    org.quicktheories.core.Gen<String> mutated = org.quicktheories.generators.SourceDSL.arbitrary()
        .pick(List.of("endpointName", "variantName", "policy", "nonsense"))
        .zip(org.quicktheories.generators.SourceDSL.arbitrary().pick(bad), (field, value) -> {
          com.fasterxml.jackson.databind.node.ObjectNode event = Json.mapper().createObjectNode()
              .put("endpointName", endpoint).put("variantName", "AllTraffic");
          // The policy is optional: null or {} are valid policies, so mutate it into a non-object.
          String invalid = field.equals("policy") && (value.equals("null") || value.equals("{}"))
              ? "[]" : value;
          try {
            event.set(field, Json.mapper().readTree(invalid));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          return field + "\u0000" + event;
        });
    org.quicktheories.QuickTheory.qt().withExamples(200).forAll(mutated,
        org.quicktheories.generators.SourceDSL.arbitrary().pick(List.of(true, false)),
        org.quicktheories.generators.SourceDSL.strings().basicLatinAlphabet().ofLengthBetween(0, 40))
        .checkAssert((fieldAndEvent, envelope, junk) -> {
          String field = fieldAndEvent.substring(0, fieldAndEvent.indexOf('\u0000'));
          String event = fieldAndEvent.substring(fieldAndEvent.indexOf('\u0000') + 1);
          for (String input : List.of(envelope ? "{\"detail-type\":\"Scheduled Event\","
              + "\"detail\":" + event + "}" : event, junk)) {
            if (input.equals(junk) && junk.matches("\\s*(\\{.*\\})?\\s*")
                && junk.contains("endpointName")) {
              continue; // (never generated) could be valid
            }
            proxy.clear();
            Exception e = null;
            try {
              ByteArrayOutputStream out = new ByteArrayOutputStream();
              handler.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                  out, null);
            } catch (inferscale.aws.invocation.InvalidRequestException invalid) {
              e = invalid;
              String problems = String.join("\n", invalid.problems());
              assertTrue(input.equals(junk) || problems.contains(field),
                  () -> "no problem names " + field + " for " + input + ": " + problems);
            } catch (Exception other) {
              throw new AssertionError("not an invalid-request error for " + input, other);
            }
            assertTrue(e != null, () -> "accepted: " + input);
            assertEquals(List.of(), proxy.calls(), () -> "AWS was called for " + input);
          }
        });
    outcome.did("200 mutated events (half in an envelope) and 200 random strings a run: every "
        + "one rejected naming the field (or the whole request), 0 AWS calls");
  }

  @Test
  @Scenario(area = "Faults", value = "Forecaster: PutMetricData answers HTTP 500")
  void publishFails(Outcome outcome) throws Exception {
    Fixtures.createEndpoint(direct.sageMaker(), endpoint, 2, Map.of());
    proxy.on("monitoring", "PutMetricData", FaultProxy.status(500));
    JsonNode out = invoke(handler(Map.of()));
    assertEquals("AWS_UNAVAILABLE", out.get("reason").asText(), out.toString());
    assertNull(out.get("published"));
    outcome.did(out.get("reason").asText() + " reported, no exception escaped");
  }
}
