package inferscale.aws.adapters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferscale.aws.testing.AwsEmulator;
import inferscale.aws.testing.Fixtures;
import inferscale.aws.testing.TestAwsComponent;
import inferscale.control.ForecastPublication;
import inferscale.control.Readings;
import inferscale.control.RequestHistory;
import inferscale.control.Series;
import inferscale.decision.SignalPoint;
import inferscale.units.RequestRate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(AwsEmulator.class)
class CloudWatchAdaptersTest {
  private TestAwsComponent aws;
  private String endpoint;
  private List<MetricDimension> dims;
  private Instant minute;

  @BeforeEach
  void setUp() {
    aws = TestAwsComponent.create();
    endpoint = Fixtures.uniqueName("cw");
    dims = MetricSpec.variantDimensions(endpoint, "AllTraffic");
    minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
  }

  @Test
  void readsSeveralSeriesInOneCallOldestFirst() {
    Instant first = minute.minus(5, ChronoUnit.MINUTES);
    Fixtures.putPerMinute(aws.cloudWatch(), "AWS/SageMaker", "Invocations", dims, first,
        60, 120, 180, 240, 300);
    Fixtures.putPerMinute(aws.cloudWatch(), "LLM/Inference", "KVCacheUsage", dims, first,
        0.5, 0.6);

    Map<String, List<SignalPoint>> read = aws.metricsReader().read(List.of(
            new MetricQuery("rps", new MetricSpec("AWS/SageMaker", "Invocations", dims, "Sum"), 60),
            new MetricQuery("kv", new MetricSpec("LLM/Inference", "KVCacheUsage", dims, "Maximum"),
                60),
            new MetricQuery("none", new MetricSpec("LLM/Inference", "Absent", dims, "Maximum"), 60)),
        minute.minus(20, ChronoUnit.MINUTES), minute);

    assertEquals(List.of(60.0, 120.0, 180.0, 240.0, 300.0),
        read.get("rps").stream().map(SignalPoint::value).toList());
    assertEquals(first, read.get("rps").get(0).timestamp());
    assertEquals(List.of(0.5, 0.6), read.get("kv").stream().map(SignalPoint::value).toList());
    assertTrue(read.get("none").isEmpty());
  }

  @Test
  void publishesInBatchesThatCloudWatchAccepts() {
    List<MetricPoint> points = new ArrayList<>();
    Instant first = minute.minus(700, ChronoUnit.MINUTES);
    for (int i = 0; i < 700; i++) {
      points.add(new MetricPoint("ForecastRps", dims, first.plusSeconds(60L * i), i, "Count"));
    }
    int calls = aws.metricsPublisher().publish(InferScaleMetrics.NAMESPACE, points);
    assertEquals(2, calls);

    List<SignalPoint> back = aws.metricsReader().read(List.of(new MetricQuery("f",
            InferScaleMetrics.forecastRps(endpoint, "AllTraffic", ForecastChannel.LIVE), 60)),
        first, first.plusSeconds(60L * 700)).get("f");
    assertEquals(700, back.size());
    assertEquals(699.0, back.get(699).value());
  }

  @Test
  void readsForecastPointsInTheFuture() {
    aws.metricsPublisher().publish(InferScaleMetrics.NAMESPACE, List.of(
        new MetricPoint("ForecastRps", dims, minute.plus(30, ChronoUnit.MINUTES), 7.5, "Count")));
    List<SignalPoint> back = aws.metricsReader().read(List.of(new MetricQuery("f",
            InferScaleMetrics.forecastRps(endpoint, "AllTraffic", ForecastChannel.LIVE), 60)),
        minute.minus(20, ChronoUnit.MINUTES), minute.plus(120, ChronoUnit.MINUTES)).get("f");
    assertEquals(List.of(new SignalPoint(minute.plus(30, ChronoUnit.MINUTES), 7.5)), back);
  }

