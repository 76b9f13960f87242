package inferscale.scaler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import inferscale.aws.adapters.DecisionMetrics;
import inferscale.aws.adapters.InferScaleMetrics;
import inferscale.aws.fleet.DispatchReport;
import inferscale.fleet.EndpointTags;
import inferscale.json.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** FleetMode=on: one stack for every tagged endpoint, with the least privilege kept. */
class FleetTemplateTest {
  private static final String ENDPOINTS = "arn:aws:sagemaker:us-east-1:123456789012:endpoint/*";
  private static final String COMPONENTS =
      "arn:aws:sagemaker:us-east-1:123456789012:inference-component/*";
  private static SamTemplate template;
  private static Map<String, String> fleet;

  @BeforeAll
  static void decode() throws Exception {
    template = SamTemplate.load(Path.of("..", "..", "template.yaml"));
    fleet = template.parameters(Map.of("FleetMode", "on"));
  }

  private static List<String> actions(JsonNode statement) {
    List<String> actions = new ArrayList<>();
    JsonNode action = statement.get("Action");
    (action.isArray() ? action : Json.mapper().createArrayNode().add(action))
        .forEach(a -> actions.add(a.asText()));
    return actions;
  }

  private static JsonNode statements(String role) {
    return template.evaluate(template.resource(role), fleet)
        .at("/Properties/Policies/0/PolicyDocument/Statement");
  }

  /**
   * The scaler may change only what carries the opt-in tag: every SageMaker action that is not a
   * Describe or List is on endpoints or components, on the condition of the tag.
   */
  @Test
  void theScalerMayChangeOnlyWhatCarriesTheOptInTag() {
    List<String> writes = new ArrayList<>();
    for (JsonNode statement : statements("ScalerRole")) {
      for (String action : actions(statement)) {
        if (action.startsWith("sagemaker:") && !action.startsWith("sagemaker:Describe")
            && !action.startsWith("sagemaker:List")) {
          writes.add(action);
          assertEquals("true", statement.at("/Condition/StringEquals/aws:ResourceTag~1"
              + EndpointTags.ENABLED.replace("/", "~1")).asText(), statement.toString());
          String resources = statement.get("Resource").toString();
          assertTrue(resources.contains(ENDPOINTS) || resources.contains(COMPONENTS), resources);
          resources.replace(ENDPOINTS, "").replace(COMPONENTS, "").chars()
              .filter(c -> c == '*').findAny().ifPresent(c -> {
                throw new AssertionError("a write on every resource: " + statement);
              });
        }
        if (action.equals("sagemaker:AddTags")) {
          assertEquals("[\"inferscale:last-ask\"]", statement.at(
              "/Condition/ForAllValues:StringEquals/aws:TagKeys").toString(), statement.toString());
        }
      }
    }
    assertEquals(List.of("sagemaker:UpdateEndpointWeightsAndCapacities",
        "sagemaker:UpdateInferenceComponentRuntimeConfig", "sagemaker:AddTags"), writes);
  }

  @Test
  void theDispatcherReadsAndSendsTurnsOnlyToItsTwoQueues() {
    for (JsonNode statement : statements("FleetDispatcherRole")) {
      for (String action : actions(statement)) {
        assertTrue(action.startsWith("logs:") || action.startsWith("sagemaker:Describe")
            || action.startsWith("sagemaker:List") || action.equals("tag:GetResources")
            || action.equals("cloudwatch:GetMetricData") || action.startsWith("servicequotas:List")
            || action.equals("sqs:SendMessage"), action);
        if (action.equals("sqs:SendMessage")) {
          assertEquals("[\"<ScalerQueue.Arn>\",\"<ForecastQueue.Arn>\"]",
              statement.get("Resource").toString());
        }
      }
    }
    for (String role : List.of("ScalerRole", "ForecastRole")) {
      assertTrue(statements(role).toString().contains("sqs:ReceiveMessage"), role);
    }
    assertFalse(template.evaluate(template.resource("ScalerRole"),
        template.parameters(Map.of("EndpointName", "llm-prod"))).toString().contains("sqs:"),
        "one endpoint's scaler has no queue");
  }

  @Test
  void theDispatchersScheduleRunsTheFleetAndTheOneEndpointsSchedulesAndRulesAreOff() {
    JsonNode scaler = template.evaluate(template.resource("ScalerFunction"), fleet);
    assertEquals("DISABLED", scaler.at("/Properties/Events/Cycle/Properties/State").asText());
    assertEquals("DISABLED",
        scaler.at("/Properties/Events/EndpointState/Properties/State").asText());
    assertEquals("", scaler.at("/Properties/Environment/Variables/SCALER_REQUEST").asText());
    JsonNode forecaster = template.evaluate(template.resource("ForecastFunction"), fleet);
    assertEquals("DISABLED",
        forecaster.at("/Properties/Events/Forecast/Properties/State").asText());

    JsonNode dispatcher = template.evaluate(template.resource("FleetDispatcherFunction"), fleet);
    assertEquals("FleetOn", template.resource("FleetDispatcherFunction").get("Condition")
        .asText());
    JsonNode events = dispatcher.at("/Properties/Events");
    assertEquals("{\"fanOut\": \"scaler\"}", events.at("/Cycle/Properties/Input").asText());
    assertEquals("rate(1 minute)", events.at("/Cycle/Properties/ScheduleExpression").asText());
    assertEquals("{\"fanOut\": \"forecaster\"}", events.at("/Forecast/Properties/Input").asText());
    assertEquals("rate(15 minutes)",
        events.at("/Forecast/Properties/ScheduleExpression").asText());
    assertEquals("<ScalerQueue>",
        dispatcher.at("/Properties/Environment/Variables/SCALER_QUEUE_URL").asText());
    Map<String, String> stopped = template.parameters(Map.of("FleetMode", "on",
        "ScalerEnabled", "DISABLED"));
    assertEquals("DISABLED", template.evaluate(template.resource("FleetDispatcherFunction"),
        stopped).at("/Properties/Events/Cycle/Properties/State").asText());
    assertFalse(template.condition("IsEnabled", stopped), "the queues' mappings stop too");
  }

