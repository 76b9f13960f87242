package inferscale.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import inferscale.aws.adapters.InferScaleMetrics;
import inferscale.aws.adapters.MetricSpec;
import inferscale.aws.adapters.ScalerRecords;
import inferscale.aws.invocation.Deployment;
import inferscale.aws.invocation.ScalerInvocation;
import inferscale.aws.testing.AwsEmulator;
import inferscale.aws.testing.EmbeddedMetrics;
import inferscale.aws.testing.Fixtures;
import inferscale.aws.testing.TestAwsComponent;
import inferscale.backtest.ShadowScore;
import inferscale.backtest.SimulationClock;
import inferscale.control.ScalerOutcome;
import inferscale.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code report} against the emulator: the scaler's own step, as a dry-run deployment runs it,
 * over two replayed hours of a burst, its Embedded Metric Format lines extracted into CloudWatch
 * as Lambda's log pipeline does; then the metrics written and the report read from them.
 */
@ExtendWith(AwsEmulator.class)
class ReportCommandTest {
  private static final int MINUTES = 120;
  private static final int DELAY = 2;
  /** 2 requests a second per instance at the target, 3 at most: 180 requests a minute. */
  private static final String POLICY = "{\"bounds\": {\"minInstances\": 1, \"maxInstances\":"
      + " 20}, \"targets\": {\"rpsPerInstance\": 2, \"maxRpsPerInstance\": 3}, \"timing\":"
      + " {\"coldStartMinutes\": 8}}";

  @Test
  void aDryRunDeploymentsRecordsAreScoredAgainstTheEndpointsOwnCounts() throws Exception {
    String endpoint = Fixtures.uniqueName("shadow");
    Instant first = Instant.now().truncatedTo(ChronoUnit.MINUTES)
        .minus(Duration.ofMinutes(MINUTES + 5));
    SimulationClock clock = new SimulationClock(first);
    TestAwsComponent aws = TestAwsComponent.create(clock);
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 3, Map.of());
    ObjectNode payload = Json.mapper().createObjectNode().put("endpointName", endpoint)
        .put("variantName", Fixtures.VARIANT).put("capacityCheck", "none").put("dryRun", true);
    payload.set("policy", Json.mapper().readTree(POLICY));
    ScalerInvocation invocation = ScalerInvocation.parse(payload, Deployment.standard());

    // 300 requests a minute, a burst to 1,200 for 40 minutes, back to 300: 3 instances hold it
    // at first, then fall short, and nothing is applied.
    double[] requests = new double[MINUTES];
    for (int t = 0; t < MINUTES; t++) {
      requests[t] = t >= 40 && t < 80 ? 1200 : 300;
    }
    Fixtures.putPerMinute(aws.cloudWatch(), "AWS/SageMaker", "Invocations",
        MetricSpec.variantDimensions(endpoint, Fixtures.VARIANT),
        first.minus(Duration.ofMinutes(30)), filled(30, 300));
    List<ScalerOutcome> outcomes = new ArrayList<>();
    for (int t = 0; t < MINUTES; t++) {
      if (t >= DELAY) {
        Fixtures.putPerMinute(aws.cloudWatch(), "AWS/SageMaker", "Invocations",
            MetricSpec.variantDimensions(endpoint, Fixtures.VARIANT),
            first.plus(Duration.ofMinutes(t - DELAY)), requests[t - DELAY]);
      }
      clock.set(first.plus(Duration.ofMinutes(t)).plusSeconds(13));
      outcomes.add(aws.scalerWiring().step(invocation,
          line -> EmbeddedMetrics.extract(aws.cloudWatch(), line))
          .run(invocation.task(), () -> Duration.ofMinutes(1)));
    }
    assertEquals(3, Fixtures.desiredInstanceCount(aws.sageMaker(), endpoint), "a dry run");
    double[] asks = outcomes.stream().mapToDouble(o -> o.decision().to()).toArray();
    assertTrue(Arrays.stream(asks).max().orElse(0) > 3, "InferScale would have scaled out");

