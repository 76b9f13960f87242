package inferscale.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import inferscale.aws.invocation.Deployment;
import inferscale.aws.invocation.ForecastInvocation;
import inferscale.aws.invocation.ScalerInvocation;
import inferscale.aws.testing.AwsEmulator;
import inferscale.control.ScalerTask;
import inferscale.json.Json;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricStat;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;

/**
 * template.yaml deployed as `sam build` + `sam deploy` would: the built packages uploaded, the
 * template transformed by the SAM translator and created as a stack in the emulator's
 * CloudFormation ({@link SamStack}). Then what the stack holds, read back through each service's
 * own API; the alias, the schedules and the permissions on the alias, which the emulator's
 * CloudFormation skips or cannot create, are created through their APIs from the transformed
 * properties and must be accepted. The EventBridge rules' resolved patterns are read from the
 * stack (this build has no EventBridge client offline).
 */
@ExtendWith(AwsEmulator.class)
class SamDeploymentIT {
  /** SageMaker allows endpoint and variant names of 63 characters. */
  private static final String LONGEST_NAME = "e".repeat(62) + "1";

  private final AwsEmulator.Running emulator;
  private final LambdaClient lambda = LambdaClient.create();
  private final IamClient iam = IamClient.builder()
      .region(software.amazon.awssdk.regions.Region.AWS_GLOBAL).build();
  private final SchedulerClient scheduler = SchedulerClient.create();

  SamDeploymentIT(AwsEmulator.Running emulator) {
    this.emulator = emulator;
  }

