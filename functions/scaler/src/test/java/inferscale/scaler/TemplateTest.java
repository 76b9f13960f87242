package inferscale.scaler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Collections;
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
    assertEquals(List.of("Ec2SdkLayer", "ScalerFunction", "ForecastFunction",
        "FleetDispatcherFunction"), built);
    assertEquals(ScalerHandler.class.getName() + "::handleRequest",
        template.resource("ScalerFunction").at("/Properties/Handler").asText());
    // The forecaster module has its own test of the class name.
    assertEquals("inferscale.forecaster.ForecastHandler::handleRequest",
        template.resource("ForecastFunction").at("/Properties/Handler").asText());
    assertEquals("inferscale.dispatcher.DispatcherHandler::handleRequest",
        template.resource("FleetDispatcherFunction").at("/Properties/Handler").asText());
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

  /** A value other than the default of each parameter without AllowedValues. */
  private static final Map<String, String> OTHER_VALUES = Map.ofEntries(
      Map.entry("EndpointName", "llm-staging"), Map.entry("VariantName", "Blue"),
      Map.entry("EndpointArns", "arn:aws:sagemaker:us-east-1:123456789012:endpoint/llm-staging"),
      Map.entry("MinInstances", "2"), Map.entry("MaxInstances", "12"),
      Map.entry("TargetRpsPerInstance", "2.5"), Map.entry("MaxRpsPerInstance", "3.5"),
      Map.entry("ColdStartMinutes", "12"),
      Map.entry("ExtraPolicyFields", "\"scaleIn.cooldownMinutes\": 20"),
      Map.entry("ScalerSchedule", "rate(2 minutes)"), Map.entry("ForecastIntervalMinutes", "20"),
      Map.entry("TargetConcurrencyPerInstance", "6"), Map.entry("FallbackVariantName", "Spare"),
      Map.entry("FallbackRpsPerInstance", "1.5"), Map.entry("FallbackMaxInstances", "6"),
      Map.entry("InferenceComponentName", "llama-chat"), Map.entry("DirectoryRefreshMinutes", "10"));

  /** Every option on, so that a parameter that acts only with another one acts. */
  private static final Map<String, String> EVERY_OPTION = Map.of("EndpointName", "llm-prod",
      "MaxRpsPerInstance", "3.0", "FastPath", "Enabled", "TargetConcurrencyPerInstance", "8",
      "FallbackVariantName", "Fallback", "FallbackRpsPerInstance", "2.5",
      "ExtraPolicyFields", "\"targets.signals\": [\"rps\", \"concurrency\"]");

  /** One parameter changed: its name, and the parameters with it. */
  private record Change(String parameter, Map<String, String> parameters) {}

  /** {@code base} with one parameter changed to each value it can take other than its own. */
  private static List<Change> oneChangedFrom(Map<String, String> base) {
    List<Change> changed = new ArrayList<>();
    template.root.path("Parameters").fields().forEachRemaining(parameter -> {
      List<String> values = new ArrayList<>();
      parameter.getValue().path("AllowedValues").forEach(v -> values.add(v.asText()));
      if (values.isEmpty()) {
        values.add(OTHER_VALUES.get(parameter.getKey()));
      }
      String own = template.parameters(base).get(parameter.getKey());
      for (String value : values) {
        if (!value.equals(own)) {
          Map<String, String> one = new HashMap<>(base);
          one.put(parameter.getKey(), value);
          changed.add(new Change(parameter.getKey(), one));
        }
      }
    });
    return changed;
  }

  /**
   * A redeploy that only changes a parameter must still move the live alias, which the schedules
   * and rules invoke: a version keeps the environment it was published with, and SAM publishes a
   * new one only when its hash changes, which sees neither parameter values nor layers. So
   * whatever changes a function's environment or layers must change its version description;
   * and nothing else may, since CloudFormation cannot publish an unchanged function again ("A
   * version for this Lambda function exists").
   */
  @Test
  void aParameterChangesAFunctionsPublishedVersionExactlyWhenItChangesTheFunction() {
    Map<String, Set<String>> changing = Map.of("ScalerFunction", new HashSet<>(),
        "ForecastFunction", new HashSet<>(), "FleetDispatcherFunction", new HashSet<>());
    changing.forEach((function, parameters) -> {
      JsonNode properties = template.resource(function).get("Properties");
      for (Map<String, String> base : List.of(Map.of("EndpointName", "llm-prod"), EVERY_OPTION)) {
        for (Change change : oneChangedFrom(base)) {
          Map<String, String> before = template.parameters(base);
          Map<String, String> after = template.parameters(change.parameters());
          boolean codeChanged = List.of("Environment", "Layers").stream().anyMatch(field ->
              !template.evaluate(properties.path(field), before)
                  .equals(template.evaluate(properties.path(field), after)));
          boolean versionChanged = !template.evaluate(properties.get("VersionDescription"), before)
              .equals(template.evaluate(properties.get("VersionDescription"), after));
          assertEquals(codeChanged, versionChanged, function + ": " + change.parameter() + "="
              + change.parameters().get(change.parameter()) + " over " + base
              + (codeChanged ? " changes it, but not its VersionDescription"
                  : " changes its VersionDescription, not the function"));
          if (codeChanged) {
            parameters.add(change.parameter());
          }
        }
      }
    });
    assertEquals(Map.of("ScalerFunction", Set.of("DryRun", "CapacityCheck", "EndpointName",
        "VariantName", "MinInstances", "MaxInstances", "TargetRpsPerInstance", "MaxRpsPerInstance",
        "ColdStartMinutes", "ForecastIntervalMinutes", "ExtraPolicyFields",
        "TargetConcurrencyPerInstance", "FallbackVariantName", "FallbackRpsPerInstance",
        "FallbackMaxInstances", "InferenceComponentName", "FleetMode"),
        "ForecastFunction", Set.of("DryRun"), "FleetDispatcherFunction",
        Set.of("DryRun", "CapacityCheck", "DirectoryRefreshMinutes", "ForecastIntervalMinutes")),
        changing);
  }

  /**
   * Lambda rejects a version description over 256 characters, and the deploy with it: it fits
   * with SageMaker's longest names, and with every option and ExtraPolicyFields of the README's
   * kind (DEPLOY.md says what does not).
   */
  @Test
  void theScalersVersionDescriptionFitsLambdasLimit() {
    String longest = "e".repeat(62) + "1";
    Map<String, String> everything = new HashMap<>(EVERY_OPTION);
    everything.putAll(Map.of("EndpointName", "llm-prod-llama-3-70b", "DryRun", "false",
        "CapacityCheck", "reservations", "MaxInstances", "16", "TargetRpsPerInstance", "4.0",
        "MaxRpsPerInstance", "6.0", "FallbackVariantName", "g5-fallback", "ExtraPolicyFields",
        "\"targets.signals\": [\"rps\", \"kvCache\", \"concurrency\"],"
            + " \"targets.kvUsage\": 0.8, \"scaleIn\": {\"cooldownMinutes\": 15}"));
    for (Map<String, String> parameters : List.of(
        Map.of("EndpointName", longest, "VariantName", longest, "DryRun", "false",
            "CapacityCheck", "reservations", "MaxRpsPerInstance", "3.0",
            "TargetConcurrencyPerInstance", "8"),
        everything)) {
      String description = template.evaluate(template.resource("ScalerFunction")
          .at("/Properties/VersionDescription"), template.parameters(parameters)).asText();
      assertTrue(description.length() <= 256, description.length() + ": " + description);
    }
  }

  /**
   * ScalerEnabled=DISABLED stops both schedules and both rules: a stopped scaler runs on nothing
   * and needs no forecasts.
   */
  @Test
  void scalerEnabledStartsAndStopsBothSchedulesAndBothRules() {
    for (String state : List.of("ENABLED", "DISABLED")) {
      Map<String, String> parameters = template.parameters(Map.of("EndpointName", "llm-prod",
          "ScalerEnabled", state, "FastPath", "Enabled", "TargetConcurrencyPerInstance", "8"));
      for (String trigger : List.of("ScalerFunction/Properties/Events/Cycle/Properties/State",
          "ScalerFunction/Properties/Events/EndpointState/Properties/State",
          "ForecastFunction/Properties/Events/Forecast/Properties/State",
          "BurstRule/Properties/State")) {
        String[] path = trigger.split("/", 2);
        assertEquals(state, template.evaluate(template.resource(path[0]).at("/" + path[1]),
            parameters).asText(), trigger);
      }
    }
  }

  private static JsonNode scalerSchedule(Map<String, String> parameters) {
    return template.evaluate(
        template.resource("ScalerFunction").at("/Properties/Events/Cycle/Properties"),
        template.parameters(parameters));
  }

  /** The scaler's deployed request, its SCALER_REQUEST environment variable. */
  private static JsonNode scalerRequest(Map<String, String> parameters) throws Exception {
    JsonNode env = template.evaluate(
        template.resource("ScalerFunction").at("/Properties/Environment/Variables"),
        template.parameters(parameters));
    return Json.mapper().readTree(env.get("SCALER_REQUEST").asText());
  }

  private static JsonNode forecastSchedule(Map<String, String> parameters) {
    return template.evaluate(
        template.resource("ForecastFunction").at("/Properties/Events/Forecast/Properties"),
        template.parameters(parameters));
  }

  private static JsonNode input(JsonNode schedule) throws Exception {
    return Json.mapper().readTree(schedule.get("Input").asText());
  }

  private static JsonNode sample(String file) throws IOException {
    return Json.mapper().readTree(Files.readString(ROOT.resolve("events").resolve(file)));
  }

  @Test
  void theParametersReachTheScalerRequestAsAValidRequest() throws Exception {
    Map<String, String> parameters = Map.ofEntries(Map.entry("EndpointName", "llm-prod"),
        Map.entry("MinInstances", "3"), Map.entry("MaxInstances", "24"),
        Map.entry("TargetRpsPerInstance", "2.5"), Map.entry("MaxRpsPerInstance", "3.5"),
        Map.entry("ColdStartMinutes", "14"), Map.entry("DryRun", "false"),
        Map.entry("CapacityCheck", "reservations"), Map.entry("ScalerSchedule", "rate(2 minutes)"),
        Map.entry("ExtraPolicyFields", "\"targets.signals\": [\"rps\", \"kvCache\"],"
            + " \"targets.kvUsage\": 0.8, \"scaleIn\": {\"cooldownMinutes\": 15}"),
        Map.entry("ForecastIntervalMinutes", "20"));

    assertEquals("rate(2 minutes)", scalerSchedule(parameters).get("ScheduleExpression").asText());
    JsonNode deployed = scalerRequest(parameters);
    ScalerTask request = ScalerInvocation.parse(deployed, Deployment.standard()).task();
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
    assertEquals(java.util.Map.of(), ScalerInvocation.parse(deployed,
        Deployment.standard()).deprecatedFields(), "the template writes the grouped form");

    // The forecaster gets the very same policy, so both agree on the timing.
    JsonNode forecast = forecastSchedule(parameters);
    assertEquals(deployed.get("policy"), input(forecast).get("policy"));
    assertEquals(new Timing(14, 2, 20), ForecastInvocation.parse(input(forecast),
        Deployment.standard()).task().timing());
  }

  @Test
  void byDefaultTheScalerIsADryRunEveryMinuteAndTheForecastEveryQuarterHour()
      throws Exception {
    assertEquals("rate(1 minute)",
        scalerSchedule(Map.of("EndpointName", "llm-prod")).get("ScheduleExpression").asText());
    ScalerTask request = ScalerInvocation.parse(scalerRequest(Map.of("EndpointName", "llm-prod")),
        Deployment.standard()).task();
    assertTrue(request.dryRun(), "DryRun defaults to true");
    assertEquals(1, request.policy().bounds().minInstances());
    assertEquals(10, request.policy().bounds().maxInstances());
    assertNull(request.policy().targets().maxRpsPerInstance(), "the floor is at the target unless set");
    assertEquals(Set.of(Signal.RPS), request.policy().targets().signals());
    JsonNode env = template.evaluate(
        template.resource("ScalerFunction").at("/Properties/Environment/Variables"),
        template.parameters(Map.of("EndpointName", "llm-prod")));
    assertEquals("true", env.get("DRY_RUN").asText());

    JsonNode forecast = forecastSchedule(Map.of("EndpointName", "llm-prod"));
    assertEquals("rate(15 minutes)", forecast.get("ScheduleExpression").asText());
    assertEquals(sample("forecast-schedule.json"), input(forecast));
    // The forecaster learns its own interval, so its forecast lasts until the next run.
    JsonNode halfHourly = forecastSchedule(
        Map.of("EndpointName", "llm-prod", "ForecastIntervalMinutes", "30"));
    assertEquals("rate(30 minutes)", halfHourly.get("ScheduleExpression").asText());
    assertEquals(30, ForecastInvocation.parse(input(halfHourly), Deployment.standard()).task()
        .timing().forecastIntervalMinutes());
  }

  /**
   * The schedule sends only its trigger (events/scaler-schedule.json), whatever the parameters;
   * the request it runs is the environment's (events/scaler-request.json).
   */
  @Test
  void theSamplesAreWhatTheScheduleSendsAndWhatTheFunctionRuns() throws Exception {
    Map<String, String> parameters = Map.of("EndpointName", "llm-prod",
        "MinInstances", "2", "MaxInstances", "16", "TargetRpsPerInstance", "4.0",
        "ColdStartMinutes", "10", "DryRun", "false", "CapacityCheck", "reservations");
    for (Map<String, String> any : List.of(parameters, EVERY_OPTION)) {
      assertEquals(sample("scaler-schedule.json"), input(scalerSchedule(any)));
    }
    assertEquals(Json.mapper().readTree("{\"trigger\": \"schedule\"}"),
        sample("scaler-schedule.json"));
    assertEquals(sample("scaler-request.json"), scalerRequest(parameters));
  }

  /** The logical IDs of the resources a stack with these parameters has (their conditions hold). */
  private static Set<String> resources(Map<String, String> parameters) {
    Set<String> created = new HashSet<>();
    template.root.path("Resources").fields().forEachRemaining(resource -> {
      JsonNode condition = resource.getValue().get("Condition");
      if (condition == null
          || template.condition(condition.asText(), template.parameters(parameters))) {
        created.add(resource.getKey());
      }
    });
    return created;
  }

  private static JsonNode evaluated(String logicalId, Map<String, String> parameters) {
    return template.evaluate(template.resource(logicalId), template.parameters(parameters));
  }

  private static final Set<String> FAST_PATH = Set.of("BurstAlarm", "BurstRule",
      "BurstRulePermission");

  @Test
  void theFastPathIsOffByDefaultAndTheRequestTracksRequestsPerSecondOnly() throws Exception {
    Map<String, String> parameters = Map.of("EndpointName", "llm-prod");
    assertTrue(Collections.disjoint(FAST_PATH, resources(parameters)), resources(parameters)
        .toString());
    JsonNode targets = scalerRequest(parameters).at("/policy/targets");
    assertFalse(targets.has("signals"), targets.toString());
    assertFalse(targets.has("concurrencyPerInstance"), targets.toString());
    assertEquals(List.of(), template.brokenRules(template.parameters(parameters)));
  }

  /**
   * FastPath with a concurrency target: a high-resolution alarm at the target, and a rule that
   * runs the scaler's live alias with the raw alarm event; the policy gets the target, which
   * carries requests per second into the minutes not yet published.
   */
  @Test
  void theFastPathAlarmsAtTheConcurrencyTargetAndItsRuleRunsTheScaler() throws Exception {
    Map<String, String> parameters = Map.of("EndpointName", "llm-prod", "FastPath", "Enabled",
        "TargetConcurrencyPerInstance", "8");
    assertTrue(resources(parameters).containsAll(FAST_PATH), resources(parameters).toString());
    assertEquals(List.of(), template.brokenRules(template.parameters(parameters)));

    JsonNode alarm = evaluated("BurstAlarm", parameters).get("Properties");
    assertEquals("inferscale-burst-llm-prod-AllTraffic", alarm.get("AlarmName").asText());
    assertEquals("8", alarm.get("Threshold").asText());
    assertEquals("GreaterThanThreshold", alarm.get("ComparisonOperator").asText());
    assertEquals(1, alarm.get("EvaluationPeriods").asInt());
    assertEquals(1, alarm.get("DatapointsToAlarm").asInt());
    assertEquals("notBreaching", alarm.get("TreatMissingData").asText());
    assertFalse(alarm.has("AlarmActions"), "the rule reacts to the state change: " + alarm);
    assertEquals(Json.mapper().readTree("""
        [{"Id": "m1", "ReturnData": true, "MetricStat": {"Period": 10, "Stat": "Average",
          "Metric": {"Namespace": "AWS/SageMaker", "MetricName": "ConcurrentRequestsPerModel",
            "Dimensions": [{"Name": "EndpointName", "Value": "llm-prod"},
                           {"Name": "VariantName", "Value": "AllTraffic"}]}}}]"""),
        alarm.get("Metrics"));

    JsonNode rule = evaluated("BurstRule", parameters).get("Properties");
    assertEquals(Json.mapper().readTree("""
        {"source": ["aws.cloudwatch"], "detail-type": ["CloudWatch Alarm State Change"],
         "detail": {"alarmName": ["inferscale-burst-llm-prod-AllTraffic"],
                    "state": {"value": ["ALARM"]}}}"""), rule.get("EventPattern"));
    assertRunsTheLiveAliasWithTheRawEvent(rule.get("Targets"));
    JsonNode permission = evaluated("BurstRulePermission", parameters).get("Properties");
    assertEquals("<ScalerFunction.Alias>", permission.get("FunctionName").asText());
    assertEquals("events.amazonaws.com", permission.get("Principal").asText());
    assertEquals("<BurstRule.Arn>", permission.get("SourceArn").asText());

    JsonNode request = scalerRequest(parameters);
    assertEquals(Json.mapper().readTree("""
        {"rpsPerInstance": 1.0, "concurrencyPerInstance": 8}"""), request.at("/policy/targets"));
    assertEquals(request.get("policy"), input(forecastSchedule(parameters)).get("policy"));
  }

  /** A component's fast path watches its per-copy metrics, which are by the component alone. */
  @Test
  void aComponentsFastPathAlarmsOnItsPerCopyMetrics() throws Exception {
    Map<String, String> concurrency = Map.of("EndpointName", "llm-prod",
        "InferenceComponentName", "chat", "FastPath", "Enabled",
        "TargetConcurrencyPerInstance", "8");
    assertEquals(List.of(), template.brokenRules(template.parameters(concurrency)));
    JsonNode alarm = evaluated("BurstAlarm", concurrency).get("Properties");
    assertEquals("inferscale-burst-llm-prod-chat", alarm.get("AlarmName").asText());
    assertEquals(Json.mapper().readTree("""
        {"Namespace": "AWS/SageMaker", "MetricName": "ConcurrentRequestsPerCopy",
         "Dimensions": [{"Name": "InferenceComponentName", "Value": "chat"}]}"""),
        alarm.at("/Metrics/0/MetricStat/Metric"));
    assertEquals("[\"inferscale-burst-llm-prod-chat\"]",
        evaluated("BurstRule", concurrency).at("/Properties/EventPattern/detail/alarmName")
            .toString());

    Map<String, String> invocations = new HashMap<>(concurrency);
    invocations.put("BurstMetric", "InvocationsPerInstance");
    invocations.remove("TargetConcurrencyPerInstance");
    assertEquals(List.of(), template.brokenRules(template.parameters(invocations)));
    assertEquals(Json.mapper().readTree("""
        {"Namespace": "AWS/SageMaker", "MetricName": "InvocationsPerCopy",
         "Dimensions": [{"Name": "InferenceComponentName", "Value": "chat"}]}"""),
        evaluated("BurstAlarm", invocations).at("/Properties/Metrics/0/MetricStat/Metric"));
  }

  /** The rules' targets: the live alias (SnapStart), the event as it is, no retries. */
  private static void assertRunsTheLiveAliasWithTheRawEvent(JsonNode targets) {
    assertEquals(1, targets.size(), targets.toString());
    JsonNode target = targets.get(0);
    assertEquals("<ScalerFunction.Alias>", target.get("Arn").asText());
    for (String transform : List.of("Input", "InputPath", "InputTransformer")) {
      assertFalse(target.has(transform), "the raw event is delivered: " + target);
    }
    assertEquals(0, target.at("/RetryPolicy/MaximumRetryAttempts").asInt());
    assertEquals(60, target.at("/RetryPolicy/MaximumEventAgeInSeconds").asInt());
  }

  /** Without the high-resolution metric: the minute's requests per second at the rps target. */
  @Test
  void theInvocationsBurstMetricAlarmsAtTheRpsTargetAndAddsNoConcurrency() throws Exception {
    Map<String, String> parameters = Map.of("EndpointName", "llm-prod", "FastPath", "Enabled",
        "BurstMetric", "InvocationsPerInstance", "TargetRpsPerInstance", "2.5");
    assertTrue(resources(parameters).containsAll(FAST_PATH), resources(parameters).toString());
    assertEquals(List.of(), template.brokenRules(template.parameters(parameters)),
        "no concurrency target needed");
    JsonNode alarm = evaluated("BurstAlarm", parameters).get("Properties");
    assertEquals("2.5", alarm.get("Threshold").asText());
    assertEquals("GreaterThanThreshold", alarm.get("ComparisonOperator").asText());
    assertEquals(Json.mapper().readTree("""
        [{"Id": "invocations", "ReturnData": false, "MetricStat": {"Period": 60, "Stat": "Sum",
          "Metric": {"Namespace": "AWS/SageMaker", "MetricName": "InvocationsPerInstance",
            "Dimensions": [{"Name": "EndpointName", "Value": "llm-prod"},
                           {"Name": "VariantName", "Value": "AllTraffic"}]}}},
         {"Id": "rps", "Expression": "invocations / 60",
          "Label": "Requests per second per instance (or copy)", "ReturnData": true}]"""),
        alarm.get("Metrics"));
    assertEquals(Json.mapper().readTree("{\"rpsPerInstance\": 2.5}"),
        scalerRequest(parameters).at("/policy/targets"));
  }

  /**
   * A concurrency target alone is read every scheduled minute, with no alarm; the request it
   * writes is one the scaler takes, also with its own signal list given in ExtraPolicyFields.
   */
  @Test
  void aConcurrencyTargetWithoutTheFastPathIsReadWithoutAnAlarm() throws Exception {
    Map<String, String> parameters = Map.of("EndpointName", "llm-prod",
        "TargetConcurrencyPerInstance", "6.5");
    assertTrue(Collections.disjoint(FAST_PATH, resources(parameters)));
    assertEquals(Json.mapper().readTree("""
        {"rpsPerInstance": 1.0, "concurrencyPerInstance": 6.5}"""),
        scalerRequest(parameters).at("/policy/targets"));
    ScalerTask task = ScalerInvocation.parse(scalerRequest(Map.of("EndpointName", "llm-prod",
        "TargetConcurrencyPerInstance", "8", "ExtraPolicyFields",
        "\"targets.signals\": [\"rps\", \"kvCache\", \"concurrency\"]")),
        Deployment.standard()).task();
    assertEquals(8.0, task.policy().targets().concurrencyPerInstance());
    assertEquals(3, task.policy().targets().signals().size());
  }

  @Test
  void theFallbackParametersWriteThePolicysFallbackGroup() throws Exception {
    assertFalse(scalerRequest(Map.of("EndpointName", "llm-prod")).get("policy").has("fallback"));
    for (String max : List.of("4", "6")) {
      Map<String, String> parameters = new HashMap<>(Map.of("EndpointName", "llm-prod",
          "FallbackVariantName", "g5-fallback", "FallbackRpsPerInstance", "2.5"));
      if (!max.equals("4")) {
        parameters.put("FallbackMaxInstances", max); // 4 is the default
      }
      JsonNode policy = scalerRequest(parameters).get("policy");
      assertEquals(Json.mapper().readTree("{\"variantName\": \"g5-fallback\", \"rpsPerInstance\": 2.5,"
          + " \"maxInstances\": " + max + "}"), policy.get("fallback"));
      assertEquals(policy, input(forecastSchedule(parameters)).get("policy"));
      assertEquals(List.of(), template.brokenRules(template.parameters(parameters)));
    }
  }

  @Test
  void componentModeScalesTheComponentWithItsOwnCallsOnItsArnOnly() throws Exception {
    Map<String, String> parameters = Map.of("EndpointName", "shared-gpu",
        "InferenceComponentName", "llama-chat");
    JsonNode request = scalerRequest(parameters);
    assertEquals("llama-chat", request.get("inferenceComponentName").asText());
    assertFalse(request.has("variantName"), request.toString());
    JsonNode forecast = input(forecastSchedule(parameters));
    assertEquals("llama-chat", forecast.get("inferenceComponentName").asText());
    assertEquals(request.get("policy"), forecast.get("policy"));
    assertEquals("llama-chat", inferscale.aws.invocation.ScalerInvocation.parse(request,
        inferscale.aws.invocation.Deployment.standard()).task().inferenceComponentName());
    assertEquals(List.of(), template.brokenRules(template.parameters(parameters)));

    String component = "arn:aws:sagemaker:us-east-1:123456789012:inference-component/llama-chat";
    JsonNode role = template.evaluate(template.resource("ScalerRole"),
        template.parameters(parameters));
    Map<String, String> writes = new HashMap<>();
    for (JsonNode statement : role.at("/Properties/Policies/0/PolicyDocument/Statement")) {
      JsonNode action = statement.get("Action");
      for (JsonNode name : action.isArray() ? action
          : Json.mapper().createArrayNode().add(action)) {
        if (name.asText().startsWith("sagemaker:") && !name.asText().startsWith("sagemaker:Describe")
            && !name.asText().startsWith("sagemaker:List")) {
          writes.put(name.asText(), statement.get("Resource").asText());
        }
      }
    }
    assertEquals(Map.of("sagemaker:UpdateInferenceComponentRuntimeConfig", component,
        "sagemaker:AddTags", component), writes, "the endpoint is only described");
    // Anywhere, only reads of the components beside it, whose names come and go.
    Set<String> anywhere = new HashSet<>();
    for (JsonNode statement : role.at("/Properties/Policies/0/PolicyDocument/Statement")) {
      if (statement.get("Resource").asText().equals("*")) {
        JsonNode action = statement.get("Action");
        (action.isArray() ? action : Json.mapper().createArrayNode().add(action))
            .forEach(name -> anywhere.add(name.asText()));
      }
    }
    anywhere.removeIf(name -> !name.startsWith("sagemaker:"));
    assertEquals(Set.of("sagemaker:ListInferenceComponents"), anywhere);

    // Requests that find no copy wake the scaler at once: any in a minute sets off the alarm,
    // whose ALARM the rule sends to the live alias as it is.
    Map<String, String> values = template.parameters(parameters);
    JsonNode alarm = template.evaluate(template.resource("WakeAlarm"), values)
        .get("Properties");
    assertEquals("NoCapacityInvocationFailures", alarm.get("MetricName").asText());
    assertEquals("[{\"Name\":\"InferenceComponentName\",\"Value\":\"llama-chat\"}]",
        alarm.get("Dimensions").toString());
    assertEquals(0.0, alarm.get("Threshold").asDouble());
    assertEquals("GreaterThanThreshold", alarm.get("ComparisonOperator").asText());
    JsonNode rule = template.evaluate(template.resource("WakeRule"), values).get("Properties");
    assertEquals("[\"ALARM\"]", rule.at("/EventPattern/detail/state/value").toString());
    assertRunsTheLiveAliasWithTheRawEvent(rule.get("Targets"));
    for (String resource : List.of("WakeAlarm", "WakeRule", "WakeRulePermission")) {
      assertEquals("ComponentMode", template.resource(resource).get("Condition").asText());
    }

    // The dashboard graphs the component: SageMaker's metrics by the component alone, under
    // their per-copy names; InferScale's own by the endpoint and the component; the wake alarm.
    JsonNode body = Json.mapper().readTree(template.evaluate(template.resource("Dashboard"),
        values).at("/Properties/DashboardBody").asText());
    Set<String> seen = new HashSet<>();
    for (JsonNode widget : body.get("widgets")) {
      if (widget.get("type").asText().equals("alarm")) {
        assertTrue(widget.at("/properties/alarms").toString().contains("WakeAlarm"),
            widget.toString());
        continue;
      }
      for (JsonNode metric : widget.at("/properties/metrics")) {
        if (metric.get(0).isObject()) {
          continue;
        }
        List<String> dimensions = List.of(metric.get(2).asText(), metric.get(3).asText());
        if (metric.get(0).asText().equals("AWS/SageMaker")) {
          assertEquals(List.of("InferenceComponentName", "llama-chat"), dimensions,
              metric.toString());
        } else {
          assertEquals(List.of("EndpointName", "shared-gpu", "InferenceComponentName",
              "llama-chat"), List.of(dimensions.get(0), dimensions.get(1),
                  metric.get(4).asText(), metric.get(5).asText()), metric.toString());
        }
        seen.add(metric.get(1).asText());
      }
    }
    assertTrue(seen.containsAll(Set.of("Invocations", "InvocationsPerCopy",
        "ConcurrentRequestsPerCopy", "DesiredInstances", "ForecastRps")), seen.toString());
  }

  /** CloudFormation refuses, before changing anything, what the scaler could not run. */
  @Test
  void theRulesRefuseAFastPathWithoutItsThresholdAndAFallbackWithoutItsRate() {
    Map<List<String>, Map<String, String>> broken = Map.of(
        List.of("FastPath Enabled with BurstMetric ConcurrentRequestsPerModel needs"
            + " TargetConcurrencyPerInstance, the alarm's threshold."),
        Map.of("EndpointName", "llm-prod", "FastPath", "Enabled"),
        List.of("FallbackVariantName needs FallbackRpsPerInstance."),
        Map.of("EndpointName", "llm-prod", "FallbackVariantName", "g5-fallback"),
        List.of("FallbackVariantName must name another variant than VariantName."),
        Map.of("EndpointName", "llm-prod", "FallbackVariantName", "AllTraffic",
            "FallbackRpsPerInstance", "2.5"),
        List.of("InferenceComponentName scales copies, which have no traffic to shift to a"
            + " fallback: leave FallbackVariantName empty."),
        Map.of("EndpointName", "llm-prod", "InferenceComponentName", "chat",
            "FallbackVariantName", "Spare", "FallbackRpsPerInstance", "2.5"));
    broken.forEach((descriptions, parameters) -> assertEquals(descriptions,
        template.brokenRules(template.parameters(parameters)), parameters.toString()));
  }

  /**
   * The rules' patterns, as moto's EventBridge matches them: the samples in events/ match, an
   * alarm's return to OK, another alarm, another endpoint or a passing state do not.
   */
  @Test
  void theRulesMatchTheirSampleEventsAndNothingElse() throws Exception {
    Map<String, String> parameters = Map.of("EndpointName", "llm-prod", "FastPath", "Enabled",
        "TargetConcurrencyPerInstance", "8");
    JsonNode alarmEvent = sample("alarm-state-change.json");
    ObjectNode backToOk = alarmEvent.deepCopy();
    ((ObjectNode) backToOk.at("/detail/state")).put("value", "OK");
    ((ObjectNode) backToOk.at("/detail/previousState")).put("value", "ALARM");
    ObjectNode anotherAlarm = alarmEvent.deepCopy();
    ((ObjectNode) anotherAlarm.get("detail")).put("alarmName", "inferscale-burst-llm-other-AllTraffic");
    JsonNode endpointEvent = sample("endpoint-state-change.json");

    assertEquals(List.of(true, false, false, false), EventPatterns.matches(
        evaluated("BurstRule", parameters).at("/Properties/EventPattern"),
        List.of(alarmEvent, backToOk, anotherAlarm, endpointEvent)));

    List<JsonNode> endpointEvents = new ArrayList<>();
    for (String status : List.of("IN_SERVICE", "FAILED", "UPDATE_ROLLBACK_FAILED", "UPDATING",
        "CREATING")) {
      ObjectNode event = endpointEvent.deepCopy();
      ((ObjectNode) event.get("detail")).put("EndpointStatus", status);
      endpointEvents.add(event);
    }
    ObjectNode anotherEndpoint = endpointEvent.deepCopy();
    ((ObjectNode) anotherEndpoint.get("detail")).put("EndpointName", "llm-other");
    endpointEvents.addAll(List.of(anotherEndpoint, alarmEvent));
    JsonNode endpointRule = evaluated("ScalerFunction", parameters)
        .at("/Properties/Events/EndpointState");
    assertEquals("EventBridgeRule", endpointRule.get("Type").asText());
    assertEquals(List.of(true, true, true, false, false, false, false), EventPatterns.matches(
        endpointRule.at("/Properties/Pattern"), endpointEvents));
    // SAM targets the function's alias, like the schedule; no input transformation
    for (String transform : List.of("Input", "InputPath", "InputTransformer")) {
      assertFalse(endpointRule.get("Properties").has(transform), endpointRule.toString());
    }
    assertEquals(0, endpointRule.at("/Properties/RetryPolicy/MaximumRetryAttempts").asInt());
    assertEquals(60, endpointRule.at("/Properties/RetryPolicy/MaximumEventAgeInSeconds").asInt());
  }

  /** CapacityUnavailable in any of the last five minutes; exists in every stack. */
  @Test
  void theCapacityAlarmFiresOnAnyMinuteWithoutCapacity() throws Exception {
    assertTrue(resources(Map.of("EndpointName", "llm-prod")).contains("CapacityAlarm"));
    JsonNode alarm = evaluated("CapacityAlarm", Map.of("EndpointName", "llm-prod"))
        .get("Properties");
    assertEquals("inferscale-capacity-llm-prod-AllTraffic", alarm.get("AlarmName").asText());
    assertEquals(InferScaleMetrics.NAMESPACE, alarm.get("Namespace").asText());
    assertEquals("CapacityUnavailable", alarm.get("MetricName").asText());
    assertEquals(Json.mapper().readTree("""
        [{"Name": "EndpointName", "Value": "llm-prod"},
         {"Name": "VariantName", "Value": "AllTraffic"}]"""), alarm.get("Dimensions"));
    assertEquals("Maximum", alarm.get("Statistic").asText());
    assertEquals(60, alarm.get("Period").asInt());
    assertEquals(5, alarm.get("EvaluationPeriods").asInt());
    assertEquals(1, alarm.get("DatapointsToAlarm").asInt());
    assertEquals(1, alarm.get("Threshold").asInt());
    assertEquals("GreaterThanOrEqualToThreshold", alarm.get("ComparisonOperator").asText());
    assertEquals("notBreaching", alarm.get("TreatMissingData").asText());
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
      if (widget.get("type").asText().equals("alarm")) {
        continue; // alarms by ARN, region included
      }
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
        ns + InferScaleMetrics.BUDGET_FLOOR_BAND,
        "AWS/SageMaker/InvocationsPerInstance", "AWS/SageMaker/ConcurrentRequestsPerModel",
        ns + "Cycles", ns + "CapacityUnavailable", ns + "FallbackDesiredInstances",
        ns + "FallbackWeight"),
        metrics);
    // the forecast (requests per second) is drawn per minute, like Invocations
    assertEquals(List.of("fp90 * 60", "fexp * 60"), expressions.subList(0, 2));
  }

  private static JsonNode widget(JsonNode body, String titleStart) {
    for (JsonNode widget : body.get("widgets")) {
      if (widget.at("/properties/title").asText().startsWith(titleStart)) {
        return widget;
      }
    }
    throw new AssertionError("no widget titled " + titleStart + "… in " + body);
  }

  /**
   * The fast path's row: concurrency against its target, the cycles by what ran them; start-up
   * minutes by instance type; capacity and the fallback, with the stack's alarms.
   */
  @Test
  void theDashboardShowsTheFastPathStartUpsAndCapacityWithTheAlarms() throws Exception {
    for (boolean fastPath : List.of(false, true)) {
      Map<String, String> parameters = fastPath ? Map.of("EndpointName", "llm-prod",
          "FastPath", "Enabled", "TargetConcurrencyPerInstance", "8")
          : Map.of("EndpointName", "llm-prod");
      JsonNode body = Json.mapper().readTree(evaluated("Dashboard", parameters)
          .at("/Properties/DashboardBody").asText());

      JsonNode burst = widget(body, "Fast path").get("properties");
      List<String> triggers = new ArrayList<>();
      for (JsonNode metric : burst.get("metrics")) {
        if (metric.get(1).asText().equals("Cycles")) {
          assertEquals("Trigger", metric.get(6).asText(), metric.toString());
          assertEquals("Sum", metric.get(8).get("stat").asText(), metric.toString());
          triggers.add(metric.get(7).asText());
        }
      }
      assertEquals(List.of("Schedule", "Alarm", "EndpointState", "Manual"), triggers);
      assertEquals("ConcurrentRequestsPerModel", burst.at("/metrics/0/1").asText());
      assertEquals("Average", burst.at("/metrics/0/6/stat").asText());
      assertEquals(fastPath ? "8" : "", burst.at("/annotations/horizontal/0/value").asText(),
          "the target is drawn when set");

      assertEquals("SEARCH('{InferScale,InstanceType} MetricName=\"StartupMinutes\"',"
          + " 'Maximum', 300)", widget(body, "Start-up minutes")
          .at("/properties/metrics/0/0/expression").asText());

      JsonNode capacity = widget(body, "Capacity").get("properties");
      List<String> names = new ArrayList<>();
      capacity.get("metrics").forEach(m -> names.add(m.get(1).asText()));
      assertEquals(List.of("CapacityUnavailable", "FallbackDesiredInstances", "FallbackWeight"),
          names);
      assertEquals(1, capacity.at("/annotations/horizontal/0/value").asInt(),
          "the capacity alarm's threshold");
      JsonNode alarms = widget(body, "Alarms");
      assertEquals("alarm", alarms.get("type").asText());
      assertEquals(fastPath ? "[\"<CapacityAlarm.Arn>\",\"<BurstAlarm.Arn>\"]"
          : "[\"<CapacityAlarm.Arn>\"]", alarms.at("/properties/alarms").toString());
    }
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
  void outputsNameTheFunctionsTheDashboardTheLogGroupsTheRulesAndTheAlarms() {
    Set<String> outputs = new HashSet<>();
    template.root.path("Outputs").fieldNames().forEachRemaining(outputs::add);
    assertTrue(outputs.containsAll(Set.of("ScalerFunctionArn", "ForecastFunctionArn",
        "ScalerFunctionName", "ForecastFunctionName", "DashboardName", "DashboardUrl",
        "ScalerLogGroupName", "ForecastLogGroupName", "ScalerScheduleName",
        "ForecastScheduleName", "EndpointStateRuleName", "CapacityAlarmName", "BurstAlarmName",
        "BurstRuleName")), outputs.toString());
    for (String fastPath : List.of("BurstAlarmName", "BurstRuleName")) {
      assertEquals("FastPathOn", template.root.at("/Outputs/" + fastPath + "/Condition").asText());
    }
    JsonNode url = template.evaluate(template.root.at("/Outputs/DashboardUrl/Value"),
        template.parameters(Map.of("EndpointName", "llm-prod")));
    assertEquals("https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1"
        + "#dashboards:name=<Dashboard>", url.asText());
  }
}
