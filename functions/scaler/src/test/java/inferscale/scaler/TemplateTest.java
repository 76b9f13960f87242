package inferscale.scaler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import inferscale.aws.adapters.DecisionMetrics;
import inferscale.aws.adapters.InferScaleMetrics;
import inferscale.aws.invocation.Deployment;
import inferscale.aws.invocation.ForecastInvocation;
import inferscale.aws.invocation.ScalerInvocation;
import inferscale.control.ScalerTask;
import inferscale.decision.Signal;
import inferscale.decision.Timing;
import inferscale.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SAM template must lint clean, point at the jars, and carry its parameters where they act. */
class TemplateTest {
  private static final Path ROOT = Path.of("..", "..");
  private static SamTemplate template;

  @BeforeAll
  static void decode() throws Exception {
    template = SamTemplate.load(ROOT.resolve("template.yaml"));
  }

  @Test
  void cfnLintPasses() throws Exception {
    Process lint;
    try {
      lint = new ProcessBuilder("cfn-lint", "template.yaml").directory(ROOT.toFile())
          .redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("cfn-lint (1.51) must be on the PATH to check template.yaml: "
          + e.getMessage(), e);
    }
    String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(lint.waitFor(5, TimeUnit.MINUTES), "cfn-lint did not finish");
    assertEquals(0, lint.exitValue(), "cfn-lint template.yaml:\n" + output);
  }

  /** sam build runs the Makefile target named after each resource with BuildMethod makefile. */
  @Test
  void samBuildsEveryPackageWithTheMakefileAndPointsAtTheHandlers() throws Exception {
    String makefile = Files.readString(ROOT.resolve("Makefile"));
    List<String> built = new ArrayList<>();
    template.root.path("Resources").fields().forEachRemaining(resource -> {
      if (resource.getValue().at("/Metadata/BuildMethod").asText().equals("makefile")) {
        built.add(resource.getKey());
        JsonNode properties = resource.getValue().get("Properties");
        assertEquals(".", properties.path(properties.has("ContentUri") ? "ContentUri" : "CodeUri")
            .asText(), resource.getKey() + " builds from the repository root");
        assertTrue(makefile.contains("\nbuild-" + resource.getKey() + ":"),
            "the Makefile has no target build-" + resource.getKey());
      }
    });
    assertEquals(List.of("Ec2SdkLayer", "ScalerFunction", "ForecastFunction"), built);
    assertEquals(ScalerHandler.class.getName() + "::handleRequest",
        template.resource("ScalerFunction").at("/Properties/Handler").asText());
    // The forecaster module has its own test of the class name.
    assertEquals("inferscale.forecaster.ForecastHandler::handleRequest",
        template.resource("ForecastFunction").at("/Properties/Handler").asText());
  }

  /** The EC2 SDK is in the scaler's class path only when the capacity check can use it. */
  @Test
  void theEc2LayerIsAttachedOnlyWithTheCapacityCheck() {
    for (String check : List.of("none", "reservations")) {
      JsonNode layers = template.evaluate(
          template.resource("ScalerFunction").at("/Properties/Layers"),
          template.parameters(Map.of("EndpointName", "llm-prod", "CapacityCheck", check)));
      assertEquals(check.equals("reservations") ? "[\"<Ec2SdkLayer>\"]" : "[]",
          layers.toString(), check);
    }
    assertEquals("CheckCapacity", template.resource("Ec2SdkLayer").get("Condition").asText());
  }

  /** EventBridge Scheduler names are at most 64 characters; endpoint and variant up to 63 each. */
  @Test
  void scheduleNamesAreUniquePerStackAndShortWhateverTheEndpoint() {
    String longest = "e".repeat(62) + "1";
    Map<String, String> parameters = Map.of("EndpointName", longest, "VariantName", longest);
    Set<String> names = new HashSet<>();
    for (String schedule : List.of("ScalerFunction/Properties/Events/Cycle",
        "ForecastFunction/Properties/Events/Forecast")) {
      String[] path = schedule.split("/", 2);
      String name = template.evaluate(template.resource(path[0]).at("/" + path[1]
          + "/Properties/Name"), template.parameters(parameters)).asText();
      assertTrue(name.length() <= 64, name.length() + " characters: " + name);
      assertTrue(name.endsWith(SamTemplate.STACK_UUID), name);
      names.add(name);
    }
    assertEquals(2, names.size(), names.toString());
  }