  @Test
  void theLongestNamesWithTheCapacityCheckDeployEveryResource() throws Exception {
    SamStack stack = SamStack.deploy(emulator, "inferscale-" + LONGEST_NAME.substring(0, 40),
        Map.of("EndpointName", LONGEST_NAME, "VariantName", LONGEST_NAME,
            "CapacityCheck", "reservations", "DryRun", "false", "MaxInstances", "16"));

    assertEquals("CREATE_COMPLETE", stack.status());
    assertTrue(stack.physicalIds().keySet().containsAll(Set.of("ScalerFunction", "ForecastFunction",
        "ScalerRole", "ForecastRole", "ScalerFunctionCycleRole", "ForecastFunctionForecastRole",
        "ScalerLogGroup", "ForecastLogGroup", "Dashboard", "CapacityAlarm",
        "ScalerFunctionEndpointState")), stack.physicalIds().toString());

    FunctionConfiguration scaler = function(stack, "ScalerFunction");
    assertEquals("java21", scaler.runtimeAsString());
    assertEquals("inferscale.scaler.ScalerHandler::handleRequest", scaler.handler());
    assertEquals(List.of("arm64"), scaler.architecturesAsStrings());
    assertEquals(1024, scaler.memorySize());
    assertEquals(60, scaler.timeout());
    Map<String, String> env = new HashMap<>(scaler.environment().variables());
    String deployed = env.remove("SCALER_REQUEST");
    assertEquals(Map.of("DRY_RUN", "false", "CAPACITY_CHECK", "reservations",
        "JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"), env);
    ScalerTask task = ScalerInvocation.parse(Json.mapper().readTree(deployed),
        Deployment.standard()).task();
    assertEquals(LONGEST_NAME, task.endpointName());
    assertEquals(LONGEST_NAME, task.variantName());
    assertEquals(16, task.policy().bounds().maxInstances());
    assertEquals("reservations", task.capacityMode().jsonName());
    assertFalse(task.dryRun());
    assertEquals(role(stack, "ScalerRole"), scaler.role());
    // the packages deployed are the ones built
    assertEquals(stack.packageSize("ScalerFunction"), scaler.codeSize());
    assertEquals(1, scaler.layers().size(), "the EC2 SDK layer: " + scaler.layers());
    // arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION
    String[] layer = scaler.layers().get(0).arn().split(":");
    assertEquals(stack.packageSize("Ec2SdkLayer"), lambda.getLayerVersion(b -> b.layerName(layer[6])
        .versionNumber(Long.parseLong(layer[7]))).content().codeSize());

    FunctionConfiguration forecaster = function(stack, "ForecastFunction");
    assertEquals("inferscale.forecaster.ForecastHandler::handleRequest", forecaster.handler());
    assertEquals(300, forecaster.timeout());
    assertEquals("false", forecaster.environment().variables().get("DRY_RUN"));
    assertEquals(role(stack, "ForecastRole"), forecaster.role());
    assertEquals(stack.packageSize("ForecastFunction"), forecaster.codeSize());
    assertTrue(forecaster.layers().isEmpty(), forecaster.layers().toString());

    String scalerPolicy = inlinePolicy(stack, "ScalerRole", "inferscale-scaler");
    assertTrue(scalerPolicy.contains("sagemaker:UpdateEndpointWeightsAndCapacities"), scalerPolicy);
    assertTrue(scalerPolicy.contains(":endpoint/" + LONGEST_NAME), scalerPolicy);
    assertTrue(scalerPolicy.contains("ec2:DescribeCapacityReservations"), scalerPolicy);
    assertTrue(scalerPolicy.contains("sagemaker:AddTags"), scalerPolicy);
    assertTrue(scalerPolicy.contains("inferscale:last-ask"), scalerPolicy);
    String forecastPolicy = inlinePolicy(stack, "ForecastRole", "inferscale-forecast");
    assertTrue(forecastPolicy.contains("tag:GetResources"), forecastPolicy);
    assertTrue(forecastPolicy.contains("cloudwatch:PutMetricData"), forecastPolicy);
    assertFalse(forecastPolicy.contains("sagemaker:"), forecastPolicy);

    try (CloudWatchLogsClient logs = CloudWatchLogsClient.create()) {
      for (String function : List.of("scaler", "forecast")) {
        String name = "/aws/lambda/inferscale-" + function + "-" + LONGEST_NAME + "-" + LONGEST_NAME;
        List<LogGroup> groups = logs.describeLogGroups(b -> b.logGroupNamePrefix(name)).logGroups();
        assertEquals(1, groups.size(), name);
        assertEquals(30, groups.get(0).retentionInDays());
      }
    }
    try (CloudWatchClient cloudWatch = CloudWatchClient.create()) {
      JsonNode body = Json.mapper().readTree(cloudWatch.getDashboard(
          b -> b.dashboardName("inferscale-" + LONGEST_NAME + "-" + LONGEST_NAME)).dashboardBody());
      assertEquals(11, body.get("widgets").size());
      List<String> titles = new ArrayList<>();
      body.get("widgets").forEach(w -> titles.add(w.at("/properties/title").asText()));
      assertTrue(titles.stream().filter(t -> t.startsWith("Shadow scoring")).count() == 2,
          titles.toString());
    }

    GetScheduleResponse cycle = schedule(stack, "ScalerFunctionCycle");
    assertEquals("rate(1 minute)", cycle.scheduleExpression());
    assertEquals("ENABLED", cycle.stateAsString());
    assertEquals("ScalerFunctionAliaslive", stack.scheduleTarget("ScalerFunctionCycle"),
        "the schedule invokes the published alias, which SnapStart applies to");
    assertEquals(Json.mapper().readTree("{\"trigger\": \"schedule\"}"),
        Json.mapper().readTree(cycle.target().input()), "the function runs SCALER_REQUEST");

    GetScheduleResponse forecast = schedule(stack, "ForecastFunctionForecast");
    assertEquals("rate(15 minutes)", forecast.scheduleExpression());
    assertEquals("ForecastFunctionAliaslive", stack.scheduleTarget("ForecastFunctionForecast"));
    assertEquals(LONGEST_NAME, ForecastInvocation.parse(Json.mapper().readTree(
        forecast.target().input()), Deployment.standard()).task().endpointName());

    // the endpoint's state changes run the live alias; no fast path unless asked for
    assertEquals(Json.mapper().readTree("""
        {"source": ["aws.sagemaker"], "detail-type": ["SageMaker Endpoint State Change"],
         "detail": {"EndpointName": ["%s"],
                    "EndpointStatus": ["IN_SERVICE", "FAILED", "UPDATE_ROLLBACK_FAILED"]}}"""
        .formatted(LONGEST_NAME)), stack.rulePattern("ScalerFunctionEndpointState"));
    assertEquals("ENABLED", stack.ruleState("ScalerFunctionEndpointState"));
    assertRuleInvokesTheLiveAlias(stack, "ScalerFunctionEndpointState");
    assertEquals(List.of("inferscale-capacity-" + LONGEST_NAME + "-" + LONGEST_NAME),
        alarmNames(LONGEST_NAME));
    assertFalse(stack.physicalIds().containsKey("BurstRule"), stack.physicalIds().toString());
    assertEquals(stack.physicalIds().get("ScalerFunctionEndpointState"),
        stack.outputs().get("EndpointStateRuleName"));
    assertFalse(stack.outputs().containsKey("BurstAlarmName"), stack.outputs().toString());
  }

