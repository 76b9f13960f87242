package inferscale.forecaster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import inferscale.aws.AwsClientSettings;
import inferscale.aws.ForecastWiring;
import inferscale.aws.adapters.ForecastChannel;
import inferscale.aws.adapters.InferScaleMetrics;
import inferscale.aws.adapters.MetricQuery;
import inferscale.aws.adapters.MetricTarget;
import inferscale.aws.adapters.MetricSpec;
import inferscale.aws.invocation.Deployment;
import inferscale.aws.invocation.InvalidRequestException;
import inferscale.aws.invocation.ScalerInvocation;
import inferscale.aws.testing.AwsEmulator;
import inferscale.aws.testing.Fixtures;
import inferscale.aws.testing.TestAwsComponent;
import inferscale.control.CapacityMode;
import inferscale.control.ScalerOutcome;
import inferscale.decision.ReasonCode;
import inferscale.decision.SignalPoint;
import inferscale.forecast.Forecast;
import inferscale.forecast.ForecastStatus;
import inferscale.forecast.Forecaster;
import inferscale.forecast.Seasonality;
import inferscale.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ForecastFunction's handler on the AWS adapters, against the emulator: the history read from
 * CloudWatch, the forecast published there, and what the scaler reads back.
 */
@ExtendWith(AwsEmulator.class)
class ForecastHandlerTest {
  private TestAwsComponent aws;
  private String endpoint;
  private Instant minute;
  /** Fixed half a minute into {@code minute}, so a minute boundary mid-test changes nothing. */
  private Clock clock;
  private final List<String> log = new ArrayList<>();

  @BeforeEach
  void setUp() {
    minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    clock = Clock.fixed(minute.plusSeconds(30), ZoneOffset.UTC);
    aws = TestAwsComponent.create(clock);
    endpoint = Fixtures.uniqueName("llm");
    // The newest published minute is now − 2 (the policy's metric delay).
    Fixtures.putPerMinute(aws.cloudWatch(), "AWS/SageMaker", "Invocations",
        MetricSpec.variantDimensions(endpoint, Fixtures.VARIANT),
        minute.minus(4, ChronoUnit.MINUTES), 120, 240, 360);
  }

  /** A stand-in model: the last minute's demand, flat, with a 50 % upper band. */
  private static Forecaster flat(AtomicReference<double[]> seen) {
    return (history, horizon) -> {
      seen.set(history);
      double last = history[history.length - 1];
      double[] point = new double[horizon];
      double[] upper = new double[horizon];
      Arrays.fill(point, last);
      Arrays.fill(upper, last * 1.5);
      return new Forecast(ForecastStatus.OK, Seasonality.DAILY, point, upper);
    };
  }

  private ForecastHandler handler(Forecaster forecaster, Map<String, String> environment) {
    return new ForecastHandler(new ForecastWiring(aws.metricsReader(), aws.metricsPublisher(),
        aws.tagging(), forecaster, clock), environment, log::add);
  }

  private String event(String extra) {
    return "{\"endpointName\":\"" + endpoint + "\",\"variantName\":\"AllTraffic\"" + extra + "}";
  }

  private ScalerOutcome scaler(Deployment deployment) {
    JsonNode payload = Json.mapper().createObjectNode().put("endpointName", endpoint)
        .put("variantName", Fixtures.VARIANT).put("dryRun", true).put("capacityCheck", "none");
    ScalerInvocation invocation = ScalerInvocation.parse(payload, deployment);
    return aws.scalerWiring().step(invocation, line -> { })
        .run(invocation.task(), ChronoUnit.FOREVER::getDuration);
  }

  @Test
  void readsTwentyEightDaysPerMinuteAndPublishesBothForecastsAsFarAsTheFloorReads()
      throws Exception {
    AtomicReference<double[]> seen = new AtomicReference<>();
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 2, Map.of());

    JsonNode result = handle(handler(flat(seen), Map.of()), event(""));

    double[] history = seen.get();
    assertEquals(28 * 24 * 60, history.length);
    assertEquals(List.of(120.0, 240.0, 360.0),
        List.of(history[history.length - 3], history[history.length - 2],
            history[history.length - 1]));
    assertTrue(Double.isNaN(history[0]));
    assertEquals(3, result.get("minutesWithData").asInt());
    // Defaults: interval 15 + delay 2 + lead (cold start 10 + delay 2) + window 10 = 39 minutes
    // from the one after the newest published minute, each with its upper and expected rate.
    assertEquals(2 * 39, result.get("published").asInt(), result.toString());
    assertEquals(minute.minus(1, ChronoUnit.MINUTES),
        Instant.parse(result.get("firstMinute").asText()));
    assertEquals(minute.plus(37, ChronoUnit.MINUTES),
        Instant.parse(result.get("lastMinute").asText()));
    assertEquals("LIVE", result.get("channel").asText());