  /**
   * A redeploy that only changes a parameter must still move the live alias, which the schedules
   * invoke: SAM publishes a new version only when its hash changes, and the hash sees neither
   * parameter values nor layers. So whatever a parameter changes in a function's environment or
   * layers must change its version description too.
   */
  @Test
  void aParameterThatChangesAFunctionChangesItsPublishedVersion() {
    Map<String, Set<String>> changing = Map.of("ScalerFunction", new HashSet<>(),
        "ForecastFunction", new HashSet<>());
    changing.forEach((function, parameters) -> {
      JsonNode properties = template.resource(function).get("Properties");
      template.root.path("Parameters").fields().forEachRemaining(parameter -> {
        for (JsonNode value : parameter.getValue().path("AllowedValues")) {
          Map<String, String> base = template.parameters(Map.of("EndpointName", "llm-prod"));
          Map<String, String> changed = template.parameters(
              Map.of("EndpointName", "llm-prod", parameter.getKey(), value.asText()));
          boolean codeChanged = List.of("Environment", "Layers").stream().anyMatch(field ->
              !template.evaluate(properties.path(field), base)
                  .equals(template.evaluate(properties.path(field), changed)));
          if (codeChanged) {
            parameters.add(parameter.getKey());
            assertNotEquals(template.evaluate(properties.get("VersionDescription"), base),
                template.evaluate(properties.get("VersionDescription"), changed),
                function + ": " + parameter.getKey() + "=" + value.asText()
                    + " changes it, but not its VersionDescription");
          }
        }
      });
    });
    assertEquals(Map.of("ScalerFunction", Set.of("DryRun", "CapacityCheck"),
        "ForecastFunction", Set.of("DryRun")), changing);
  }

  /** ScalerEnabled=DISABLED stops both schedules: a stopped scaler needs no forecasts. */
  @Test
  void scalerEnabledStartsAndStopsBothSchedules() {
    for (String state : List.of("ENABLED", "DISABLED")) {
      Map<String, String> parameters = template.parameters(
          Map.of("EndpointName", "llm-prod", "ScalerEnabled", state));
      assertEquals(state, template.evaluate(template.resource("ScalerFunction")
          .at("/Properties/Events/Cycle/Properties/State"), parameters).asText());
      assertEquals(state, template.evaluate(template.resource("ForecastFunction")
          .at("/Properties/Events/Forecast/Properties/State"), parameters).asText());
    }
  }

  private static JsonNode scalerSchedule(Map<String, String> parameters) {
    return template.evaluate(
        template.resource("ScalerFunction").at("/Properties/Events/Cycle/Properties"),
        template.parameters(parameters));
  }

  private static JsonNode input(JsonNode schedule) throws Exception {
    return Json.mapper().readTree(schedule.get("Input").asText());
  }