  /**
   * The fast path on the concurrency target and a fallback variant: the high-resolution alarm,
   * the rule that runs the live alias when it fires, and the request with both groups; the
   * InvocationsPerInstance burst metric, a metric-math alarm at the rps target.
   */
  @Test
  void theFastPathDeploysItsAlarmAndARuleOnTheLiveAlias() throws Exception {
    SamStack stack = SamStack.deploy(emulator, "inferscale-llm-burst",
        Map.of("EndpointName", "llm-burst", "FastPath", "Enabled",
            "TargetConcurrencyPerInstance", "8", "FallbackVariantName", "Fallback",
            "FallbackRpsPerInstance", "2.5"));
    assertEquals("CREATE_COMPLETE", stack.status());

    String alarmName = "inferscale-burst-llm-burst-AllTraffic";
    try (CloudWatchClient cloudWatch = CloudWatchClient.create()) {
      MetricAlarm alarm = cloudWatch.describeAlarms(b -> b.alarmNames(alarmName))
          .metricAlarms().get(0);
      assertEquals(8.0, alarm.threshold());
      assertEquals("GreaterThanThreshold", alarm.comparisonOperatorAsString());
      assertEquals(1, alarm.evaluationPeriods());
      assertEquals("notBreaching", alarm.treatMissingData());
      assertTrue(alarm.alarmActions().isEmpty(), alarm.alarmActions().toString());
      MetricStat stat = alarm.metrics().get(0).metricStat();
      assertEquals("ConcurrentRequestsPerModel", stat.metric().metricName());
      assertEquals(10, stat.period());
      assertEquals("Average", stat.stat());
    }
    assertEquals(alarmName, stack.outputs().get("BurstAlarmName"));
    assertEquals(Json.mapper().readTree("""
        {"source": ["aws.cloudwatch"], "detail-type": ["CloudWatch Alarm State Change"],
         "detail": {"alarmName": ["%s"], "state": {"value": ["ALARM"]}}}""".formatted(alarmName)),
        stack.rulePattern("BurstRule"));
    assertRuleInvokesTheLiveAlias(stack, "BurstRule");
    assertRuleInvokesTheLiveAlias(stack, "ScalerFunctionEndpointState");

    JsonNode deployed = Json.mapper().readTree(
        function(stack, "ScalerFunction").environment().variables().get("SCALER_REQUEST"));
    assertEquals(Json.mapper().readTree("""
        {"rpsPerInstance": 1.0, "concurrencyPerInstance": 8}"""), deployed.at("/policy/targets"));
    // and the scaler takes it: fast path and fallback as deployed
    var policy = ScalerInvocation.parse(deployed, Deployment.standard()).task().policy();
    assertEquals(8.0, policy.targets().concurrencyPerInstance());
    assertEquals("Fallback", policy.fallback().variantName());
    assertEquals(Json.mapper().readTree("""
        {"variantName": "Fallback", "rpsPerInstance": 2.5, "maxInstances": 4}"""),
        deployed.at("/policy/fallback"));

    SamStack invocations = SamStack.deploy(emulator, "inferscale-llm-rps",
        Map.of("EndpointName", "llm-rps", "FastPath", "Enabled",
            "BurstMetric", "InvocationsPerInstance", "TargetRpsPerInstance", "2.5"));
    assertEquals("CREATE_COMPLETE", invocations.status());
    try (CloudWatchClient cloudWatch = CloudWatchClient.create()) {
      MetricAlarm alarm = cloudWatch.describeAlarms(
          b -> b.alarmNames("inferscale-burst-llm-rps-AllTraffic")).metricAlarms().get(0);
      assertEquals(2.5, alarm.threshold());
      assertEquals(List.of("invocations", "rps"),
          alarm.metrics().stream().map(MetricDataQuery::id).toList());
      assertEquals("InvocationsPerInstance",
          alarm.metrics().get(0).metricStat().metric().metricName());
      assertEquals("invocations / 60", alarm.metrics().get(1).expression());
    }
    assertRuleInvokesTheLiveAlias(invocations, "BurstRule");
  }