  @Test
  void telemetryReadsEachSeriesWhereTheRequestSaysInOneCall() {
    Instant first = minute.minus(3, ChronoUnit.MINUTES);
    Fixtures.putPerMinute(aws.cloudWatch(), "AWS/SageMaker", "Invocations", dims, first,
        60, 120, 180);
    Fixtures.putPerMinute(aws.cloudWatch(), "vLLM", "gpu_cache_usage_perc", dims, first, 0.4);
    Fixtures.putPerMinute(aws.cloudWatch(), InferScaleMetrics.NAMESPACE,
        InferScaleMetrics.SCALE_OUT_APPLIED, dims, first, 1);
    SignalMetrics metrics = new SignalMetrics(SignalMetrics.defaults(endpoint, "AllTraffic")
        .invocations(), new MetricSpec("vLLM", "gpu_cache_usage_perc", dims, "Maximum"),
        null, null, null);
    CloudWatchTelemetry telemetry = new CloudWatchTelemetry(aws.metricsReader(), metrics,
        ForecastChannel.LIVE, endpoint, "AllTraffic");
    new CloudWatchForecastStore(aws.metricsPublisher(), ForecastChannel.LIVE, endpoint,
        "AllTraffic").publish(new ForecastPublication(minute,
            List.of(RequestRate.ofPerSecond(6)), List.of(RequestRate.ofPerSecond(3))));

    Readings read = telemetry.read(EnumSet.allOf(Series.class), first, minute.plus(5,
        ChronoUnit.MINUTES));

    assertEquals(List.of(60.0, 120.0, 180.0),
        read.get(Series.REQUESTS).stream().map(SignalPoint::value).toList());
    assertEquals(List.of(new SignalPoint(first, 0.4)), read.get(Series.KV_CACHE_USAGE));
    assertEquals(List.of(new SignalPoint(first, 1)), read.get(Series.SCALE_OUTS));
    assertEquals(List.of(new SignalPoint(minute, 6)), read.get(Series.FORECAST_UPPER_RPS));
    assertEquals(List.of(new SignalPoint(minute, 3)), read.get(Series.FORECAST_EXPECTED_RPS));
    assertTrue(read.get(Series.WAITING_REQUESTS).isEmpty(), "turned off in the request");
    assertEquals("LIVE", telemetry.forecastChannel());
  }

  @Test
  void aDryRunDeploymentsForecastIsReadOnlyOnItsOwnChannel() {
    new CloudWatchForecastStore(aws.metricsPublisher(), ForecastChannel.DRY_RUN, endpoint,
        "AllTraffic").publish(new ForecastPublication(minute,
            List.of(RequestRate.ofPerSecond(6)), List.of(RequestRate.ofPerSecond(3))));
    Instant to = minute.plus(5, ChronoUnit.MINUTES);
    SignalMetrics metrics = SignalMetrics.defaults(endpoint, "AllTraffic");
    assertTrue(new CloudWatchTelemetry(aws.metricsReader(), metrics, ForecastChannel.LIVE,
        endpoint, "AllTraffic").read(EnumSet.of(Series.FORECAST_UPPER_RPS), minute, to)
        .get(Series.FORECAST_UPPER_RPS).isEmpty());
    assertEquals(1, new CloudWatchTelemetry(aws.metricsReader(), metrics,
        ForecastChannel.DRY_RUN, endpoint, "AllTraffic")
        .read(EnumSet.of(Series.FORECAST_UPPER_RPS), minute, to)
        .get(Series.FORECAST_UPPER_RPS).size());
  }

  @Test
  void theRequestHistoryIsOneRequestsCountPerMinuteEndingBeforeItsEnd() {
    // (Older minutes come from the 5-minute sums once CloudWatch has dropped the 1-minute data;
    // the emulator keeps everything, so InvocationsHistoryTest tests that merge.)
    Fixtures.putPerMinute(aws.cloudWatch(), "AWS/SageMaker", "Invocations", dims,
        minute.minus(10, ChronoUnit.MINUTES), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);

    RequestHistory read = new CloudWatchTelemetry(aws.metricsReader(),
        SignalMetrics.defaults(endpoint, "AllTraffic"), ForecastChannel.LIVE, endpoint,
        "AllTraffic").requestHistory(minute.minus(1, ChronoUnit.MINUTES), 60);

    double[] history = read.requests();
    assertEquals(60, history.length);
    assertEquals(9.0, history[59], "the minute before the end");
    assertEquals(1.0, history[51]);
    assertTrue(Double.isNaN(history[50]));
    assertTrue(read.saturated().isEmpty());
  }

  @Test
  void minutesWithOnePercentOf5xxErrorsOrMoreAreMarkedSaturatedInTheSameRead() {
    Instant first = minute.minus(10, ChronoUnit.MINUTES);
    Fixtures.putPerMinute(aws.cloudWatch(), "AWS/SageMaker", "Invocations", dims, first,
        100, 100, 100, 100, 100, 100, 100, 100, 100, 100);
    // A stray error in minute 2, 3 % of the requests failing in minute 6.
    Fixtures.putPerMinute(aws.cloudWatch(), "AWS/SageMaker", "Invocation5XXErrors", dims,
        first.plus(2, ChronoUnit.MINUTES), 0.5);
    Fixtures.putPerMinute(aws.cloudWatch(), "AWS/SageMaker", "Invocation5XXErrors", dims,
        first.plus(6, ChronoUnit.MINUTES), 3);

    RequestHistory read = new CloudWatchTelemetry(aws.metricsReader(),
        SignalMetrics.defaults(endpoint, "AllTraffic"), ForecastChannel.LIVE, endpoint,
        "AllTraffic").requestHistory(minute, 10);
    assertEquals(BitSet.valueOf(new long[] {1L << 6}), read.saturated());
  }
}