  @Test
  void theParametersReachTheScheduleInputAsAValidRequest() throws Exception {
    Map<String, String> parameters = Map.ofEntries(Map.entry("EndpointName", "llm-prod"),
        Map.entry("MinInstances", "3"), Map.entry("MaxInstances", "24"),
        Map.entry("TargetRpsPerInstance", "2.5"), Map.entry("MaxRpsPerInstance", "3.5"),
        Map.entry("ColdStartMinutes", "14"), Map.entry("DryRun", "false"),
        Map.entry("CapacityCheck", "reservations"), Map.entry("ScalerSchedule", "rate(2 minutes)"),
        Map.entry("ExtraPolicyFields", "\"targets.signals\": [\"rps\", \"kvCache\"],"
            + " \"targets.kvUsage\": 0.8, \"scaleIn\": {\"cooldownMinutes\": 15}"),
        Map.entry("ForecastIntervalMinutes", "20"));
    JsonNode schedule = scalerSchedule(parameters);

    assertEquals("rate(2 minutes)", schedule.get("ScheduleExpression").asText());
    ScalerTask request = ScalerInvocation.parse(input(schedule), Deployment.standard()).task();
    assertEquals("llm-prod", request.endpointName());
    assertEquals("AllTraffic", request.variantName());
    assertEquals(3, request.policy().bounds().minInstances());
    assertEquals(24, request.policy().bounds().maxInstances());
    assertEquals(2.5, request.policy().targets().rpsPerInstance());
    assertEquals(3.5, request.policy().targets().maxRpsPerInstance());
    assertEquals(14, request.policy().timing().coldStartMinutes());
    assertEquals(Set.of(Signal.RPS, Signal.KV_CACHE), request.policy().targets().signals());
    assertEquals(0.8, request.policy().targets().kvUsage());
    assertEquals(15, request.policy().scaleIn().cooldownMinutes());
    assertEquals(new Timing(14, 2, 20), request.policy().timing());
    assertFalse(request.dryRun());
    assertEquals("reservations", request.capacityMode().jsonName());
    assertEquals(java.util.Map.of(), ScalerInvocation.parse(input(schedule),
        Deployment.standard()).deprecatedFields(), "the template writes the grouped form");

    // The forecaster gets the very same policy, so both agree on the timing.
    JsonNode forecast = template.evaluate(
        template.resource("ForecastFunction").at("/Properties/Events/Forecast/Properties"),
        template.parameters(parameters));
    assertEquals(input(schedule).get("policy"), input(forecast).get("policy"));
    assertEquals(new Timing(14, 2, 20), ForecastInvocation.parse(input(forecast),
        Deployment.standard()).task().timing());
  }

  @Test
  void byDefaultTheScheduleIsADryRunEveryMinuteAndTheForecastEveryQuarterHour()
      throws Exception {
    JsonNode schedule = scalerSchedule(Map.of("EndpointName", "llm-prod"));
    assertEquals("rate(1 minute)", schedule.get("ScheduleExpression").asText());
    ScalerTask request = ScalerInvocation.parse(input(schedule), Deployment.standard()).task();
    assertTrue(request.dryRun(), "DryRun defaults to true");
    assertEquals(1, request.policy().bounds().minInstances());
    assertEquals(10, request.policy().bounds().maxInstances());
    assertNull(request.policy().targets().maxRpsPerInstance(), "the floor is at the target unless set");
    JsonNode env = template.evaluate(
        template.resource("ScalerFunction").at("/Properties/Environment/Variables"),
        template.parameters(Map.of("EndpointName", "llm-prod")));
    assertEquals("true", env.get("DRY_RUN").asText());

    JsonNode forecast = template.evaluate(
        template.resource("ForecastFunction").at("/Properties/Events/Forecast/Properties"),
        template.parameters(Map.of("EndpointName", "llm-prod")));
    assertEquals("rate(15 minutes)", forecast.get("ScheduleExpression").asText());
    assertEquals(Json.mapper().readTree(Files.readString(ROOT.resolve(
        "events/forecast-schedule.json"))), input(forecast));
    // The forecaster learns its own interval, so its forecast lasts until the next run.
    JsonNode halfHourly = template.evaluate(
        template.resource("ForecastFunction").at("/Properties/Events/Forecast/Properties"),
        template.parameters(Map.of("EndpointName", "llm-prod", "ForecastIntervalMinutes", "30")));
    assertEquals("rate(30 minutes)", halfHourly.get("ScheduleExpression").asText());
    assertEquals(30, ForecastInvocation.parse(input(halfHourly), Deployment.standard()).task()
        .timing().forecastIntervalMinutes());
  }

