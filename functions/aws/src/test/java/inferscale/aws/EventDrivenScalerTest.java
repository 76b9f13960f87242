package inferscale.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import inferscale.aws.adapters.AskTag;
import inferscale.aws.adapters.InferScaleMetrics;
import inferscale.aws.adapters.MetricDimension;
import inferscale.aws.adapters.MetricSpec;
import inferscale.aws.invocation.Deployment;
import inferscale.aws.invocation.ScalerInvocation;
import inferscale.aws.testing.AwsEmulator;
import inferscale.aws.testing.Fixtures;
import inferscale.aws.testing.TestAwsComponent;
import inferscale.backtest.SimulationClock;
import inferscale.control.LastAsk;
import inferscale.control.ScalerOutcome;
import inferscale.control.ScalerOutcome.NotApplied;
import inferscale.control.Trigger;
import inferscale.decision.Action;
import inferscale.decision.ReasonCode;
import inferscale.decision.Signal;
import inferscale.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariantSummary;

/**
 * The event-driven paths against the emulator, with the sample events of events/ as EventBridge
 * delivers them: the fast path's alarm, two runs in one minute, the endpoint's state changes, a
 * scale-out that finds no capacity (moto_ext rolls it back as SageMaker does), the fallback
 * variant and the learned start-up delay.
 */
@ExtendWith(AwsEmulator.class)
class EventDrivenScalerTest {
  private static final Path EVENTS = Path.of("..", "..", "events");
  /** The samples' endpoint; the emulator is reset before each test. */
  private static final String ENDPOINT = "llm-prod";

  private final List<String> log = new ArrayList<>();
  private final Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
  private final SimulationClock clock = new SimulationClock(minute.plusSeconds(20));
  private TestAwsComponent aws;

  @BeforeEach
  void setUp() {
    aws = TestAwsComponent.create(clock);
  }

  /** The deployed request: events/scaler-request.json, with the fast path's concurrency target. */
  private Deployment deployed(String policyJson) throws Exception {
    ObjectNode request = (ObjectNode) Json.mapper().readTree(
        Files.readString(EVENTS.resolve("scaler-request.json")));
    request.put("capacityCheck", "none");
    request.set("policy", Json.mapper().readTree(policyJson));
    return Deployment.standard().withRequest(request);
  }

  /** As the template deploys the fast path: a concurrency target of 8 in flight (a 2 s latency). */
  private static final String FAST_PATH_POLICY = "{\"bounds\": {\"minInstances\": 2,"
      + " \"maxInstances\": 16}, \"targets\": {\"rpsPerInstance\": 4.0,"
      + " \"concurrencyPerInstance\": 8}}";

  private ScalerOutcome run(String event, Deployment deployment) throws Exception {
    ScalerInvocation invocation = ScalerInvocation.fromInput(
        Files.readAllBytes(EVENTS.resolve(event)), deployment);
    return aws.scalerWiring().step(invocation, log::add)
        .run(invocation.task(), ChronoUnit.FOREVER::getDuration);
  }

  /** An hour of requests at {@code rps}, through the last whole minute. */
  private void requests(double rps) {
    double[] sums = new double[40];
    Arrays.fill(sums, rps * 60);
    Fixtures.putPerMinute(aws.cloudWatch(), "AWS/SageMaker", "Invocations",
        MetricSpec.variantDimensions(ENDPOINT, Fixtures.VARIANT),
        minute.minus(sums.length, ChronoUnit.MINUTES), sums);
  }

