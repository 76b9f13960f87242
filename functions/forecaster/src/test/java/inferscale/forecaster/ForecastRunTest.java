package inferscale.forecaster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import inferscale.aws.CapacityMode;
import inferscale.aws.ForecastChannel;
import inferscale.aws.InferScaleMetrics;
import inferscale.aws.InvalidRequestException;
import inferscale.aws.MetricQuery;
import inferscale.aws.MetricSpec;
import inferscale.aws.ScalerDefaults;
import inferscale.aws.ScalerRequest;
import inferscale.aws.ScalingCycle;
import inferscale.aws.testing.AwsEmulator;
import inferscale.aws.testing.Fixtures;
import inferscale.aws.testing.TestAwsComponent;
import inferscale.decision.PolicyConfig;
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

/** Reading history from and publishing forecasts to CloudWatch, against the emulator. */
@ExtendWith(AwsEmulator.class)
class ForecastRunTest {
  private TestAwsComponent aws;
  private String endpoint;
  private Instant minute;
  /** Fixed half a minute into {@code minute}, so a minute boundary mid-test changes nothing. */
  private Clock clock;
  private final List<String> log = new ArrayList<>();

  @BeforeEach
  void setUp() {
    aws = TestAwsComponent.create();
    endpoint = Fixtures.uniqueName("llm");
    minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    clock = Clock.fixed(minute.plusSeconds(30), java.time.ZoneOffset.UTC);
    Fixtures.putPerMinute(aws.cloudWatch(), "AWS/SageMaker", "Invocations",
        MetricSpec.variantDimensions(endpoint, Fixtures.VARIANT),
        minute.minus(3, ChronoUnit.MINUTES), 120, 240, 360);
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

  @Test
  void readsTwentyEightDaysPerMinuteAndPublishesBothForecastsAsFarAsTheFloorReads() {
    AtomicReference<double[]> seen = new AtomicReference<>();
    ForecastRun run = new ForecastRun(aws.metricsReader(), aws.metricsPublisher(), flat(seen),
        clock);

    ForecastRun.Result result = run.run(endpoint, Fixtures.VARIANT, PolicyConfig.defaults(),
        ForecastRun.DEFAULT_REFRESH_MINUTES, ForecastChannel.LIVE);

    double[] history = seen.get();
    assertEquals(28 * 24 * 60, history.length);
    assertEquals(List.of(120.0, 240.0, 360.0),
        List.of(history[history.length - 3], history[history.length - 2],
            history[history.length - 1]));
    assertTrue(Double.isNaN(history[0]));
    assertEquals(3, result.minutesWithData());
    // Defaults: refresh 15 + delay 2 + lead (cold start 10 + delay 2) + cycle 10 = 39 minutes,
    // each with its upper and its expected rate.
    assertEquals(2 * 39, result.published());
    assertEquals(minute.plus(38, ChronoUnit.MINUTES), result.lastMinute());

    // What the scaler reads, in requests per second, as far as the floor needs.
    Map<String, List<SignalPoint>> read = aws.metricsReader().read(List.of(
            new MetricQuery("upper",
                InferScaleMetrics.forecastRps(endpoint, Fixtures.VARIANT, ForecastChannel.LIVE), 60),
            new MetricQuery("expected",
                InferScaleMetrics.forecastExpectedRps(endpoint, Fixtures.VARIANT,
                    ForecastChannel.LIVE), 60)),
        minute, minute.plus(2, ChronoUnit.HOURS));
    List<SignalPoint> upper = read.get("upper");
    assertEquals(39, upper.size());
    assertEquals(minute, upper.get(0).timestamp());
    assertEquals(360 * 1.5 / 60, upper.get(0).value(), 1e-9);
    List<SignalPoint> expected = read.get("expected");
    assertEquals(39, expected.size());
    assertEquals(minute, expected.get(0).timestamp());
    assertEquals(360.0 / 60, expected.get(0).value(), 1e-9);
  }

  @Test
  void theScalerSeesThePublishedForecast() {
    AtomicReference<double[]> seen = new AtomicReference<>();
    new ForecastRun(aws.metricsReader(), aws.metricsPublisher(), flat(seen), clock)
        .run(endpoint, Fixtures.VARIANT, PolicyConfig.defaults(),
            ForecastRun.DEFAULT_REFRESH_MINUTES, ForecastChannel.LIVE);
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 2, Map.of());

    JsonNode payload = Json.mapper().createObjectNode().put("endpointName", endpoint)
        .put("variantName", Fixtures.VARIANT).put("dryRun", true).put("capacityCheck", "none");
    var cycle = new ScalingCycle(aws.metricsReader(), aws.endpointReader(),
        aws.endpointUpdater(), aws.capacityReader(), clock);
    var result = cycle.run(
        ScalerRequest.parse(payload, ScalerDefaults.standard()),
        log::add);

    assertEquals(39, result.forecast().points());
    assertEquals(9.0, result.forecast().peakRps(), 1e-9);
    assertTrue(result.forecast().usedAsFloor());
    assertEquals(9, result.decision().predictiveFloor().instances()); // 9 RPS at 1 per instance
  }

