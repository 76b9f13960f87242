package inferscale.scaler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import inferscale.aws.adapters.MetricSpec;
import inferscale.aws.invocation.InvalidRequestException;
import inferscale.aws.testing.AwsEmulator;
import inferscale.aws.testing.Fixtures;
import inferscale.aws.testing.TestAwsComponent;
import inferscale.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The handler as Lambda runs it, wired by its own Dagger component, against the emulator. */
@ExtendWith(AwsEmulator.class)
class ScalerHandlerTest {
  private TestAwsComponent aws;
  private String endpoint;
  private final List<String> log = new ArrayList<>();

  @BeforeEach
  void setUp() {
    aws = TestAwsComponent.create();
    endpoint = Fixtures.uniqueName("llm");
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 2, Map.of());
    double[] sums = new double[12];
    Arrays.fill(sums, 10.0 * 60); // 10 requests per second
    Fixtures.putPerMinute(aws.cloudWatch(), "AWS/SageMaker", "Invocations",
        MetricSpec.variantDimensions(endpoint, Fixtures.VARIANT),
        Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(12, ChronoUnit.MINUTES), sums);
  }

  private ScalerHandler handler(Map<String, String> env) {
    return new ScalerHandler(DaggerScalerComponent.create().wiring(), env, log::add);
  }

  private JsonNode invoke(ScalerHandler handler, String event) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
        null);
    return Json.mapper().readTree(out.toByteArray());
  }

  /** A sample from events/, aimed at this test's endpoint. */
  private String sample(String file) throws Exception {
    return Files.readString(Path.of("..", "..", "events", file)).replace("llm-prod", endpoint);
  }

  @Test
  void aManualDryRunExplainsTheDecisionAndChangesNothing() throws Exception {
    JsonNode result = invoke(handler(Map.of("CAPACITY_CHECK", "none")),
        sample("dry-run.json"));

    // 10 rps at 4 rps per instance → 3 instances
    assertEquals("SCALE_OUT", result.at("/decision/action").asText(), result.toString());
    assertEquals(3, result.at("/decision/to").asInt());
    assertFalse(result.get("applied").asBoolean());
    assertEquals("DRY_RUN", result.at("/notApplied/0").asText());
    assertFalse(result.at("/decision/explanation").asText().isBlank());
    assertEquals(2, Fixtures.desiredInstanceCount(aws.sageMaker(), endpoint));
    // the cycle's record (two EMF lines: the decision, the demand seen), then the result line
    assertEquals(3, log.size(), log.toString());
    for (String emf : log.subList(0, 2)) {
      assertEquals("InferScale",
          Json.mapper().readTree(emf).at("/_aws/CloudWatchMetrics/0/Namespace").asText());
    }
    assertEquals(result, Json.mapper().readTree(log.get(2)));
  }

  @Test
  void theScheduledEnvelopeIsAppliedAndVisibleInDescribeEndpoint() throws Exception {
    JsonNode result = invoke(handler(Map.of("CAPACITY_CHECK", "none")),
        sample("scaler-eventbridge-envelope.json"));

    assertTrue(result.get("applied").asBoolean(), result.toString());
    assertEquals(3, Fixtures.desiredInstanceCount(aws.sageMaker(), endpoint));
  }

  @Test
  void theDeploymentsDryRunWins() throws Exception {
    JsonNode result = invoke(handler(Map.of("DRY_RUN", "true", "CAPACITY_CHECK", "none")),
        sample("scaler-eventbridge-envelope.json"));

    assertFalse(result.get("applied").asBoolean());
    assertTrue(result.get("dryRun").asBoolean());
    assertEquals(2, Fixtures.desiredInstanceCount(aws.sageMaker(), endpoint));
  }

  @Test
  void invalidInputNamesTheFieldAndChangesNothing() throws Exception {
    ScalerHandler handler = handler(Map.of());
    String event = "{\"endpointName\":\"" + endpoint + "\",\"variantName\":\"All_Traffic\","
        + "\"policy\":{\"bounds\":{\"maxInstances\":-1}},\"dryRun\":false}";

    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> invoke(handler, event));

    assertTrue(e.getMessage().contains("variantName must match"), e.getMessage());
    assertTrue(e.getMessage().contains("policy: bounds.maxInstances must be ≥ 1, got -1"),
        e.getMessage());
    assertEquals(2, Fixtures.desiredInstanceCount(aws.sageMaker(), endpoint));
    assertEquals(1, log.size());
    assertTrue(log.get(0).contains("\"invalid request\""), log.get(0));
  }

  @Test
  void aFlatPolicyStillWorksAndTheLogSaysItIsDeprecated() throws Exception {
    JsonNode result = invoke(handler(Map.of("CAPACITY_CHECK", "none")), "{\"endpointName\":\""
        + endpoint + "\",\"variantName\":\"AllTraffic\",\"dryRun\":true,"
        + "\"policy\":{\"targetRpsPerInstance\":4.0,\"maxInstances\":16}}");

    assertEquals(3, result.at("/decision/to").asInt(), result.toString());
    JsonNode warning = Json.mapper().readTree(log.get(0));
    assertEquals("WARN", warning.get("level").asText());
    assertEquals("bounds.maxInstances", warning.at("/deprecatedFields/maxInstances").asText());
    assertEquals(endpoint, warning.get("endpointName").asText());
  }

  @Test
  void budgetBoundsThePolicyCannotUseAreLoggedAndTheCycleRuns() throws Exception {
    JsonNode result = invoke(handler(Map.of("CAPACITY_CHECK", "none")), "{\"endpointName\":\""
        + endpoint + "\",\"variantName\":\"AllTraffic\",\"dryRun\":true,"
        + "\"policy\":{\"targets\":{\"rpsPerInstance\":4.0},\"bounds\":{\"maxInstances\":16},"
        + "\"budget\":{\"minFloorBand\":0.5}}}");

    assertEquals(3, result.at("/decision/to").asInt(), result.toString());
    JsonNode warning = Json.mapper().readTree(log.get(0));
    assertEquals("WARN", warning.get("level").asText());
    assertEquals("budget.minFloorBand has no effect without budget.unservedPercent",
        warning.at("/unusedBudgetBounds/0").asText(), warning.toString());
    assertEquals(endpoint, warning.get("endpointName").asText());
  }

  @Test
  void aFailedReadIsAHoldWithAReasonCodeNotAnException() throws Exception {
    String event = "{\"endpointName\":\"no-such-endpoint\",\"variantName\":\"AllTraffic\"}";
    JsonNode result = invoke(handler(Map.of()), event);

    assertEquals("ENDPOINT_NOT_FOUND", result.get("reason").asText(), result.toString());
    assertEquals("HOLD", result.get("action").asText());
    JsonNode line = Json.mapper().readTree(log.get(0));
    assertEquals("ERROR", line.get("level").asText());
    assertEquals("cycle failed: holding", line.get("message").asText());
    assertEquals("ENDPOINT_NOT_FOUND", line.get("reason").asText());
  }
}
