package inferscale.aws;

import static inferscale.aws.testing.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import inferscale.aws.adapters.DecisionMetrics;
import inferscale.aws.adapters.ForecastChannel;
import inferscale.aws.adapters.InferScaleMetrics;
import inferscale.aws.adapters.MetricDimension;
import inferscale.aws.adapters.MetricPoint;
import inferscale.aws.adapters.MetricSpec;
import inferscale.aws.adapters.PauseTag;
import inferscale.aws.invocation.Deployment;
import inferscale.aws.invocation.InvalidRequestException;
import inferscale.aws.invocation.ScalerInvocation;
import inferscale.aws.testing.AwsEmulator;
import inferscale.aws.testing.EmbeddedMetrics;
import inferscale.aws.testing.Fixtures;
import inferscale.aws.testing.TestAwsComponent;
import inferscale.backtest.SimulationClock;
import inferscale.control.ScalerOutcome.NotApplied;
import inferscale.control.ScalerOutcome;
import inferscale.decision.Action;
import inferscale.decision.PredictiveFloor;
import inferscale.decision.ReasonCode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scaler step on the AWS adapters the functions wire, against the emulator: metrics in
 * CloudWatch, a real endpoint in SageMaker, reservations in EC2.
 */
@ExtendWith(AwsEmulator.class)
class ScalerWiringTest {
  private final List<String> log = new ArrayList<>();
  private TestAwsComponent aws;
  private String endpoint;

  @BeforeEach
  void setUp() {
    aws = TestAwsComponent.create();
    endpoint = Fixtures.uniqueName("llm");
  }

  /** 12 minutes at {@code rps} requests per second, ending with the last whole minute. */
  private void traffic(double rps) {
    double[] sums = new double[12];
    java.util.Arrays.fill(sums, rps * 60);
    invocations(sums);
  }

  /**
   * Requests counted per minute, the last in the last whole minute.
   *
   * @return the last minute
   */
  private Instant invocations(double... sums) {
    Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    Fixtures.putPerMinute(aws.cloudWatch(), "AWS/SageMaker", "Invocations",
        MetricSpec.variantDimensions(endpoint, Fixtures.VARIANT),
        minute.minus(sums.length, ChronoUnit.MINUTES), sums);
    return minute.minus(1, ChronoUnit.MINUTES);
  }

  private ScalerOutcome run(ScalerInvocation invocation) {
    return aws.scalerWiring().step(invocation, log::add)
        .run(invocation.task(), ChronoUnit.FOREVER::getDuration);
  }

  /** RPS-only policy, so missing LLM metrics neither block nor drive anything. */
  private ScalerInvocation request(String extra) {
    JsonNode payload = json("{\"endpointName\":\"" + endpoint + "\",\"variantName\":\"AllTraffic\","
        + "\"policy\":{\"minInstances\":1,\"maxInstances\":20,\"targetRpsPerInstance\":2.0,"
        + "\"signals\":[\"rps\"]}" + extra + "}");
    return ScalerInvocation.parse(json(payload.toString()), Deployment.standard());
  }


  @Test
  void scaleOutIsAppliedAndVisibleInDescribeEndpoint() {
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 2, Map.of());
    traffic(10.0); // 10 rps at 2 rps per instance → 5 instances

    ScalerOutcome result = run(request(",\"capacityCheck\":\"none\""));