  /** SageMaker's 10-second ConcurrentRequestsPerModel, from {@code first}. */
  private void concurrency(Instant first, double... values) {
    List<Dimension> dims = List.of(
        Dimension.builder().name("EndpointName").value(ENDPOINT).build(),
        Dimension.builder().name("VariantName").value(Fixtures.VARIANT).build());
    List<MetricDatum> data = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      data.add(MetricDatum.builder().metricName("ConcurrentRequestsPerModel").dimensions(dims)
          .timestamp(first.plusSeconds(10L * i)).value(values[i]).storageResolution(1)
          .unit(StandardUnit.COUNT).build());
    }
    aws.cloudWatch().putMetricData(b -> b.namespace("AWS/SageMaker").metricData(data));
  }

  private int desired(String variant) {
    return variant(variant).desiredInstanceCount();
  }

  private ProductionVariantSummary variant(String name) {
    return aws.sageMaker().describeEndpoint(b -> b.endpointName(ENDPOINT)).productionVariants()
        .stream().filter(v -> v.variantName().equals(name)).findFirst().orElseThrow();
  }

  private LastAsk lastAsk() {
    String arn = aws.sageMaker().describeEndpoint(b -> b.endpointName(ENDPOINT)).endpointArn();
    return aws.sageMaker().listTags(b -> b.resourceArn(arn)).tags().stream()
        .filter(t -> t.key().equals(AskTag.KEY)).findFirst()
        .map(t -> AskTag.parse(t.value())).orElse(null);
  }

  @Test
  void theAlarmsEventScalesOutWithinTheMinuteOnTheInFlightRequests() throws Exception {
    Fixtures.createEndpoint(aws.sageMaker(), ENDPOINT, Fixtures.GPU_INSTANCE_TYPE, 4, Map.of());
    requests(16); // 16 RPS on 4 instances at 4 each: at the target, per-minute metrics say
    // In flight per instance: 8 (the target) the last minute, a burst to 20 in this one's first
    // 20 seconds.
    concurrency(minute.minusSeconds(60), 8, 8, 8, 8, 8, 8, 18, 20);

    ScalerOutcome outcome = run("alarm-state-change.json", deployed(FAST_PATH_POLICY));

    assertEquals(Trigger.ALARM, outcome.trigger());
    assertEquals(Action.SCALE_OUT, outcome.decision().action(), outcome.toJson());
    // Invocations reach the last minute (16 RPS); this minute's 19 in flight on 4 instances carry
    // RPS on: 19 × 4 / 2 s = 38. The window's mean, 27 RPS at 4 per instance: 6.75 → 7.
    var rps = outcome.decision().signals().get(0);
    assertEquals(Signal.RPS, outcome.decision().bindingSignal());
    assertEquals(minute, rps.newestPoint());
    assertEquals(27.0, rps.value(), 1e-9);
    assertEquals(7, outcome.decision().to());
    assertEquals(7, desired(Fixtures.VARIANT));
    assertTrue(log.stream().anyMatch(l -> l.contains("\"Trigger\":\"Alarm\"")), log.toString());
  }

  @Test
  void twoOverlappingRunsInOneMinuteScaleOutOnce() throws Exception {
    Fixtures.createEndpoint(aws.sageMaker(), ENDPOINT, Fixtures.GPU_INSTANCE_TYPE, 2, Map.of());
    requests(40); // 10 instances' worth, +4 a cycle from 2: 6 (panic lifts it: far above)
    Deployment deployment = deployed("{\"bounds\": {\"minInstances\": 2, \"maxInstances\": 16},"
        + " \"targets\": {\"rpsPerInstance\": 4.0}, \"scaleOut\": {\"panicThreshold\": 100}}");

    // The schedule and the alarm at once, each through its own handler-built step.
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Callable<ScalerOutcome>> runs = List.of(() -> run("scaler-schedule.json", deployment),
        () -> run("alarm-state-change.json", deployment));
    List<ScalerOutcome> outcomes = new ArrayList<>();
    for (Future<ScalerOutcome> f : pool.invokeAll(runs)) {
      outcomes.add(f.get());
    }
    pool.shutdown();
    assertEquals(6, desired(Fixtures.VARIANT), outcomes.toString());

    // A third run in the same minute, after both: it decides from 2, the minute's count.
    clock.set(minute.plusSeconds(50));
    ScalerOutcome third = run("alarm-state-change.json", deployment);
    assertEquals(2, third.decision().from(), third.toJson());
    assertEquals(List.of(NotApplied.NO_CHANGE), third.notApplied());
    assertEquals(6, desired(Fixtures.VARIANT), "decided once: not 10");

    // The next minute steps on from 6.
    clock.set(minute.plusSeconds(75));
    assertEquals(10, run("scaler-schedule.json", deployment).decision().to());
  }

  @Test
  void noCapacityBacksOffGrowsTheFallbackShiftsTrafficAndReturnsItOnRecovery(
      AwsEmulator.Running emulator) throws Exception {
    Fixtures.createEndpointWithFallback(aws.sageMaker(), ENDPOINT, Fixtures.GPU_INSTANCE_TYPE, 4,
        "Fallback", "ml.g6.xlarge", 1);
    emulator.limitCapacity(ENDPOINT, Fixtures.VARIANT, 4); // EC2 has no more g5 for it
    requests(48); // 12 instances' worth at 4 RPS
    Deployment deployment = deployed("{\"bounds\": {\"minInstances\": 2, \"maxInstances\": 16},"
        + " \"targets\": {\"rpsPerInstance\": 4.0}, \"scaleOut\": {\"panicThreshold\": 100},"
        + " \"fallback\": {\"variantName\": \"Fallback\", \"rpsPerInstance\": 2.0,"
        + " \"minInstances\": 1, \"maxInstances\": 20}}");

    ScalerOutcome asked = run("scaler-schedule.json", deployment);
    assertEquals(8, asked.decision().to());
    assertTrue(asked.applied());
    assertEquals(4, desired(Fixtures.VARIANT), "SageMaker rolled the update back");
    assertEquals(LastAsk.Outcome.PENDING, lastAsk().outcome());

    // SageMaker's InService event after the roll-back: the failure is seen at once.
    clock.set(minute.plusSeconds(40));
    ScalerOutcome failed = run("endpoint-state-change.json", deployment);
    assertEquals(Trigger.ENDPOINT_STATE, failed.trigger());
    assertEquals(ReasonCode.CAPACITY_UNAVAILABLE, failed.decision().bindingConstraint(),
        failed.toJson());
    assertEquals(LastAsk.Outcome.NO_CAPACITY, lastAsk().outcome(), failed.toJson());
    assertEquals(1, lastAsk().failures());
    // 8 primary instances short at 4 RPS = 32 RPS, at 2 per fallback instance: 16; weights by
    // serving capacity after the update: 4 × 4 on the primary, 1 × 2 on the fallback.
    assertNotNull(failed.fallback());
    assertEquals(16, desired("Fallback"));
    assertEquals(4, desired(Fixtures.VARIANT));
    assertEquals(16 / 18.0, variant(Fixtures.VARIANT).currentWeight(), 1e-3);
    assertTrue(log.stream().anyMatch(l -> l.contains("\"CapacityUnavailable\":1.0")));

    // The next minute the fallback's 16 serve (moto: at once): traffic moves to them.
    clock.set(minute.plusSeconds(80));
    ScalerOutcome shifted = run("scaler-schedule.json", deployment);
    assertEquals(16 / 48.0, variant(Fixtures.VARIANT).currentWeight(), 1e-3, shifted.toJson());
    assertEquals(32 / 48.0, variant("Fallback").currentWeight(), 1e-3);
    assertEquals(4, desired(Fixtures.VARIANT), "no scale-out during the back-off");

    // Capacity is back; after the back-off the primary grows again and the fallback gives way.
    emulator.limitCapacity(ENDPOINT, Fixtures.VARIANT, -1);
    Instant retry = lastAsk().retryAt();
    clock.set(retry.plusSeconds(1));
    ScalerOutcome retried = run("scaler-schedule.json", deployment);
    assertEquals(8, retried.decision().to(), retried.toJson());
    assertEquals(8, desired(Fixtures.VARIANT));
    clock.set(retry.plusSeconds(61));
    run("scaler-schedule.json", deployment);
    clock.set(retry.plusSeconds(121));
    ScalerOutcome recovered = run("scaler-schedule.json", deployment);
    assertEquals(12, desired(Fixtures.VARIANT), recovered.toJson());
    assertEquals(1, desired("Fallback"), "back to its minimum, never below");
    assertEquals(48 / 50.0, variant(Fixtures.VARIANT).currentWeight(), 1e-3);
    assertEquals(LastAsk.Outcome.SERVED, lastAsk().outcome());
  }

  @Test
  void theFallbacksRequestsAreDemandToo() throws Exception {
    Fixtures.createEndpointWithFallback(aws.sageMaker(), ENDPOINT, Fixtures.GPU_INSTANCE_TYPE, 4,
        "Fallback", "ml.g6.xlarge", 1);
    requests(16);
    double[] sums = new double[40];
    Arrays.fill(sums, 8 * 60.0);
    Fixtures.putPerMinute(aws.cloudWatch(), "AWS/SageMaker", "Invocations",
        MetricSpec.variantDimensions(ENDPOINT, "Fallback"), minute.minus(40, ChronoUnit.MINUTES),
        sums);
    Deployment deployment = deployed("{\"bounds\": {\"minInstances\": 2, \"maxInstances\": 16},"
        + " \"targets\": {\"rpsPerInstance\": 4.0}, \"fallback\": {\"variantName\":"
        + " \"Fallback\", \"rpsPerInstance\": 2.0}}");

    ScalerOutcome outcome = run("scaler-schedule.json", deployment);

    assertEquals(24.0, outcome.decision().signals().get(0).value(), 1e-9, outcome.toJson());
    assertEquals(6, outcome.decision().to());
  }

  @Test
  void theLeadIsLearnedFromTheScaleOutsTimedForTheInstanceType() throws Exception {
    Fixtures.createEndpoint(aws.sageMaker(), ENDPOINT, Fixtures.GPU_INSTANCE_TYPE, 4, Map.of());
    requests(16);
    double[] timed = new double[20];
    for (int i = 0; i < timed.length; i++) {
      timed[i] = 8 + i % 5; // 8-12 minutes; p90 of 20 is 12
    }
    Fixtures.putPerMinute(aws.cloudWatch(), InferScaleMetrics.NAMESPACE,
        InferScaleMetrics.STARTUP_MINUTES, List.of(new MetricDimension(
            InferScaleMetrics.INSTANCE_TYPE, Fixtures.GPU_INSTANCE_TYPE)),
        minute.minus(Duration.ofHours(3)), timed);

    ScalerOutcome outcome = run("scaler-schedule.json", deployed(FAST_PATH_POLICY));

    assertEquals(12, outcome.lead().coldStartMinutes(), outcome.toJson());
    assertTrue(outcome.lead().sentence().startsWith("lead 14 min: p90 of the last 20 updates"),
        outcome.lead().sentence());
  }

  @Test
  void aScaleOutSeenServedIsTimedAndPublishedByInstanceType() throws Exception {
    Fixtures.createEndpoint(aws.sageMaker(), ENDPOINT, Fixtures.GPU_INSTANCE_TYPE, 2, Map.of());
    requests(24);
    Deployment deployment = deployed("{\"bounds\": {\"minInstances\": 2, \"maxInstances\": 16},"
        + " \"targets\": {\"rpsPerInstance\": 4.0}}");
    assertEquals(6, run("scaler-schedule.json", deployment).decision().to());
    // moto serves at once; SageMaker's InService event for it comes 11 minutes on.
    clock.set(minute.plusSeconds(20 + 11 * 60));
    log.clear();

    ScalerOutcome served = run("endpoint-state-change.json", deployment);

    assertEquals(11.0, served.startupMinutes(), 1e-9);
    JsonNode line = log.stream().map(EventDrivenScalerTest::json)
        .filter(l -> l.has(InferScaleMetrics.STARTUP_MINUTES)).findFirst().orElseThrow();
    assertEquals(Fixtures.GPU_INSTANCE_TYPE, line.get(InferScaleMetrics.INSTANCE_TYPE).asText());
    assertEquals(11.0, line.get(InferScaleMetrics.STARTUP_MINUTES).asDouble(), 1e-9);
  }

  private static JsonNode json(String line) {
    try {
      return Json.mapper().readTree(line);
    } catch (Exception e) {
      return Json.mapper().createObjectNode();
    }
  }
}