  /** events/scaler-schedule.json is exactly what a deployed schedule sends. */
  @Test
  void theSchedulerSampleIsWhatTheScheduleSends() throws Exception {
    JsonNode rendered = input(scalerSchedule(Map.of("EndpointName", "llm-prod",
        "MinInstances", "2", "MaxInstances", "16", "TargetRpsPerInstance", "4.0",
        "ColdStartMinutes", "10", "DryRun", "false", "CapacityCheck", "reservations")));
    assertEquals(Json.mapper().readTree(Files.readString(ROOT.resolve(
        "events/scaler-schedule.json"))), rendered);
  }

  /**
   * The scaler may change only its endpoint (a SageMaker action that is not a Describe or List
   * is allowed on the endpoint's ARN only), tag it only with its own last-ask tag, and publishes
   * no metrics through the API; the forecaster publishes only into InferScale's namespace.
   */
  @Test
  void onlyTheEndpointMayBeUpdatedAndOnlyInferScaleMetricsPublished() {
    String derived = "arn:aws:sagemaker:us-east-1:123456789012:endpoint/llm-prod";
    String given = "arn:aws:sagemaker:us-east-1:123456789012:endpoint/llm-prod-blue";
    for (Map<String, String> values : List.of(Map.of("EndpointName", "llm-prod"),
        Map.of("EndpointName", "llm-prod", "EndpointArns", given))) {
      String endpoint = values.containsKey("EndpointArns") ? given : derived;
      JsonNode scaler = template.evaluate(template.resource("ScalerRole"),
          template.parameters(values));
      Set<String> writes = new HashSet<>();
      for (JsonNode statement : scaler.at("/Properties/Policies/0/PolicyDocument/Statement")) {
        List<String> actions = new ArrayList<>();
        JsonNode action = statement.get("Action");
        (action.isArray() ? action : Json.mapper().createArrayNode().add(action))
            .forEach(a -> actions.add(a.asText()));
        for (String name : actions) {
          if (name.startsWith("sagemaker:") && !name.startsWith("sagemaker:Describe")
              && !name.startsWith("sagemaker:List")) {
            writes.add(name);
            assertEquals(endpoint, statement.get("Resource").asText(), statement.toString());
          }
        }
        if (actions.contains("sagemaker:AddTags")) {
          assertEquals(List.of("sagemaker:AddTags"), actions, "its own statement: " + statement);
          assertEquals("[\"inferscale:last-ask\"]", statement.at(
              "/Condition/ForAllValues:StringEquals/aws:TagKeys").toString(), statement.toString());
        }
        // the scaler publishes through EMF log lines, not the API
        assertFalse(actions.contains("cloudwatch:PutMetricData"), statement.toString());
      }
      assertEquals(Set.of("sagemaker:UpdateEndpointWeightsAndCapacities", "sagemaker:AddTags"),
          writes, values.toString());
    }

    Map<String, String> parameters = template.parameters(Map.of("EndpointName", "llm-prod"));
    JsonNode forecast = template.evaluate(template.resource("ForecastRole"), parameters);
    boolean sawPut = false;
    for (JsonNode statement : forecast.at("/Properties/Policies/0/PolicyDocument/Statement")) {
      if (statement.get("Action").toString().contains("cloudwatch:PutMetricData")) {
        sawPut = true;
        assertEquals(InferScaleMetrics.NAMESPACE,
            statement.at("/Condition/StringEquals/cloudwatch:namespace").asText());
      }
    }
    assertTrue(sawPut);
    assertFalse(forecast.toString().contains("sagemaker:"),
        "the forecaster reads the pause tag through the tagging API: " + forecast);
    for (String group : List.of("ScalerLogGroup", "ForecastLogGroup")) {
      assertEquals("30", template.evaluate(template.resource(group), parameters)
          .at("/Properties/RetentionInDays").asText());
    }
  }