  /** The rule's target is the scaler's live alias, which lets EventBridge invoke it for this rule. */
  private void assertRuleInvokesTheLiveAlias(SamStack stack, String rule) throws Exception {
    assertEquals("ScalerFunctionAliaslive", stack.ruleTarget(rule));
    String ruleName = stack.physicalIds().get(rule);
    JsonNode policy = Json.mapper().readTree(lambda.getPolicy(b -> b
        .functionName(stack.physicalIds().get("ScalerFunction")).qualifier("live")).policy());
    List<String> sources = new ArrayList<>();
    for (JsonNode statement : policy.get("Statement")) {
      if (statement.at("/Principal/Service").asText().equals("events.amazonaws.com")) {
        sources.add(statement.at("/Condition/ArnLike/AWS:SourceArn").asText());
      }
    }
    assertTrue(sources.stream().anyMatch(arn -> arn.endsWith(":rule/" + ruleName)),
        rule + " (" + ruleName + ") may not invoke the alias: " + policy);
  }

  private static List<String> alarmNames(String endpoint) {
    try (CloudWatchClient cloudWatch = CloudWatchClient.create()) {
      return cloudWatch.describeAlarms().metricAlarms().stream().map(MetricAlarm::alarmName)
          .filter(name -> name.contains("-" + endpoint + "-")).sorted().toList();
    }
  }

  @Test
  void twoStacksOfDefaultsHaveTheirOwnSchedulesAndNoLayer() throws Exception {
    SamStack first = SamStack.deploy(emulator, "inferscale-llm-prod",
        Map.of("EndpointName", "llm-prod"));
    SamStack second = SamStack.deploy(emulator, "inferscale-llm-prod-blue",
        Map.of("EndpointName", "llm-prod", "VariantName", "Blue", "ScalerEnabled", "DISABLED"));

    for (SamStack stack : List.of(first, second)) {
      assertEquals("CREATE_COMPLETE", stack.status());
      assertFalse(stack.physicalIds().keySet().stream().anyMatch(id -> id.startsWith("Ec2SdkLayer")),
          "no layer without the capacity check: " + stack.physicalIds());
      FunctionConfiguration scaler = function(stack, "ScalerFunction");
      assertTrue(scaler.layers().isEmpty(), scaler.layers().toString());
      assertEquals("none", scaler.environment().variables().get("CAPACITY_CHECK"));
      assertEquals("true", scaler.environment().variables().get("DRY_RUN"));
    }
    Set<String> names = List.of(first, second).stream()
        .flatMap(stack -> List.of("ScalerFunctionCycle", "ForecastFunctionForecast").stream()
            .map(schedule -> schedule(stack, schedule).name()))
        .collect(Collectors.toSet());
    assertEquals(4, names.size(), "one schedule of each kind per stack: " + names);
    // ScalerEnabled=DISABLED stops both of the second stack's schedules and its rule, not the
    // first's
    for (String schedule : List.of("ScalerFunctionCycle", "ForecastFunctionForecast")) {
      assertEquals("ENABLED", schedule(first, schedule).stateAsString());
      assertEquals("DISABLED", schedule(second, schedule).stateAsString());
    }
    assertEquals("ENABLED", first.ruleState("ScalerFunctionEndpointState"));
    assertEquals("DISABLED", second.ruleState("ScalerFunctionEndpointState"));
    // one capacity alarm per endpoint variant
    assertEquals(List.of("inferscale-capacity-llm-prod-AllTraffic",
        "inferscale-capacity-llm-prod-Blue"), alarmNames("llm-prod"));
    assertNotEquals(function(first, "ScalerFunction").functionArn(),
        function(second, "ScalerFunction").functionArn());
  }