    assertEquals(Action.SCALE_OUT, result.decision().action());
    assertEquals(5, result.decision().to());
    assertTrue(result.applied(), result.toJson());
    assertEquals(List.of(), result.notApplied());
    assertEquals(5, Fixtures.desiredInstanceCount(aws.sageMaker(), endpoint));
  }

  @Test
  void burstyTrafficIsJudgedOnTheLastHourOfInvocations() {
    // An hour of 60 and 540 requests a minute in turn (1 and 9 RPS): bursty, so the RPS mean
    // covers the longest window, 10 minutes; read over the old 20 minutes, the history was too
    // short to tell.
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 5, Map.of());
    Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    double[] sums = new double[61];
    for (int i = 0; i < sums.length; i++) {
      sums[i] = (sums.length - 1 - i) % 2 == 0 ? 540 : 60;
    }
    Fixtures.putPerMinute(aws.cloudWatch(), "AWS/SageMaker", "Invocations",
        MetricSpec.variantDimensions(endpoint, Fixtures.VARIANT),
        minute.minus(61, ChronoUnit.MINUTES), sums);

    ScalerOutcome result = run(request(",\"dryRun\":true,\"capacityCheck\":\"none\""));

    var rps = result.decision().signals().get(0);
    assertEquals(10, rps.windowMinutes(), result.toJson());
    assertEquals(5.0, rps.value(), 1e-9);
  }

  @Test
  void dryRunExplainsButChangesNothing() {
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 2, Map.of());
    traffic(10.0);

    ScalerOutcome result = run(request(",\"dryRun\":true,\"capacityCheck\":\"none\""));

    assertEquals(5, result.decision().to());
    assertFalse(result.applied());
    assertEquals(List.of(NotApplied.DRY_RUN), result.notApplied());
    assertEquals(2, Fixtures.desiredInstanceCount(aws.sageMaker(), endpoint));
    assertTrue(result.toJson().contains("\"explanation\""), result.toJson());
  }

  @Test
  void aPausedEndpointIsNotChanged() {
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 2, Map.of(PauseTag.KEY, "true"));
    traffic(10.0);

    ScalerOutcome result = run(request(",\"capacityCheck\":\"none\""));

    assertTrue(result.paused());
    assertEquals(List.of(NotApplied.PAUSED), result.notApplied());
    assertEquals(2, Fixtures.desiredInstanceCount(aws.sageMaker(), endpoint));
  }

  @Test
  void anEndpointThatIsNotInServiceIsHeldAndNotWritten(AwsEmulator.Running emulator) {
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 2, Map.of());
    emulator.setEndpointStatus(endpoint, "Updating");
    traffic(10.0);

    ScalerOutcome result = run(request(""));

    assertEquals("Updating", result.status());
    assertEquals(Action.HOLD, result.decision().action());
    assertTrue(result.decision().has(ReasonCode.ENDPOINT_NOT_IN_SERVICE), result.toJson());
    assertTrue(result.notApplied().contains(NotApplied.ENDPOINT_NOT_IN_SERVICE));
    assertFalse(result.applied());
    assertEquals(2, Fixtures.desiredInstanceCount(aws.sageMaker(), endpoint));
  }

  @Test
  void anUnchangedCountIsNotWritten() {
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 5, Map.of());
    traffic(10.0);

    ScalerOutcome result = run(request(",\"capacityCheck\":\"none\""));

    assertEquals(Action.HOLD, result.decision().action());
    assertEquals(List.of(NotApplied.NO_CHANGE), result.notApplied());
  }

  @Test
  void scaleOutIsClampedToReservedHeadroom() {
    // A GPU endpoint, as LLMs run on: ml.g5.xlarge is reserved as EC2 g5.xlarge. Reservations of
    // other types (a CPU type, a bigger g5) do not count.
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, Fixtures.GPU_INSTANCE_TYPE, 2, Map.of());
    Fixtures.createReservation(aws.ec2(), "g5.xlarge", 1);
    Fixtures.createReservation(aws.ec2(), "m5.xlarge", 9);
    Fixtures.createReservation(aws.ec2(), "g5.12xlarge", 9);
    traffic(10.0);

    ScalerOutcome result = run(request(""));

    assertEquals("ml.g5.xlarge", result.instanceType());
    assertEquals("g5.xlarge", result.capacity().ec2InstanceType());
    assertEquals(1, result.capacity().headroom());
    assertEquals(3, result.decision().to());
    assertTrue(result.decision().has(ReasonCode.CAPACITY_LIMITED), result.toJson());
    assertEquals(3, Fixtures.desiredInstanceCount(aws.sageMaker(), endpoint));
  }

  @Test
  void aFailedCapacityLookupIsReportedAndDoesNotClamp(AwsEmulator.Running emulator) {
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 2, Map.of());
    emulator.failEc2Action("DescribeCapacityReservations", "UnauthorizedOperation");
    traffic(10.0);

    ScalerOutcome result = run(request(""));

    assertNull(result.capacity().headroom());
    assertNull(result.decision().capacityHeadroom());
    assertTrue(result.capacity().note().contains("UnauthorizedOperation"), result.toJson());
    assertTrue(result.capacity().note().contains("not clamped"), result.toJson());
    assertEquals(1, result.notes().size(), result.toJson());
    assertEquals(5, result.decision().to());
    assertTrue(result.decision().has(ReasonCode.CAPACITY_UNKNOWN), result.toJson());
    assertTrue(result.decision().has(ReasonCode.FORECAST_UNAVAILABLE), result.toJson());
    assertTrue(result.applied());
  }

  @Test
  void readsTheLlmSignalsFromConfigurableMetricsAndReportsTheForecast() {
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 2, Map.of());
    Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    List<MetricDimension> dims = List.of(new MetricDimension("Endpoint", endpoint));
    Fixtures.putPerMinute(aws.cloudWatch(), "vLLM", "QueueDepth", dims,
        minute.minus(3, ChronoUnit.MINUTES), 1, 12, 16);
    aws.metricsPublisher().publish(InferScaleMetrics.NAMESPACE, List.of(new MetricPoint(
        InferScaleMetrics.FORECAST_RPS, ForecastChannel.LIVE.dimensions(endpoint, "AllTraffic"),
        minute.plus(20, ChronoUnit.MINUTES), 42.0, "Count")));

    JsonNode payload = json("{\"endpointName\":\"" + endpoint + "\",\"variantName\":\"AllTraffic\","
        + "\"capacityCheck\":\"none\",\"policy\":{\"maxInstances\":20,"
        + "\"signals\":[\"waitingRequests\"]},"
        + "\"metrics\":{\"waitingRequests\":{\"namespace\":\"vLLM\",\"name\":\"QueueDepth\","
        + "\"dimensions\":{\"Endpoint\":\"${endpointName}\"}}}}");
    ScalerOutcome result = run(ScalerInvocation.parse(payload, Deployment.standard()));

    // max(12, 16) waiting at 2 per instance → 8; the forecast of 42 RPS in 20 minutes, inside
    // the pre-warm window [now + 12, now + 22], asks for 42, capped at 20; +4 per cycle → 6
    assertEquals(6, result.decision().to(), result.toJson());
    assertEquals(1, result.forecast().points());
    assertEquals(42.0, result.forecast().peakRps());
    assertTrue(result.forecast().usedAsFloor());
    assertEquals(42, result.decision().predictiveFloor().instances());
    assertEquals(12, result.decision().predictiveFloor().leadMinutes());
    assertTrue(result.decision().has(ReasonCode.MAX_INSTANCES), result.toJson());
  }

  @Test
  void withWhatAnInstanceServesTheFloorReadsTheExpectedRateBesideTheUpperForecast() {
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 2, Map.of());
    traffic(2.0);
    Instant peak = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(15, ChronoUnit.MINUTES);
    List<MetricDimension> dims = ForecastChannel.LIVE.dimensions(endpoint, "AllTraffic");
    aws.metricsPublisher().publish(InferScaleMetrics.NAMESPACE, List.of(
        new MetricPoint(InferScaleMetrics.FORECAST_RPS, dims, peak, 42.0, "Count/Second"),
        new MetricPoint(InferScaleMetrics.FORECAST_EXPECTED_RPS, dims, peak, 12.0,
            "Count/Second"),
        // an older run's forecast for the same minute: the scaler reads overlaps as their maximum
        new MetricPoint(InferScaleMetrics.FORECAST_EXPECTED_RPS, dims, peak, 9.0,
            "Count/Second")));

    JsonNode payload = json("{\"endpointName\":\"" + endpoint + "\",\"variantName\":\"AllTraffic\","
        + "\"capacityCheck\":\"none\",\"policy\":{\"maxInstances\":40,"
        + "\"targetRpsPerInstance\":1.0,\"maxRpsPerInstance\":1.5}}");
    ScalerOutcome result = run(ScalerInvocation.parse(payload, Deployment.standard()));

    // The upper 42 RPS at 1.5 per instance needs 28; the expected 12 at the target of 1 needs
    // only 12, the most target tracking would hold for it.
    PredictiveFloor floor = result.decision().predictiveFloor();
    assertEquals(12, floor.instances(), result.toJson());
    assertEquals(PredictiveFloor.Basis.EXPECTED_AT_TARGET, floor.basis());
    assertEquals(12.0, floor.peakRps());
    assertTrue(result.decision().explanation().contains("(expected rate) of 12"),
        result.decision().explanation());
  }

  @Test
  void aScheduledWindowRaisesTheFloorAndNamesTheSchedule() {
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 2, Map.of());
    traffic(2.0); // needs 1

    ScalerOutcome result = run(request(",\"capacityCheck\":\"none\","
        + "\"schedules\":[{\"name\":\"launch\",\"cron\":\"cron(* * ? * * *)\","
        + "\"timeZone\":\"Europe/Berlin\",\"minInstances\":5}]"));

    assertEquals(5, result.decision().to(), result.toJson());
    assertTrue(result.decision().has(ReasonCode.SCHEDULED_FLOOR), result.toJson());
    assertEquals("launch", result.decision().scheduledFloor().schedule());
    assertEquals(5, Fixtures.desiredInstanceCount(aws.sageMaker(), endpoint));
  }

  @Test
  void scaleInWaitsForTheCooldownAfterThisScalersOwnLastScaleOut() {
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 6, Map.of());
    traffic(2.0); // needs 1: a scale-in, one step at a time
    ScalerOutcome free = run(request(",\"capacityCheck\":\"none\",\"dryRun\":true"));
    assertEquals(Action.SCALE_IN, free.decision().action(), free.toJson());

    Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    Fixtures.putPerMinute(aws.cloudWatch(), InferScaleMetrics.NAMESPACE,
        InferScaleMetrics.SCALE_OUT_APPLIED, MetricSpec.variantDimensions(endpoint, Fixtures.VARIANT),
        minute.minus(3, ChronoUnit.MINUTES), 1);
    ScalerOutcome held = run(request(",\"capacityCheck\":\"none\",\"dryRun\":true"));
    assertEquals(Action.HOLD, held.decision().action(), held.toJson());
    assertTrue(held.decision().has(ReasonCode.SCALE_IN_COOLDOWN), held.toJson());
    assertTrue(held.decision().explanation().contains("scaled out less than 10 minutes ago"),
        held.decision().explanation());
  }

  @Test
  void aCooldownLongerThanTheSignalHistoryEnds() {
    // A 90-minute cooldown, the last scale-out 100 minutes ago. A read shorter than the cooldown
    // finds no scale-out and must assume one at its start, so scale-in would wait for ever (as it
    // did with any cooldown over the old 20-minute read); the read covers the cooldown.
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 6, Map.of());
    traffic(2.0);
    Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    Fixtures.putPerMinute(aws.cloudWatch(), InferScaleMetrics.NAMESPACE,
        InferScaleMetrics.SCALE_OUT_APPLIED, MetricSpec.variantDimensions(endpoint, Fixtures.VARIANT),
        minute.minus(100, ChronoUnit.MINUTES), 1);
    ScalerInvocation request = ScalerInvocation.parse(json("{\"endpointName\":\"" + endpoint + "\","
        + "\"variantName\":\"AllTraffic\",\"dryRun\":true,\"capacityCheck\":\"none\","
        + "\"policy\":{\"minInstances\":1,\"maxInstances\":20,\"targetRpsPerInstance\":2.0,"
        + "\"signals\":[\"rps\"],\"scaleInCooldownMinutes\":90}}"), Deployment.standard());

    ScalerOutcome result = run(request);

    assertEquals(Action.SCALE_IN, result.decision().action(), result.toJson());
  }

  @Test
  void anInvalidScheduleNamesItsFieldAndNothingRuns() {
    InvalidRequestException e = org.junit.jupiter.api.Assertions.assertThrows(
        InvalidRequestException.class, () -> request(",\"schedules\":[{\"cron\":\"* 8-17 ? * MON-FRI\","
            + "\"timeZone\":\"Europe/Berlin\",\"minInstances\":6}, {\"cron\":\"* 8 ? * * *\","
            + "\"timeZone\":\"Nowhere/Land\",\"minInstances\":2, \"size\":1}]"));
    String message = String.join("\n", e.problems());
    assertTrue(message.contains("schedules[0].cron is not a valid AWS cron expression"), message);
    assertTrue(message.contains("schedules[1]: unknown field 'size'"), message);
    assertTrue(message.contains("schedules[1].timeZone is not a known time zone"), message);
  }

  @Test
  void emitsTheDecisionAsEmbeddedMetrics() {
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 2, Map.of());
    traffic(10.0);
    ScalerOutcome result = run(request(",\"dryRun\":true,\"capacityCheck\":\"none\""));

    assertEquals(2, log.size(), "the cycle's record: the decision and the demand");
    assertEquals(DecisionMetrics.emf(result).stream().map(Fixtures::json).toList(),
        log.stream().map(Fixtures::json).toList());
    JsonNode emf = json(log.get(0));

    assertEquals(result.decision().at().toEpochMilli(), emf.at("/_aws/Timestamp").asLong());
    assertEquals(0, result.decision().at().getEpochSecond() % 60, "the minute decided for");
    assertEquals("InferScale", emf.at("/_aws/CloudWatchMetrics/0/Namespace").asText());
    assertEquals(List.of(List.of("EndpointName", "VariantName")), dimensionSets(emf, 0),
        "the per-variant metrics' dimensions, as the alarms and the cooldown read them");
    assertEquals(endpoint, emf.get("EndpointName").asText());
    assertEquals(5.0, emf.get(DecisionMetrics.DESIRED).asDouble());
    assertEquals(2.0, emf.get(DecisionMetrics.CURRENT).asDouble(), "the serving count");
    assertEquals(5.0, emf.get(DecisionMetrics.REACTIVE).asDouble());
    assertEquals(1.0, emf.get(DecisionMetrics.ACTION).asDouble());
    assertEquals(0.0, emf.get(DecisionMetrics.APPLIED).asDouble());
    // unknown this cycle → not published as a fake zero
    assertFalse(emf.has(DecisionMetrics.PREDICTIVE_FLOOR));
    assertFalse(emf.has(DecisionMetrics.CAPACITY_HEADROOM));
    for (JsonNode directive : emf.at("/_aws/CloudWatchMetrics")) {
      for (String name : metricNames(directive)) {
        assertTrue(emf.get(name).isNumber(), name);
      }
    }
  }

  @Test
  void aDryRunRecordsItsAskAndTheDemandItSawAsShadow() {
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 2, Map.of());
    Instant newest = invocations(600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 660);
    ScalerOutcome result = run(request(",\"dryRun\":true,\"capacityCheck\":\"none\""));

    JsonNode decision = json(log.get(0));
    assertModeDirective(decision, 1, FIRST_CYCLE_BY_MODE);
    assertEquals(InferScaleMetrics.MODE_SHADOW, decision.get(InferScaleMetrics.MODE).asText());

    JsonNode demand = json(log.get(1));
    assertEquals(newest.toEpochMilli(), demand.at("/_aws/Timestamp").asLong(),
        "the minute the requests were counted in, not the one decided for");
    assertTrue(newest.isBefore(result.decision().at()));
    assertEquals(1, demand.at("/_aws/CloudWatchMetrics").size());
    assertModeDirective(demand, 0, List.of(DecisionMetrics.OBSERVED_REQUESTS));
    assertEquals(InferScaleMetrics.MODE_SHADOW, demand.get(InferScaleMetrics.MODE).asText());
    assertEquals(endpoint, demand.get("EndpointName").asText());
    assertEquals(660.0, demand.get(DecisionMetrics.OBSERVED_REQUESTS).asDouble(),
        "the newest minute's requests, per minute");
    assertFalse(demand.has(DecisionMetrics.CAPACITY_PER_INSTANCE), "no maxRpsPerInstance");
  }

  @Test
  void aLiveCycleRecordsItsModeAndWhatOneInstanceServesPerMinute() {
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 2, Map.of());
    Instant newest = invocations(120, 120, 120, 180);
    JsonNode payload = json("{\"endpointName\":\"" + endpoint + "\",\"variantName\":\"AllTraffic\","
        + "\"capacityCheck\":\"none\",\"policy\":{\"minInstances\":1,\"maxInstances\":20,"
        + "\"targetRpsPerInstance\":2.0,\"maxRpsPerInstance\":2.5,\"signals\":[\"rps\"]}}");
    ScalerOutcome result = run(ScalerInvocation.parse(payload, Deployment.standard()));
    assertFalse(result.dryRun());

    JsonNode decision = json(log.get(0));
    assertModeDirective(decision, 1, FIRST_CYCLE_BY_MODE);
    assertEquals(InferScaleMetrics.MODE_LIVE, decision.get(InferScaleMetrics.MODE).asText());
    JsonNode demand = json(log.get(1));
    assertEquals(newest.toEpochMilli(), demand.at("/_aws/Timestamp").asLong());
    assertEquals(InferScaleMetrics.MODE_LIVE, demand.get(InferScaleMetrics.MODE).asText());
    assertModeDirective(demand, 0, List.of(DecisionMetrics.OBSERVED_REQUESTS,
        DecisionMetrics.CAPACITY_PER_INSTANCE));
    assertEquals(180.0, demand.get(DecisionMetrics.OBSERVED_REQUESTS).asDouble());
    assertEquals(150.0, demand.get(DecisionMetrics.CAPACITY_PER_INSTANCE).asDouble(),
        "2.5 requests per second is 150 a minute");
  }

  @Test
  void withoutRequestsSeenThereIsNoDemandLine() {
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 2, Map.of());
    ScalerOutcome result = run(request(",\"dryRun\":true,\"capacityCheck\":\"none\""));
    assertNull(result.demand());
    assertEquals(1, log.size(), log.toString());
  }

  /**
   * What a deployment's first cycle records by mode: its ask and the serving count, and the lead
   * it tallied (none had been), which later cycles and the forecaster read back.
   */
  private static final List<String> FIRST_CYCLE_BY_MODE = List.of(DecisionMetrics.DESIRED,
      DecisionMetrics.CURRENT, InferScaleMetrics.LEARNED_COLD_START,
      InferScaleMetrics.LEAD_UPDATES);

  /** The directive at {@code index}: InferScale, by variant and mode, declaring {@code names}. */
  private static void assertModeDirective(JsonNode line, int index, List<String> names) {
    JsonNode directive = line.at("/_aws/CloudWatchMetrics/" + index);
    assertEquals(InferScaleMetrics.NAMESPACE, directive.get("Namespace").asText());
    assertEquals(List.of(List.of("EndpointName", "VariantName", InferScaleMetrics.MODE)),
        dimensionSets(line, index));
    assertEquals(names, metricNames(directive));
    for (JsonNode metric : directive.get("Metrics")) {
      boolean minutes = metric.get("Name").asText().equals(InferScaleMetrics.LEARNED_COLD_START);
      assertEquals(minutes ? "None" : "Count", metric.get("Unit").asText(), metric.toString());
    }
  }

  private static List<List<String>> dimensionSets(JsonNode line, int directive) {
    List<List<String>> sets = new ArrayList<>();
    for (JsonNode set : line.at("/_aws/CloudWatchMetrics/" + directive + "/Dimensions")) {
      List<String> names = new ArrayList<>();
      set.forEach(name -> names.add(name.asText()));
      sets.add(names);
    }
    return sets;
  }

  private static List<String> metricNames(JsonNode directive) {
    List<String> names = new ArrayList<>();
    directive.get("Metrics").forEach(m -> names.add(m.get("Name").asText()));
    return names;
  }

  /**
   * Two hours of 600 requests a minute on 2 instances, 3 a second (180 a minute) each: 240 of
   * every 600 met no capacity, far beyond a 0.5 % budget. Returns the minute after them.
   */
  private Instant twoHoursOverCapacity() {
    Fixtures.createEndpoint(aws.sageMaker(), endpoint, 2, Map.of());
    double[] requests = new double[120];
    double[] perInstance = new double[120];
    java.util.Arrays.fill(requests, 600);
    java.util.Arrays.fill(perInstance, 300);
    Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    List<inferscale.aws.adapters.MetricDimension> dims =
        MetricSpec.variantDimensions(endpoint, Fixtures.VARIANT);
    for (int from = 0; from < 120; from += 40) {
      Fixtures.putPerMinute(aws.cloudWatch(), "AWS/SageMaker", "Invocations", dims,
          minute.minus(120 - from, ChronoUnit.MINUTES),
          java.util.Arrays.copyOfRange(requests, from, from + 40));
      Fixtures.putPerMinute(aws.cloudWatch(), "AWS/SageMaker", "InvocationsPerInstance", dims,
          minute.minus(120 - from, ChronoUnit.MINUTES),
          java.util.Arrays.copyOfRange(perInstance, from, from + 40));
    }
    return minute;
  }

  @Test
  void aColdFunctionCarriesOnFromTheBudgetStateTheLastCyclePublished() {
    Instant minute = twoHoursOverCapacity();
    String budget = ",\"capacityCheck\":\"none\",\"dryRun\":true,\"policy\":{\"targets\":"
        + "{\"signals\":[\"rps\"],\"rpsPerInstance\":2.0,\"maxRpsPerInstance\":3.0},"
        + "\"bounds\":{\"maxInstances\":20},\"budget\":{\"unservedPercent\":0.5}}";
    // A dry-run deployment: it records and reads back its own state, under Mode=Shadow.
    ScalerInvocation invocation = ScalerInvocation.parse(json(("{\"endpointName\":\"" + endpoint
        + "\",\"variantName\":\"AllTraffic\"" + budget + "}")),
        new Deployment(true, Deployment.standard().capacityMode()));

    SimulationClock clock = new SimulationClock(minute.minus(2, ChronoUnit.MINUTES));
    List<String> lines = new ArrayList<>();
    ScalerOutcome first = TestAwsComponent.create(clock).scalerWiring()
        .step(invocation, line -> {
          lines.add(line);
          EmbeddedMetrics.extract(aws.cloudWatch(), line);
        })
        .run(invocation.task(), ChronoUnit.FOREVER::getDuration);
    // Burns are published as percentages, the settings as plain numbers.
    Map<String, String> units = new java.util.HashMap<>();
    for (String line : lines) {
      for (JsonNode directive : json(line).at("/_aws/CloudWatchMetrics")) {
        directive.get("Metrics").forEach(m -> units.put(m.get("Name").asText(),
            m.get("Unit").asText()));
      }
    }
    assertEquals("Percent", units.get(InferScaleMetrics.BUDGET_WEEK_BURN_PERCENT),
        units.toString());
    assertEquals("Percent", units.get(InferScaleMetrics.BUDGET_BURN_PERCENT));
    assertEquals("None", units.get(InferScaleMetrics.BUDGET_UTILIZATION));
    assertEquals("None", units.get(InferScaleMetrics.BUDGET_WEEK_MINUTES));
    assertEquals(2.0 / 3.0, first.budget().previousUtilization(), 1e-12, "the policy's own");
    assertEquals(40.0, first.budget().burnPercent(), 1e-9);
    // No tally published yet: this cycle tallied the week (the two hours it has) itself.
    assertEquals(40.0, first.budget().weekBurnPercent(), 1e-9);
    assertEquals(first.decision().at(), first.budget().weekMeasuredAt());
    assertTrue(first.budget().utilization() < 2.0 / 3.0, first.budget().toString());
    assertTrue(log.isEmpty());

    // The next minute, a new function instance: it reads the state back from CloudWatch.
    clock.set(minute.minus(1, ChronoUnit.MINUTES));
    ScalerOutcome next = TestAwsComponent.create(clock).scalerWiring()
        .step(invocation, line -> { })
        .run(invocation.task(), ChronoUnit.FOREVER::getDuration);
    assertEquals(first.budget().utilization(), next.budget().previousUtilization(), 1e-12);
    // ... and the week's tally, which it carries on for an hour rather than read a week again.
    assertEquals(first.budget().weekMeasuredAt(), next.budget().weekMeasuredAt());
    assertEquals(40.0, next.budget().weekBurnPercent(), 1e-9);
    assertEquals(first.budget().weekMinutes(), next.budget().weekMinutes());
    // ... with its last day's, tallied from the same read.
    assertEquals(40.0, next.budget().burnPercent(), 1e-9);
    assertEquals(first.budget().minutes(), next.budget().minutes());
    // A live deployment of the same variant keeps its own state: it starts from the policy's.
    ScalerInvocation live = ScalerInvocation.parse(json(("{\"endpointName\":\"" + endpoint
        + "\",\"variantName\":\"AllTraffic\"" + budget + "}")), Deployment.standard());
    assertEquals(2.0 / 3.0, TestAwsComponent.create(clock).scalerWiring().step(live, line -> { })
        .run(live.task(), ChronoUnit.FOREVER::getDuration).budget().previousUtilization(), 1e-12);
    assertTrue(next.budget().utilization() < first.budget().utilization());
    // The engine held each instance at the budget's target, not the policy's 2 a second.
    assertEquals(first.budget().utilization() * 3.0, json(first.toJson())
        .at("/decision/signals/0/target").asDouble(Double.NaN), 1e-9, first.toJson());
  }

  @Test
  void withAFloorBandTheBudgetMovesTheBandAndAColdFunctionCarriesOnFromIt() {
    Instant minute = twoHoursOverCapacity();
    ScalerInvocation invocation = ScalerInvocation.parse(json(("{\"endpointName\":\"" + endpoint
        + "\",\"variantName\":\"AllTraffic\",\"capacityCheck\":\"none\",\"dryRun\":true,"
        + "\"policy\":{\"targets\":{\"signals\":[\"rps\"],\"rpsPerInstance\":3.0,"
        + "\"maxRpsPerInstance\":3.0,\"floorBand\":0.5},\"bounds\":{\"maxInstances\":20},"
        + "\"budget\":{\"unservedPercent\":0.5}}}")),
        new Deployment(true, Deployment.standard().capacityMode()));
    SimulationClock clock = new SimulationClock(minute.minus(2, ChronoUnit.MINUTES));
    ScalerOutcome first = TestAwsComponent.create(clock).scalerWiring()
        .step(invocation, line -> EmbeddedMetrics.extract(aws.cloudWatch(), line))
        .run(invocation.task(), ChronoUnit.FOREVER::getDuration);
    assertEquals(0.5, first.budget().previousFloorBand(), 1e-12, "the policy's own");
    // Far over the budget: a wider band; the target stays the policy's.
    assertTrue(first.budget().floorBand() > 0.5, first.budget().toString());
    assertEquals(1.0, first.budget().utilization(), 1e-12);

    clock.set(minute.minus(1, ChronoUnit.MINUTES));
    ScalerOutcome next = TestAwsComponent.create(clock).scalerWiring()
        .step(invocation, line -> { })
        .run(invocation.task(), ChronoUnit.FOREVER::getDuration);
    assertEquals(first.budget().floorBand(), next.budget().previousFloorBand(), 1e-12,
        "read back from BudgetFloorBand");
    assertTrue(next.budget().floorBand() > first.budget().floorBand());
    assertTrue(next.budget().sentence().startsWith("floor band "), next.budget().sentence());
  }
}