  @Test
  void theDashboardGraphsTrafficForecastInstancesFloorsAndDecisions() throws Exception {
    JsonNode dashboard = template.evaluate(template.resource("Dashboard"),
        template.parameters(Map.of("EndpointName", "llm-prod", "VariantName", "Blue")));
    assertEquals("AWS::CloudWatch::Dashboard", dashboard.get("Type").asText());
    assertEquals("inferscale-llm-prod-Blue", dashboard.at("/Properties/DashboardName").asText());
    JsonNode body = Json.mapper().readTree(dashboard.at("/Properties/DashboardBody").asText());

    Set<String> metrics = new HashSet<>();
    List<String> expressions = new ArrayList<>();
    for (JsonNode widget : body.get("widgets")) {
      assertEquals("us-east-1", widget.at("/properties/region").asText());
      for (JsonNode metric : widget.at("/properties/metrics")) {
        if (metric.get(0).isObject()) {
          expressions.add(metric.get(0).get("expression").asText());
          continue;
        }
        // [namespace, name, "EndpointName", endpoint, "VariantName", variant, {options}]
        assertEquals(List.of("EndpointName", "llm-prod", "VariantName", "Blue"),
            List.of(metric.get(2).asText(), metric.get(3).asText(), metric.get(4).asText(),
                metric.get(5).asText()), metric.toString());
        metrics.add(metric.get(0).asText() + "/" + metric.get(1).asText());
      }
    }
    String ns = InferScaleMetrics.NAMESPACE + "/";
    assertEquals(Set.of("AWS/SageMaker/Invocations", ns + InferScaleMetrics.FORECAST_RPS,
        ns + "ForecastRpsExpected", ns + DecisionMetrics.DESIRED, ns + DecisionMetrics.CURRENT,
        ns + DecisionMetrics.PREDICTIVE_FLOOR, ns + DecisionMetrics.REACTIVE,
        ns + DecisionMetrics.CAPACITY_HEADROOM, ns + DecisionMetrics.ACTION,
        ns + DecisionMetrics.APPLIED, ns + DecisionMetrics.OBSERVED_REQUESTS,
        ns + DecisionMetrics.CAPACITY_PER_INSTANCE, ns + InferScaleMetrics.BUDGET_BURN_PERCENT,
        ns + InferScaleMetrics.BUDGET_WEEK_BURN_PERCENT, ns + InferScaleMetrics.BUDGET_UTILIZATION,
        "AWS/SageMaker/InvocationsPerInstance"),
        metrics);
    // the forecast (requests per second) is drawn per minute, like Invocations
    assertEquals(List.of("fp90 * 60", "fexp * 60"), expressions.subList(0, 2));
  }

  /**
   * What the scaler publishes by Mode (a dry run's as Shadow), summed per minute into
   * instance-hours and estimated minutes over capacity, over a day and over a week.
   */
  @Test
  void theShadowScoringRowTotalsTheDeploymentsOwnModeOverADayAndAWeek() throws Exception {
    for (String dryRun : List.of("true", "false")) {
      JsonNode dashboard = template.evaluate(template.resource("Dashboard"),
          template.parameters(Map.of("EndpointName", "llm-prod", "DryRun", dryRun)));
      JsonNode body = Json.mapper().readTree(dashboard.at("/Properties/DashboardBody").asText());
      String mode = dryRun.equals("true")
          ? InferScaleMetrics.MODE_SHADOW : InferScaleMetrics.MODE_LIVE;
      List<String> starts = new ArrayList<>();
      for (JsonNode widget : body.get("widgets")) {
        JsonNode properties = widget.get("properties");
        if (!properties.path("view").asText().equals("singleValue")) {
          continue;
        }
        starts.add(properties.get("start").asText());
        assertEquals(60, properties.get("period").asInt(), "per minute, as the scaler decides");
        assertTrue(properties.get("title").asText().contains(mode), properties.toString());
        Map<String, String> metricIds = new HashMap<>();
        Map<String, String> expressions = new HashMap<>();
        for (JsonNode metric : properties.get("metrics")) {
          if (metric.get(0).isObject()) {
            expressions.put(metric.get(0).get("id").asText(),
                metric.get(0).get("expression").asText());
            continue;
          }
          assertEquals(List.of(InferScaleMetrics.MODE, mode),
              List.of(metric.get(6).asText(), metric.get(7).asText()), metric.toString());
          metricIds.put(metric.get(1).asText(), metric.get(8).get("id").asText());
        }
        String asked = metricIds.get(DecisionMetrics.DESIRED);
        String had = metricIds.get(DecisionMetrics.CURRENT);
        String requests = metricIds.get(DecisionMetrics.OBSERVED_REQUESTS);
        String capacity = metricIds.get(DecisionMetrics.CAPACITY_PER_INSTANCE);
        assertEquals(Map.of(
            "askedh", "RUNNING_SUM(" + asked + ") / 60",
            "hadh", "RUNNING_SUM(" + had + ") / 60",
            "diffh", "askedh - hadh",
            "askedover", "RUNNING_SUM(IF(" + requests + " > " + asked + " * " + capacity
                + ", 1, 0))",
            "hadover", "RUNNING_SUM(IF(" + requests + " > " + had + " * " + capacity
                + ", 1, 0))"), expressions);
      }
      assertEquals(List.of("-PT24H", "-P7D"), starts, "DryRun " + dryRun);
    }
  }