    // What the scaler reads, in requests per second.
    Map<String, List<SignalPoint>> read = aws.metricsReader().read(List.of(
            new MetricQuery("upper",
                InferScaleMetrics.forecastRps(endpoint, Fixtures.VARIANT, ForecastChannel.LIVE), 60),
            new MetricQuery("expected",
                InferScaleMetrics.forecastExpectedRps(endpoint, Fixtures.VARIANT,
                    ForecastChannel.LIVE), 60)),
        minute.minus(1, ChronoUnit.MINUTES), minute.plus(2, ChronoUnit.HOURS));
    List<SignalPoint> upper = read.get("upper");
    assertEquals(39, upper.size());
    assertEquals(360 * 1.5 / 60, upper.get(0).value(), 1e-9);
    assertEquals(360.0 / 60, read.get("expected").get(0).value(), 1e-9);

    ScalerOutcome scaled = scaler(Deployment.standard());
    // From this minute through the last of the floor's window: 23 minutes.
    assertEquals(23, scaled.forecast().points(), scaled.toJson());
    assertEquals(9.0, scaled.forecast().peakRps(), 1e-9);
    assertTrue(scaled.forecast().usedAsFloor());
    assertEquals(9, scaled.decision().predictiveFloor().instances()); // 9 RPS at 1 per instance
  }

  @Test
  void anInferenceComponentsForecastIsReadAndPublishedByComponentAndItsScalerUsesIt()
      throws Exception {
    AtomicReference<double[]> seen = new AtomicReference<>();
    Fixtures.createComponentEndpoint(aws.sageMaker(), endpoint, "ml.g5.12xlarge", 1, true, 1,
        endpoint + "-chat");
    MetricTarget component = MetricTarget.of(endpoint, null, endpoint + "-chat");
    Fixtures.putPerMinute(aws.cloudWatch(), "AWS/SageMaker", "Invocations",
        component.sageMakerDimensions(), minute.minus(4, ChronoUnit.MINUTES), 60, 120, 180);

    JsonNode result = handle(handler(flat(seen), Map.of()), "{\"endpointName\":\"" + endpoint
        + "\",\"inferenceComponentName\":\"" + endpoint + "-chat\"}");

    double[] history = seen.get();
    assertEquals(180.0, history[history.length - 1], "the component's requests, not the variant's");
    assertEquals(endpoint + "-chat", result.get("inferenceComponentName").asText());
    List<SignalPoint> upper = aws.metricsReader().read(List.of(new MetricQuery("upper",
            InferScaleMetrics.forecastRps(component, ForecastChannel.LIVE), 60)),
        minute.minus(1, ChronoUnit.MINUTES), minute.plus(2, ChronoUnit.HOURS)).get("upper");
    assertEquals(180 * 1.5 / 60, upper.get(0).value(), 1e-9);

    JsonNode payload = Json.mapper().createObjectNode().put("endpointName", endpoint)
        .put("inferenceComponentName", endpoint + "-chat").put("dryRun", true)
        .put("capacityCheck", "none");
    ScalerInvocation invocation = ScalerInvocation.parse(payload, Deployment.standard());
    ScalerOutcome scaled = aws.scalerWiring().step(invocation, line -> { })
        .run(invocation.task(), ChronoUnit.FOREVER::getDuration);
    assertTrue(scaled.forecast().usedAsFloor(), scaled.toJson());
    assertEquals(5, scaled.decision().predictiveFloor().instances()); // 4.5 RPS at 1 per copy
  }

  @Test
  void aDryRunDeploymentsForecastReachesOnlyItsOwnDryRunScaler() throws Exception {
    JsonNode published = handle(handler(flat(new AtomicReference<>()),
        Map.of("DRY_RUN", "true")), event(""));
    assertEquals(2 * 39, published.get("published").asInt(), published.toString());
    assertEquals("DRY_RUN", published.get("channel").asText(), published.toString());
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 2, Map.of());

    // The dry-run deployment's scaler decides with the floor, as a live deployment would ...
    ScalerOutcome rehearsal = scaler(new Deployment(true, CapacityMode.NONE));
    assertTrue(rehearsal.forecast().usedAsFloor(), rehearsal.toJson());
    assertEquals(9, rehearsal.decision().predictiveFloor().instances());
    // ... while a live deployment's scaler, even asked for a dry run, never sees that forecast.
    ScalerOutcome live = scaler(Deployment.standard());
    assertEquals(0, live.forecast().points(), live.toJson());
    assertTrue(live.decision().has(ReasonCode.FORECAST_UNAVAILABLE), live.toJson());
  }

  @Test
  void theHandlerSaysWhyNothingIsPublishedWithTooLittleHistory() throws Exception {
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 2, Map.of());
    String envelope = "{\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\","
        + "\"detail\":" + event("") + "}";

    JsonNode result = handle(handler(Forecaster.standard(), Map.of()), envelope);
    assertEquals("FORECAST_INSUFFICIENT_HISTORY", result.get("status").asText());
    assertEquals(0, result.get("published").asInt());
    assertEquals(3, result.get("minutesWithData").asInt());
    assertEquals(1, log.size(), log.toString());
  }

  @Test
  void aSlowerScheduleIsCoveredUntilItsNextRun() throws Exception {
    JsonNode result = handle(handler(flat(new AtomicReference<>()), Map.of()),
        event(",\"policy\":{\"timing\":{\"forecastIntervalMinutes\":30}}"));

    // 30 minutes to the next run + delay 2 + lead 12 + window 10 = 54 minutes.
    assertEquals(2 * 54, result.get("published").asInt(), result.toString());
    assertEquals(minute.plus(52, ChronoUnit.MINUTES),
        Instant.parse(result.get("lastMinute").asText()));
  }

  @Test
  void theDeprecatedRefreshMinutesStillSetsTheIntervalWithAWarning() throws Exception {
    JsonNode result = handle(handler(flat(new AtomicReference<>()), Map.of()),
        event(",\"refreshMinutes\":30"));

    assertEquals(2 * 54, result.get("published").asInt(), result.toString());
    JsonNode warning = Json.mapper().readTree(log.get(0));
    assertEquals("WARN", warning.get("level").asText());
    assertEquals("policy.timing.forecastIntervalMinutes",
        warning.at("/deprecatedFields/refreshMinutes").asText());
  }

  @Test
  void noForecastReachesFurtherThanTheTwoHoursCloudWatchTakes() throws Exception {
    // 60 + delay 2 + lead 32 + window 30 = 124 minutes wanted, 120 possible.
    JsonNode result = handle(handler(flat(new AtomicReference<>()), Map.of()), event(
        ",\"policy\":{\"timing\":{\"forecastIntervalMinutes\":60,\"coldStartMinutes\":30}}"));

    assertEquals(2 * 120, result.get("published").asInt(), result.toString());
    assertEquals(minute.plus(118, ChronoUnit.MINUTES),
        Instant.parse(result.get("lastMinute").asText()));
  }

  @Test
  void aPausedEndpointGetsNoForecast() throws Exception {
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 2, Map.of("inferscale:paused", "true"));
    AtomicReference<double[]> seen = new AtomicReference<>();

    JsonNode result = handle(handler(flat(seen), Map.of()), event(""));

    assertTrue(result.get("paused").asBoolean(), result.toString());
    assertEquals(0, result.get("published").asInt());
    assertEquals(null, seen.get(), "nothing was read or forecast");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "61", "\"15\"", "1.5"})
  void aRefreshTheForecastCannotCoverIsRefused(String refresh) {
    ForecastHandler handler = handler(Forecaster.standard(), Map.of());
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> handle(handler, event(",\"refreshMinutes\":" + refresh)));
    assertTrue(e.getMessage().contains(
        "refreshMinutes must be a whole number of minutes between 1 and 60, got " + refresh),
        e.getMessage());
  }

  @Test
  void invalidInputNamesTheField() {
    ForecastHandler handler = handler(Forecaster.standard(), Map.of());
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> handle(handler,
        "{\"endpointName\":\"a b\",\"policy\":{\"timing\":{\"coldStartMinutes\":-1}},"
            + "\"size\":2}"));
    assertTrue(e.getMessage().contains("endpointName must match"), e.getMessage());
    assertTrue(e.getMessage().contains("variantName is required"), e.getMessage());
    assertTrue(e.getMessage().contains("unknown field 'size'"), e.getMessage());
    assertTrue(e.getMessage().contains(
        "policy: timing.coldStartMinutes must be between 0 and 120, got -1"), e.getMessage());
  }

  /** Runs the handler on a raw event, as Lambda would, and returns what it wrote. */
  private static JsonNode handle(ForecastHandler handler, String event) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
        null);
    return Json.mapper().readTree(out.toByteArray());
  }
}