  @Test
  void fleetModeDeploysTheDispatcherItsQueuesAndTheirMappingsOnceForEveryEndpoint()
      throws Exception {
    SamStack stack = SamStack.deploy(emulator, "inferscale-fleet",
        Map.of("FleetMode", "on", "DryRun", "false"));

    assertEquals("CREATE_COMPLETE", stack.status());
    assertTrue(stack.physicalIds().keySet().containsAll(Set.of("FleetDispatcherFunction",
        "FleetDispatcherRole", "ScalerQueue", "ScalerDeadLetterQueue", "ForecastQueue",
        "ForecastDeadLetterQueue", "ScalerDeadLetterAlarm", "ForecastDeadLetterAlarm",
        "FleetDashboard")), stack.physicalIds().toString());
    for (String oneEndpoint : List.of("Dashboard", "CapacityAlarm", "BurstAlarm")) {
      assertFalse(stack.physicalIds().containsKey(oneEndpoint), oneEndpoint);
    }
    FunctionConfiguration dispatcher = function(stack, "FleetDispatcherFunction");
    assertEquals("inferscale.dispatcher.DispatcherHandler::handleRequest", dispatcher.handler());
    Map<String, String> env = dispatcher.environment().variables();
    assertTrue(env.get("SCALER_QUEUE_URL").endsWith(".fifo"), env.toString());
    assertTrue(env.get("FORECAST_QUEUE_URL").endsWith(".fifo"), env.toString());
    assertEquals("", function(stack, "ScalerFunction").environment().variables()
        .getOrDefault("SCALER_REQUEST", ""));

    for (String mapping : List.of("ScalerQueueMapping", "ForecastQueueMapping")) {
      var created = lambda.getEventSourceMapping(b -> b.uuid(stack.mapping(mapping)));
      // The live alias, which moto answers with the version it points at: never $LATEST.
      assertTrue(created.functionArn().matches(".*-(Scaler|Forecast)Function-[^:]+:(live|\\d+)"),
          created.functionArn());
      assertTrue(created.eventSourceArn().endsWith(".fifo"), created.eventSourceArn());
      assertEquals(List.of("ReportBatchItemFailures"), created.functionResponseTypesAsStrings());
      assertTrue(created.scalingConfig().maximumConcurrency() <= 50, "not the whole region's"
          + " concurrency: " + created.scalingConfig());
    }
    assertEquals("{\"fanOut\": \"scaler\"}",
        schedule(stack, "FleetDispatcherFunctionCycle").target().input());
    assertEquals("ENABLED", schedule(stack, "FleetDispatcherFunctionCycle").stateAsString());
    assertEquals("{\"fanOut\": \"forecaster\"}",
        schedule(stack, "FleetDispatcherFunctionForecast").target().input());
    // The one endpoint's schedules are there, and off.
    assertEquals("DISABLED", schedule(stack, "ScalerFunctionCycle").stateAsString());
    assertEquals("DISABLED", schedule(stack, "ForecastFunctionForecast").stateAsString());
    String policy = inlinePolicy(stack, "ScalerRole", "inferscale-scaler");
    assertTrue(policy.contains("aws:ResourceTag/inferscale:enabled"), policy);
  }

  private FunctionConfiguration function(SamStack stack, String logicalId) {
    GetFunctionResponse function =
        lambda.getFunction(b -> b.functionName(stack.physicalIds().get(logicalId)));
    return function.configuration();
  }

  private String role(SamStack stack, String logicalId) {
    return iam.getRole(b -> b.roleName(stack.physicalIds().get(logicalId))).role().arn();
  }

  private String inlinePolicy(SamStack stack, String roleId, String policyName) {
    String document = iam.getRolePolicy(b -> b.roleName(stack.physicalIds().get(roleId))
        .policyName(policyName)).policyDocument();
    return URLDecoder.decode(document, StandardCharsets.UTF_8);
  }

  /** The schedule as created, after checking Scheduler's limit on its name. */
  private GetScheduleResponse schedule(SamStack stack, String logicalId) {
    String name = stack.scheduleName(logicalId);
    assertTrue(name.length() <= 64, name.length() + " characters: " + name);
    return scheduler.getSchedule(b -> b.name(name));
  }
}
