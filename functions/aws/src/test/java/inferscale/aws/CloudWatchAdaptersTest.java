package inferscale.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferscale.aws.testing.AwsEmulator;
import inferscale.aws.testing.Fixtures;
import inferscale.aws.testing.TestAwsComponent;
import inferscale.decision.SignalPoint;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
}