  @Test
  void aDryRunDeploymentsForecastReachesOnlyItsOwnDryRunScaler() throws Exception {
    ForecastHandler handler = new ForecastHandler(new ForecastRun(aws.metricsReader(),
        aws.metricsPublisher(), flat(new AtomicReference<>()), clock), null,
        Map.of("DRY_RUN", "true"), log::add);
    JsonNode published = handle(handler,
        "{\"endpointName\":\"" + endpoint + "\",\"variantName\":\"AllTraffic\"}");
    assertEquals(2 * 39, published.get("published").asInt(), published.toString());
    assertTrue(published.get("note").asText().contains("Mode = DryRun"), published.toString());
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 2, Map.of());
    var cycle = new ScalingCycle(aws.metricsReader(), aws.endpointReader(),
        aws.endpointUpdater(), aws.capacityReader(), clock);
    JsonNode payload = Json.mapper().createObjectNode().put("endpointName", endpoint)
        .put("variantName", Fixtures.VARIANT).put("dryRun", true).put("capacityCheck", "none");

    // The dry-run deployment's scaler decides with the floor, as a live deployment would ...
    var rehearsal = cycle.run(ScalerRequest.parse(payload,
        new ScalerDefaults(true, CapacityMode.NONE)), log::add);
    assertTrue(rehearsal.forecast().usedAsFloor(), rehearsal.toJson());
    assertEquals(9, rehearsal.decision().predictiveFloor().instances());
    // ... while a live deployment's scaler, even asked for a dry run, never sees that forecast.
    var live = cycle.run(ScalerRequest.parse(payload,
        ScalerDefaults.standard()), log::add);
    assertEquals(0, live.forecast().points(), live.toJson());
    assertTrue(live.decision().has(ReasonCode.FORECAST_UNAVAILABLE), live.toJson());
  }

  @Test
  void theHandlerSaysWhyNothingIsPublishedWithTooLittleHistory() throws Exception {
    ForecastHandler handler = new ForecastHandler(new ForecastRun(aws.metricsReader(),
        aws.metricsPublisher(), Forecaster.standard(), clock), log::add);
    String event = "{\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\","
        + "\"detail\":{\"endpointName\":\"" + endpoint + "\",\"variantName\":\"AllTraffic\"}}";

    JsonNode result = handle(handler, event);
    assertEquals("FORECAST_INSUFFICIENT_HISTORY", result.get("status").asText());
    assertEquals(0, result.get("published").asInt());
    assertEquals(3, result.get("minutesWithData").asInt());
    assertEquals(1, log.size());
  }

  @Test
  void aSlowerScheduleIsCoveredUntilItsNextRun() throws Exception {
    ForecastHandler handler = new ForecastHandler(new ForecastRun(aws.metricsReader(),
        aws.metricsPublisher(), flat(new AtomicReference<>()), clock), log::add);
    String event = "{\"endpointName\":\"" + endpoint + "\",\"variantName\":\"AllTraffic\","
        + "\"refreshMinutes\":30}";

    JsonNode result = handle(handler, event);

    // 30 minutes to the next run + delay 2 + lead 12 + cycle 10 = 54 minutes, upper and expected.
    assertEquals(2 * 54, result.get("published").asInt(), result.toString());
    assertEquals(minute.plus(53, ChronoUnit.MINUTES),
        Instant.parse(result.get("lastMinute").asText()));
  }

  @Test
  void noForecastReachesFurtherThanTheTwoHoursCloudWatchTakes() throws Exception {
    ForecastHandler handler = new ForecastHandler(new ForecastRun(aws.metricsReader(),
        aws.metricsPublisher(), flat(new AtomicReference<>()), clock), log::add);
    // 60 + delay 2 + lead 32 + cycle 30 = 124 minutes wanted, 120 possible.
    String event = "{\"endpointName\":\"" + endpoint + "\",\"variantName\":\"AllTraffic\","
        + "\"refreshMinutes\":60,\"policy\":{\"coldStartMinutes\":30}}";

    JsonNode result = handle(handler, event);

    assertEquals(2 * 120, result.get("published").asInt(), result.toString());
    assertEquals(minute.plus(119, ChronoUnit.MINUTES),
        Instant.parse(result.get("lastMinute").asText()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "61", "\"15\"", "1.5"})
  void aRefreshTheForecastCannotCoverIsRefused(String refresh) {
    ForecastHandler handler = new ForecastHandler(
        DaggerForecastComponent.create().run(), log::add);
    String event = "{\"endpointName\":\"" + endpoint + "\",\"variantName\":\"AllTraffic\","
        + "\"refreshMinutes\":" + refresh + "}";
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> handle(handler, event));
    assertTrue(e.getMessage().contains(
        "refreshMinutes must be a whole number of minutes between 1 and 60, got " + refresh),
        e.getMessage());
  }

  @Test
  void invalidInputNamesTheField() {
    ForecastHandler handler = new ForecastHandler(
        DaggerForecastComponent.create().run(), log::add);
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> handle(handler,
        "{\"endpointName\":\"a b\",\"policy\":{\"coldStartMinutes\":-1},\"size\":2}"));
    assertTrue(e.getMessage().contains("endpointName must match"), e.getMessage());
    assertTrue(e.getMessage().contains("variantName is required"), e.getMessage());
    assertTrue(e.getMessage().contains("unknown field 'size'"), e.getMessage());
    assertTrue(e.getMessage().contains("policy: coldStartMinutes must be between 0 and 120, got -1"),
        e.getMessage());
  }

  /** Runs the handler on a raw event, as Lambda would, and returns what it wrote. */
  private static JsonNode handle(ForecastHandler handler, String event) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
        null);
    return Json.mapper().readTree(out.toByteArray());
  }
}