    // The metrics written: by the cycle's minute its ask and the endpoint's count, by the
    // minute the requests came in what it saw, under Mode=Shadow only.
    ScalerRecords records = new ScalerRecords(aws.metricsReader());
    ScalerRecords.Minutes shadow = records.read(endpoint, Fixtures.VARIANT,
        InferScaleMetrics.MODE_SHADOW, first, MINUTES);
    assertEquals(Arrays.toString(asks), Arrays.toString(shadow.asks()));
    assertTrue(Arrays.stream(shadow.serving()).allMatch(count -> count == 3));
    assertEquals(Arrays.toString(Arrays.copyOf(requests, MINUTES - DELAY)),
        Arrays.toString(Arrays.copyOf(shadow.requests(), MINUTES - DELAY)));
    assertEquals(180, shadow.capacityPerInstance(), 1e-9);
    assertTrue(Arrays.stream(records.read(endpoint, Fixtures.VARIANT,
        InferScaleMetrics.MODE_LIVE, first, MINUTES).asks()).allMatch(Double::isNaN));

    CliRun json = CliRun.of("report", "--endpoint", endpoint, "--days", "1", "--cold-start",
        "8", "--format", "json");
    assertEquals(0, json.exitCode(), json.err());
    JsonNode report = Json.mapper().readTree(json.out());
    assertEquals("Shadow", report.get("mode").asText());
    ShadowScore expected = ShadowScore.score(first, asks, filled(MINUTES, 3),
        Arrays.copyOf(requests, MINUTES - DELAY), 3.0, 8);
    assertEquals(Json.mapper().writeValueAsString(expected), report.get("lastDay").toString());
    JsonNode actual = report.at("/lastDay/actual");
    assertEquals(3 * (MINUTES - DELAY) / 60.0, actual.get("instanceHours").asDouble(), 1e-9);
    assertEquals(40, actual.get("overCapacityMinutes").asInt(), "1,200 on 3 of 180 a minute");
    assertTrue(report.at("/lastDay/inferscale/overCapacityMinutes").asInt() < 40,
        report.toString());

    CliRun table = CliRun.of("report", "--endpoint", endpoint, "--days", "1", "--cold-start",
        "8");
    assertEquals(0, table.exitCode(), table.err());
    System.out.println("ReportCommandTest:\n" + table.out());
    assertTrue(table.out().startsWith("Shadow scoring of " + endpoint + "/AllTraffic (mode"
        + " Shadow: InferScale's asks were recorded, not applied)"), table.out());
    assertTrue(table.out().contains("last 24 h, 118 min"), table.out());
    assertTrue(table.out().lines().anyMatch(l -> l.contains(" actual ")
        && l.contains("5.9")), table.out());
    assertTrue(table.out().contains("difference"), table.out());
  }

  @Test
  void anEndpointWithoutRecordsSaysHowToGetThem() {
    CliRun run = CliRun.of("report", "--endpoint", "never-deployed", "--days", "2");
    assertEquals(1, run.exitCode());
    assertTrue(run.err().startsWith("error: no InferScale records for endpoint never-deployed"
        + " variant AllTraffic in the last 2 days: deploy the stack for it (DryRun=true"), run.err());
  }

  @Test
  void moreDaysThanCloudWatchKeepsIsRefused() {
    CliRun run = CliRun.of("report", "--endpoint", "e", "--days", "30");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().startsWith("--days must be 1 to 14, got 30"), run.err());
  }

  @Test
  void badFiguresAreRefusedAsTheBacktestRefusesThem() {
    CliRun run = CliRun.of("report", "--endpoint", "e", "--cold-start", "500",
        "--rps-per-instance", "-1");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().startsWith("invalid options: --cold-start must be between 0 and 120,"
        + " got 500; --rps-per-instance must be above 0 and at most 10000000, got -1.0"),
        run.err());
  }

  private static double[] filled(int length, double value) {
    double[] values = new double[length];
    Arrays.fill(values, value);
    return values;
  }
}
