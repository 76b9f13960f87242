package inferscale.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import inferscale.aws.adapters.ForecastChannel;
import inferscale.aws.adapters.InferScaleMetrics;
import inferscale.aws.adapters.MetricPoint;
import inferscale.aws.adapters.MetricSpec;
import inferscale.aws.testing.AwsEmulator;
import inferscale.aws.testing.Fixtures;
import inferscale.aws.testing.TestAwsComponent;
import inferscale.json.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.scheduler.SchedulerClient;

/** The dry-run command against the emulator: a real endpoint, real metrics, nothing changed. */
@ExtendWith(AwsEmulator.class)
class DryRunCommandTest {
  private TestAwsComponent aws;
  private String endpoint;

  @BeforeEach
  void setUp() {
    aws = TestAwsComponent.create();
    endpoint = Fixtures.uniqueName("llm");
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 2, Map.of());
    double[] perMinute = new double[12];
    Arrays.fill(perMinute, 600); // 10 requests per second
    Fixtures.putPerMinute(aws.cloudWatch(), "AWS/SageMaker", "Invocations",
        MetricSpec.variantDimensions(endpoint, Fixtures.VARIANT),
        Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(12, ChronoUnit.MINUTES), perMinute);
  }

  @Test
  void explainsTheDecisionAndChangesNothing() {
    CliRun run = CliRun.of("dry-run", "--endpoint", endpoint,
        "--policy", "{\"targets\": {\"rpsPerInstance\": 2}, \"bounds\": {\"maxInstances\": 20}}");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().startsWith("Scale out " + endpoint + "/AllTraffic from 2 to 5 instances"),
        run.out());
    assertTrue(run.out().contains("dry run: nothing was changed"), run.out());
    assertEquals(2, Fixtures.desiredInstanceCount(aws.sageMaker(), endpoint));
  }

  @Test
  void withoutPolicyDecidesAsTheDeployedStackWould() {
    CliRun bare = CliRun.of("dry-run", "--endpoint", endpoint);
    assertEquals(0, bare.exitCode(), bare.err());
    assertTrue(bare.err().contains("note: no --policy, and no InferScale stack's schedule is for "
        + endpoint + "/AllTraffic: decided with the built-in defaults"), bare.err());
    // The defaults' 1 request a second per instance: 10 needs 10.
    assertTrue(bare.out().startsWith("Scale out " + endpoint + "/AllTraffic from 2 to 10"),
        bare.out());

    String schedule = "inferscale-forecast-" + endpoint;
    try (SchedulerClient scheduler = SchedulerClient.create()) {
      // A stack for a component on the endpoint scales copies: not this variant's policy.
      scheduler.createSchedule(b -> b.name("inferscale-forecast-ic-" + endpoint)
          .scheduleExpression("rate(15 minutes)").flexibleTimeWindow(w -> w.mode("OFF"))
          .target(t -> t.arn("arn:aws:lambda:us-east-1:123456789012:function:forecast")
              .roleArn("arn:aws:iam::123456789012:role/scheduler")
              .input("{\"endpointName\": \"" + endpoint + "\", \"inferenceComponentName\":"
                  + " \"ic\", \"policy\": {\"targets\": {\"rpsPerInstance\": 10}}}")));
      scheduler.createSchedule(b -> b.name(schedule)
          .scheduleExpression("rate(15 minutes)").flexibleTimeWindow(w -> w.mode("OFF"))
          .target(t -> t.arn("arn:aws:lambda:us-east-1:123456789012:function:forecast")
              .roleArn("arn:aws:iam::123456789012:role/scheduler")
              .input("{\"endpointName\": \"" + endpoint + "\", \"variantName\": \""
                  + Fixtures.VARIANT + "\", \"policy\": {\"targets\": {\"rpsPerInstance\": 2},"
                  + " \"bounds\": {\"maxInstances\": 20}}}")));
    }
    CliRun deployed = CliRun.of("dry-run", "--endpoint", endpoint);
    assertEquals(0, deployed.exitCode(), deployed.err());
    assertTrue(deployed.err().contains("note: decided with the policy of the InferScale stack"
        + " for " + endpoint + "/AllTraffic (schedule " + schedule + ")"), deployed.err());
    assertTrue(deployed.out().startsWith("Scale out " + endpoint + "/AllTraffic from 2 to 5"),
        deployed.out());
    // --policy replaces it.
    CliRun given = CliRun.of("dry-run", "--endpoint", endpoint,
        "--policy", "{\"targets\": {\"rpsPerInstance\": 5}}");
    assertEquals(0, given.exitCode(), given.err());
    assertTrue(given.out().contains("action HOLD, 2 -> 2 instances"), given.out());
    assertTrue(!given.err().contains("schedule " + schedule), given.err());
    assertEquals(2, Fixtures.desiredInstanceCount(aws.sageMaker(), endpoint));
  }

  @Test
  void jsonCarriesTheWholeDecision() throws Exception {
    CliRun run = CliRun.of("dry-run", "--endpoint", endpoint, "--format", "json",
        "--policy", "{\"targetRpsPerInstance\": 2}");
    assertEquals(0, run.exitCode(), run.err());
    JsonNode result = Json.mapper().readTree(run.out());
    assertEquals(false, result.get("applied").asBoolean());
    assertEquals(5, result.get("decision").get("to").asInt());
    assertEquals("SCALE_OUT", result.get("decision").get("action").asText());
  }

  @Test
  void readsTheForecastOfTheDeploymentItIsToldOf() throws Exception {
    // Only a dry-run deployment's forecaster has published: 30 RPS in 15 minutes.
    Instant peak = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(15, ChronoUnit.MINUTES);
    aws.metricsPublisher().publish(InferScaleMetrics.NAMESPACE, List.of(new MetricPoint(
        InferScaleMetrics.FORECAST_RPS, ForecastChannel.DRY_RUN.dimensions(endpoint,
            Fixtures.VARIANT), peak, 30.0, "Count/Second")));
    String policy = "{\"targets\": {\"rpsPerInstance\": 2}, \"bounds\": {\"maxInstances\": 20}}";

    JsonNode live = Json.mapper().readTree(CliRun.of("dry-run", "--endpoint", endpoint,
        "--format", "json", "--policy", policy).out());
    assertEquals(0, live.at("/forecast/points").asInt(), live.toString());
    JsonNode rehearsal = Json.mapper().readTree(CliRun.of("dry-run", "--endpoint", endpoint,
        "--format", "json", "--policy", policy, "--dry-run-deployment").out());
    assertTrue(rehearsal.at("/forecast/usedAsFloor").asBoolean(), rehearsal.toString());
    assertEquals(15, rehearsal.at("/decision/predictiveFloor/instances").asInt()); // 30 at 2
    assertEquals(2, Fixtures.desiredInstanceCount(aws.sageMaker(), endpoint));
  }

  @Test
  void badInputNamesTheFlagAndCallsNothing() {
    CliRun badName = CliRun.of("dry-run", "--endpoint", "-bad_name-");
    assertEquals(2, badName.exitCode());
    assertTrue(badName.err().contains("--endpoint must match"), badName.err());

    CliRun badPolicy = CliRun.of("dry-run", "--endpoint", endpoint,
        "--policy", "{\"maxInstances\": 0, \"speed\": 3}");
    assertEquals(2, badPolicy.exitCode());
    // One line, prefixed as the other commands' option problems are, every problem in it.
    assertTrue(badPolicy.err().startsWith("invalid options: --policy: unknown field 'speed'"),
        badPolicy.err());
    assertTrue(badPolicy.err().contains("; --policy: maxInstances must be ≥ 1, got 0"),
        badPolicy.err());

    CliRun notJson = CliRun.of("dry-run", "--endpoint", endpoint, "--policy", "{oops");
    assertEquals(2, notJson.exitCode());
    assertTrue(notJson.err().contains("--policy is not valid JSON"), notJson.err());
  }

  @Test
  void aMissingEndpointIsAClearError() {
    CliRun run = CliRun.of("dry-run", "--endpoint", "no-such-endpoint");
    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("no-such-endpoint"), run.err());
  }
}