  @Test
  void eachFunctionTakesItsFifoQueueInBatchesAndFailedTurnsEndInAnAlarmedDeadLetterQueue() {
    for (String[] pair : new String[][] {{"ScalerQueueMapping", "ScalerQueue",
        "<ScalerFunction.Alias>", "ScalerDeadLetterQueue", "ScalerDeadLetterAlarm"},
        {"ForecastQueueMapping", "ForecastQueue", "<ForecastFunction.Alias>",
            "ForecastDeadLetterQueue", "ForecastDeadLetterAlarm"}}) {
      JsonNode mapping = template.evaluate(template.resource(pair[0]), fleet)
          .get("Properties");
      assertEquals("<" + pair[1] + ".Arn>", mapping.get("EventSourceArn").asText());
      assertEquals(pair[2].replace("<", "").replace(">", ""),
          template.resource(pair[0]).at("/Properties/FunctionName/Ref").asText());
      assertEquals("[\"ReportBatchItemFailures\"]",
          mapping.get("FunctionResponseTypes").toString());
      // A FIFO queue scales to one poller per group: capped below the region's default 1,000.
      assertTrue(mapping.at("/ScalingConfig/MaximumConcurrency").asInt() <= 50, pair[0]);
      JsonNode queue = template.evaluate(template.resource(pair[1]), fleet).get("Properties");
      assertTrue(queue.get("FifoQueue").asBoolean(), pair[1]);
      assertEquals("<" + pair[3] + ".Arn>",
          queue.at("/RedrivePolicy/deadLetterTargetArn").asText());
      assertTrue(template.evaluate(template.resource(pair[3]), fleet)
          .at("/Properties/FifoQueue").asBoolean());
      // A turn that keeps failing must live long enough to reach the dead-letter queue.
      assertTrue(queue.get("MessageRetentionPeriod").asInt() > queue.at(
          "/RedrivePolicy/maxReceiveCount").asInt() * queue.get("VisibilityTimeout").asInt(),
          queue.toString());
      JsonNode alarm = template.evaluate(template.resource(pair[4]), fleet).get("Properties");
      assertEquals("<" + pair[3] + ".QueueName>", alarm.at("/Dimensions/0/Value").asText());
      assertEquals("GreaterThanThreshold", alarm.get("ComparisonOperator").asText());
      assertEquals(0, alarm.get("Threshold").asInt());
    }
  }

  /** The dispatcher swallows its failures (a hold), so their absence of cycles must alarm. */
  @Test
  void aDispatcherThatCompletesNoCycleAlarms() {
    JsonNode alarm = template.evaluate(template.resource("FleetDispatcherAlarm"), fleet)
        .get("Properties");
    assertEquals(DispatchReport.ENDPOINTS, alarm.get("MetricName").asText());
    assertEquals("breaching", alarm.get("TreatMissingData").asText());
    assertEquals("[{\"Name\":\"FanOut\",\"Value\":\"SCALER\"},{\"Name\":\"Stack\","
        + "\"Value\":\"" + SamTemplate.STACK_NAME + "\"}]", alarm.get("Dimensions").toString());
    JsonNode env = template.evaluate(template.resource("FleetDispatcherFunction"), fleet)
        .at("/Properties/Environment/Variables");
    assertEquals(SamTemplate.STACK_NAME, env.get("FLEET_NAME").asText());
    assertEquals("15", env.get("FORECAST_INTERVAL_MINUTES").asText());
  }

  @Test
  void theFleetDashboardDrawsEveryEndpointAndTheQuotasAndTheOneEndpointsStaysOut()
      throws Exception {
    String body = template.evaluate(template.resource("FleetDashboard"), fleet)
        .at("/Properties/DashboardBody").asText();
    JsonNode dashboard = Json.mapper().readTree(body);
    assertTrue(dashboard.get("widgets").size() >= 8);
    for (String metric : List.of(DecisionMetrics.DESIRED, DecisionMetrics.CURRENT,
        DecisionMetrics.ACTION, DecisionMetrics.NEEDED, DispatchReport.ENDPOINTS,
        DispatchReport.SKIPPED, DispatchReport.SENT, DispatchReport.REFUSED,
        DispatchReport.QUOTA_APPLIED, DispatchReport.QUOTA_IN_USE,
        InferScaleMetrics.BUDGET_WEEK_BURN_PERCENT, InferScaleMetrics.BUDGET_UTILIZATION,
        InferScaleMetrics.BUDGET_FLOOR_BAND)) {
      assertTrue(body.contains(metric), metric);
    }
    for (String oneEndpoint : List.of("Dashboard", "CapacityAlarm", "BurstAlarm")) {
      String condition = template.resource(oneEndpoint).get("Condition").asText();
      assertFalse(template.condition(condition, fleet), oneEndpoint);
    }
  }

  @Test
  void theRulesRefuseAFleetWithOneEndpointsOptionsAndOneEndpointWithoutItsName() {
    assertEquals(List.of("EndpointName is required unless FleetMode is on."),
        template.brokenRules(template.parameters(Map.of())));
    assertEquals(List.of(), template.brokenRules(fleet));
    assertEquals(2, template.brokenRules(template.parameters(Map.of("FleetMode", "on",
        "FastPath", "Enabled", "TargetConcurrencyPerInstance", "8",
        "InferenceComponentName", "chat"))).size());
  }
}
