package inferscale.scaler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferscale.aws.adapters.ForecastChannel;
import inferscale.aws.adapters.InferScaleMetrics;
import inferscale.aws.adapters.MetricSpec;
import inferscale.aws.testing.AwsEmulator;
import inferscale.aws.testing.Fixtures;
import inferscale.reliability.Outcome;
import inferscale.reliability.Scenario;
import inferscale.scaler.ScalerHarness.Invocation;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What GetMetricData returns, as CloudWatch can: some queries empty, old data, absurd values. The
 * endpoint starts at 4 instances (policy 1..8, 2 rps per instance), so a scale-in is possible.
 */
@ExtendWith(AwsEmulator.class)
class MetricDataTest {
  private ScalerHarness h;

  @BeforeEach
  void setUp(AwsEmulator.Running emulator) throws Exception {
    h = new ScalerHarness(emulator).endpoint(4, Map.of());
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  private Invocation run(String policyExtra) {
    Invocation run = h.invoke(h.handler(), h.event(policyExtra, ""));
    assertNull(run.escaped());
    assertTrue(run.to() >= 1 && run.to() <= 8, run.summary());
    if (!run.applied()) {
      assertTrue(!run.notApplied().isEmpty() && !run.reasons().isEmpty(), run.summary());
    }
    return run;
  }

  @Test
  @Scenario(area = "Metric data", value = "No datapoints at all for any query")
  void noData(Outcome outcome) {
    Invocation run = run("");
    assertEquals("HOLD", run.output().at("/decision/action").asText());
    assertTrue(run.reasons().contains("METRICS_MISSING"), run.summary());
    assertEquals(4, h.desired());
    outcome.did(run.summary() + "; " + h.after(4));
  }

  @Test
  @Scenario(area = "Metric data", value = "Partial data: RPS says scale in, the KV-cache query "
      + "returns nothing")
  void partialData(Outcome outcome) {
    h.traffic(1.0);
    Invocation run = run(",\"signals\":[\"rps\",\"kvCache\"]");
    assertTrue(run.to() >= 4, "no scale-in on partial data: " + run.summary());
    assertTrue(run.reasons().contains("SIGNAL_MISSING"), run.summary());
    assertEquals(4, h.desired());
    outcome.did(run.summary() + "; " + h.after(4));
  }

  @Test
  @Scenario(area = "Metric data", value = "Stale data: low RPS whose newest point is 15 min old")
  void staleData(Outcome outcome) {
    h.traffic(0.5, 10, 15);
    Invocation run = run("");
    assertTrue(run.to() >= 4, "no scale-in on stale data: " + run.summary());
    assertTrue(run.reasons().contains("SIGNAL_STALE"), run.summary());
    assertEquals(4, h.desired());
    outcome.did(run.summary() + "; " + h.after(4));
  }

  @Test
  @Scenario(area = "Metric data", value = "Absurd values: negative Invocations")
  void negativeValues(Outcome outcome) {
    h.traffic(-5.0);
    Invocation run = run("");
    assertTrue(run.to() >= 4, run.summary());
    assertEquals(4, h.desired());
    outcome.did(run.summary() + "; " + h.after(4));
  }

  @Test
  @Scenario(area = "Metric data", value = "Absurd values: 10^12 requests per second")
  void hugeValues(Outcome outcome) {
    h.traffic(1e12);
    Invocation run = run("");
    assertEquals(8, run.to(), run.summary());
    assertTrue(run.reasons().contains("MAX_INSTANCES"), run.summary());
    assertEquals(8, h.desired());
    outcome.did(run.summary() + "; " + h.after(4));
  }

  @Test
  @Scenario(area = "Metric data", value = "Absurd values: a published forecast of 10^12 rps")
  void hugeForecast(Outcome outcome) {
    h.traffic(8.0);
    double[] forecast = new double[120];
    Arrays.fill(forecast, 1e12);
    Fixtures.putPerMinute(h.aws.cloudWatch(), InferScaleMetrics.NAMESPACE,
        InferScaleMetrics.FORECAST_RPS, ForecastChannel.LIVE.dimensions(h.endpoint, "AllTraffic"),
        Instant.now().truncatedTo(ChronoUnit.MINUTES), forecast);
    Invocation run = run("");
    assertTrue(run.to() <= 8, run.summary());
    assertEquals(run.to(), h.desired());
    outcome.did(run.summary() + "; " + h.after(4));
  }

  @Test
  @Scenario(area = "Metric data", value = "Near-zero demand with minInstances 3")
  void neverBelowMin(Outcome outcome) {
    h.traffic(0.01);
    Invocation run = run(",\"minInstances\":3");
    assertTrue(run.to() >= 3, run.summary());
    assertTrue(h.desired() >= 3);
    outcome.did(run.summary() + "; " + h.after(4));
  }

  @Test
  @Scenario(area = "Metric data", value = "A mixed series: gaps, a negative point, a spike")
  void mixedSeries(Outcome outcome) {
    // minutes -8..-1: two missing, one negative, one spike of 10^8 rps, the rest 1 rps
    Instant first = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(8, ChronoUnit.MINUTES);
    Fixtures.putPerMinute(h.aws.cloudWatch(), "AWS/SageMaker", "Invocations",
        MetricSpec.variantDimensions(h.endpoint, Fixtures.VARIANT), first,
        60, -600, 60, 6e9, 60, 60);
    Invocation run = run("");
    assertTrue(run.to() >= 4 && run.to() <= 8, "the spike may raise, never past max: "
        + run.summary());
    outcome.did(run.summary() + "; " + h.after(4));
  }
}