  /** Both functions must agree on the mode: the scaler reads the channel the forecaster fills. */
  @Test
  void bothFunctionsTakeTheDeploymentsDryRun() {
    for (String dryRun : List.of("true", "false")) {
      for (String function : List.of("ScalerFunction", "ForecastFunction")) {
        JsonNode env = template.evaluate(
            template.resource(function).at("/Properties/Environment/Variables"),
            template.parameters(Map.of("EndpointName", "llm-prod", "DryRun", dryRun)));
        assertEquals(dryRun, env.get("DRY_RUN").asText(), function);
      }
    }
  }

  @Test
  void theDashboardDrawsTheForecastOfItsOwnModeOnly() throws Exception {
    for (String dryRun : List.of("true", "false")) {
      JsonNode dashboard = template.evaluate(template.resource("Dashboard"),
          template.parameters(Map.of("EndpointName", "llm-prod", "DryRun", dryRun)));
      JsonNode body = Json.mapper().readTree(dashboard.at("/Properties/DashboardBody").asText());
      List<String> forecastDimensions = new ArrayList<>();
      for (JsonNode metric : body.at("/widgets/0/properties/metrics")) {
        if (metric.get(0).asText().equals(InferScaleMetrics.NAMESPACE)) {
          List<String> dimensions = new ArrayList<>();
          for (int i = 2; i < metric.size() && metric.get(i).isTextual(); i++) {
            dimensions.add(metric.get(i).asText());
          }
          forecastDimensions.add(metric.get(1).asText() + " " + dimensions);
        }
      }
      String mode = dryRun.equals("true") ? ", Mode, DryRun" : "";
      assertEquals(List.of(
          "ForecastRps [EndpointName, llm-prod, VariantName, AllTraffic" + mode + "]",
          "ForecastRpsExpected [EndpointName, llm-prod, VariantName, AllTraffic" + mode + "]"),
          forecastDimensions, "DryRun " + dryRun);
    }
  }

  @Test
  void outputsNameTheFunctionsTheDashboardAndTheLogGroups() {
    Set<String> outputs = new HashSet<>();
    template.root.path("Outputs").fieldNames().forEachRemaining(outputs::add);
    assertTrue(outputs.containsAll(Set.of("ScalerFunctionArn", "ForecastFunctionArn",
        "ScalerFunctionName", "ForecastFunctionName", "DashboardName", "DashboardUrl",
        "ScalerLogGroupName", "ForecastLogGroupName", "ScalerScheduleName",
        "ForecastScheduleName")), outputs.toString());
    JsonNode url = template.evaluate(template.root.at("/Outputs/DashboardUrl/Value"),
        template.parameters(Map.of("EndpointName", "llm-prod")));
    assertEquals("https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1"
        + "#dashboards:name=<Dashboard>", url.asText());
  }
}
