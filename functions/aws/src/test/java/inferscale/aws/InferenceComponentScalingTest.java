package inferscale.aws;

import static inferscale.aws.testing.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferscale.aws.adapters.CloudWatchForecastStore;
import inferscale.aws.adapters.ForecastChannel;
import inferscale.aws.adapters.MetricTarget;
import inferscale.aws.adapters.PauseTag;
import inferscale.aws.invocation.Deployment;
import inferscale.aws.invocation.InvalidRequestException;
import inferscale.aws.invocation.ScalerInvocation;
import inferscale.aws.testing.AwsEmulator;
import inferscale.aws.testing.Fixtures;
import inferscale.aws.testing.TestAwsComponent;
import inferscale.control.FailureReason;
import inferscale.control.ForecastPublication;
import inferscale.control.PortFailure;
import inferscale.control.ScalerOutcome;
import inferscale.control.ScalerOutcome.NotApplied;
import inferscale.decision.Action;
import inferscale.decision.ReasonCode;
import inferscale.units.RequestRate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sagemaker.model.DescribeInferenceComponentResponse;
import software.amazon.awssdk.services.sagemaker.model.Tag;

/**
 * The scaler on an inference component, against the emulator's components (moto_ext): copies are
 * what it counts, the endpoint's managed instance scaling follows them.
 */
@ExtendWith(AwsEmulator.class)
class InferenceComponentScalingTest {
  /** Four accelerators an instance: a copy needs one. */
  private static final String FOUR_GPUS = "ml.g5.12xlarge";
  private final List<String> log = new ArrayList<>();
  private TestAwsComponent aws;
  private String endpoint;

  @BeforeEach
  void setUp() {
    aws = TestAwsComponent.create();
    endpoint = Fixtures.uniqueName("ic");
  }

  /** Per-minute requests of a component, as SageMaker publishes them, the last a minute ago. */
  private void requests(String component, String metric, double... sums) {
    Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    Fixtures.putPerMinute(aws.cloudWatch(), "AWS/SageMaker", metric,
        MetricTarget.of(endpoint, null, component).sageMakerDimensions(),
        minute.minus(sums.length, ChronoUnit.MINUTES), sums);
  }

  private void steady(String component, double rps) {
    double[] sums = new double[12];
    Arrays.fill(sums, rps * 60);
    requests(component, "Invocations", sums);
  }

  /** Two requests a second a copy, RPS only, scale-in at once. */
  private ScalerInvocation request(String component, String bounds, String extra) {
    return ScalerInvocation.parse(json("{\"endpointName\":\"" + endpoint
        + "\",\"inferenceComponentName\":\"" + component + "\",\"capacityCheck\":\"none\","
        + "\"policy\":{\"bounds\":" + bounds + ",\"targets\":{\"rpsPerInstance\":2.0,"
        + "\"signals\":[\"rps\"]},\"scaleIn\":{\"maxPercent\":100,\"stabilisationMinutes\":0,"
        + "\"cooldownMinutes\":0}}" + extra + "}"), Deployment.standard());
  }

  private ScalerOutcome run(ScalerInvocation invocation) {
    return aws.scalerWiring().step(invocation, log::add)
        .run(invocation.task(), ChronoUnit.FOREVER::getDuration);
  }

  private DescribeInferenceComponentResponse describe(String component) {
    return aws.sageMaker().describeInferenceComponent(b -> b.inferenceComponentName(component));
  }

  private int instances() {
    return Fixtures.desiredInstanceCount(aws.sageMaker(), endpoint);
  }


  @Test
  void copiesScaleOutAndInAndTheManagedInstancesFollow() {
    Fixtures.createComponentEndpoint(aws.sageMaker(), endpoint, FOUR_GPUS, 1, true, 1, "chat");
    steady("chat", 10.0); // 10 RPS at 2 a copy: 5 copies, on 2 instances of 4 accelerators

    ScalerOutcome out = run(request("chat", "{\"minInstances\":1,\"maxInstances\":20}", ""));

    assertEquals(Action.SCALE_OUT, out.decision().action(), out.toJson());
    assertEquals(5, out.decision().to());
    assertTrue(out.applied(), out.toJson());
    assertEquals("chat", out.inferenceComponentName());
    assertEquals(Fixtures.VARIANT, out.variantName());
    assertEquals(5, describe("chat").runtimeConfig().desiredCopyCount());
    assertEquals(5, describe("chat").runtimeConfig().currentCopyCount());
    assertEquals(2, instances(), "managed instance scaling fits 5 copies on 2 instances");
    // The record of the ask is kept on the component, not the endpoint.
    List<Tag> tags = aws.sageMaker().listTags(b -> b.resourceArn(
        describe("chat").inferenceComponentArn())).tags();
    assertTrue(tags.stream().anyMatch(t -> t.key().equals("inferscale:last-ask")), tags.toString());
  }

  @Test
  void copiesScaleInAndTheManagedInstancesFollow() {
    Fixtures.createComponentEndpoint(aws.sageMaker(), endpoint, FOUR_GPUS, 2, true, 6, "chat");
    steady("chat", 1.0); // 1 RPS: one copy

    ScalerOutcome in = run(request("chat", "{\"minInstances\":1,\"maxInstances\":20}", ""));

    assertEquals(Action.SCALE_IN, in.decision().action(), in.toJson());
    assertEquals(1, describe("chat").runtimeConfig().desiredCopyCount());
    assertEquals(1, instances());
  }

  @Test
  void aDryRunExplainsInCopiesAndChangesNothing() {
    Fixtures.createComponentEndpoint(aws.sageMaker(), endpoint, FOUR_GPUS, 1, true, 1, "chat");
    steady("chat", 10.0);

    ScalerOutcome out = run(request("chat", "{\"minInstances\":1,\"maxInstances\":20}",
        ",\"dryRun\":true"));

    assertEquals(5, out.decision().to());
    assertEquals(List.of(NotApplied.DRY_RUN), out.notApplied());
    assertEquals(1, describe("chat").runtimeConfig().desiredCopyCount());
    assertTrue(log.stream().anyMatch(line -> line.contains("\"InferenceComponentName\":\"chat\"")),
        "its metrics are by component: " + log);
  }

  @Test
  void twoComponentsOnOneEndpointShareItsInstances() {
    Fixtures.createComponentEndpoint(aws.sageMaker(), endpoint, FOUR_GPUS, 1, true, 1,
        "chat", "code");
    steady("chat", 6.0); // 3 copies
    steady("code", 8.0); // 4 copies

    run(request("chat", "{\"minInstances\":1,\"maxInstances\":20}", ""));
    assertEquals(1, instances(), "3 copies fit one instance");
    run(request("code", "{\"minInstances\":1,\"maxInstances\":20}", ""));

    assertEquals(3, describe("chat").runtimeConfig().currentCopyCount());
    assertEquals(4, describe("code").runtimeConfig().currentCopyCount());
    assertEquals(2, instances(), "7 copies of both need 2 instances");
  }

  @Test
  void withoutManagedScalingCopiesAreCappedAtWhatTheInstancesHoldAndTheDecisionSaysSo() {
    Fixtures.createComponentEndpoint(aws.sageMaker(), endpoint, FOUR_GPUS, 1, false, 1, "chat");
    steady("chat", 12.0); // 6 copies wanted, 4 fit

    ScalerOutcome out = run(request("chat", "{\"minInstances\":1,\"maxInstances\":20}", ""));

    assertTrue(out.applied(), out.toJson());
    assertEquals(4, out.decision().to());
    assertEquals(ReasonCode.CAPACITY_LIMITED, out.decision().bindingConstraint());
    assertTrue(out.decision().explanation().contains("only 4 copies (1 accelerator each) fit on"
        + " the endpoint's 1 instance of ml.g5.12xlarge (4 accelerators each); the variant has no"
        + " managed instance scaling to add more"), out.decision().explanation());
    assertEquals(4, describe("chat").runtimeConfig().desiredCopyCount());
    assertEquals(4, describe("chat").runtimeConfig().currentCopyCount(), "none left pending");
  }

  @Test
  void withoutManagedScalingTheOtherComponentsCopiesAreNotCountedAsFree() {
    Fixtures.createComponentEndpoint(aws.sageMaker(), endpoint, FOUR_GPUS, 2, false, 1,
        "chat", "code");
    aws.sageMaker().updateInferenceComponentRuntimeConfig(b -> b.inferenceComponentName("code")
        .desiredRuntimeConfig(c -> c.copyCount(5)));
    steady("chat", 12.0); // 6 copies wanted; 8 accelerators, 5 of them code's

    ScalerOutcome out = run(request("chat", "{\"minInstances\":1,\"maxInstances\":20}", ""));

    assertEquals(3, out.decision().to(), out.toJson());
    assertTrue(out.decision().explanation().contains("only 3 copies (1 accelerator each) fit"
        + " beside the other components' 5 accelerators on the endpoint's 2 instances"),
        out.decision().explanation());
    assertEquals(3, describe("chat").runtimeConfig().currentCopyCount());
    assertEquals(5, describe("code").runtimeConfig().currentCopyCount());
  }

  private static final String TO_ZERO =
      "{\"minInstances\":0,\"maxInstances\":20,\"scaleToZeroAfterMinutes\":30}";

  @Test
  void anIdleComponentGoesToZero() {
    Fixtures.createComponentEndpoint(aws.sageMaker(), endpoint, FOUR_GPUS, 1, true, 1, "chat");
    requests("chat", "Invocations", new double[45]); // 45 minutes without a request

    ScalerOutcome idle = run(request("chat", TO_ZERO, ""));

    assertEquals(0, idle.decision().to(), idle.toJson());
    assertTrue(idle.decision().reasons().contains(ReasonCode.IDLE_TO_ZERO));
    assertTrue(idle.decision().explanation().contains("the first request waits a cold start"),
        idle.decision().explanation());
    assertEquals(0, describe("chat").runtimeConfig().desiredCopyCount());
  }

  @Test
  void aComponentAtZeroWakesOnTheRequestsThatFoundNoCopy() {
    Fixtures.createComponentEndpoint(aws.sageMaker(), endpoint, FOUR_GPUS, 1, true, 0, "chat");
    requests("chat", "Invocations", new double[45]);
    // Requests meet no copy: SageMaker counts them as NoCapacityInvocationFailures, not
    // Invocations.
    requests("chat", "NoCapacityInvocationFailures", 0, 0, 30);

    ScalerOutcome woken = run(request("chat", TO_ZERO, ""));

    assertEquals(Action.SCALE_OUT, woken.decision().action(), woken.toJson());
    assertEquals(1, woken.decision().to());
    assertEquals(1, describe("chat").runtimeConfig().desiredCopyCount());
  }

  @Test
  void aForecastOfReturningTrafficPrewarmsAComponentFromZero() {
    Fixtures.createComponentEndpoint(aws.sageMaker(), endpoint, FOUR_GPUS, 1, true, 0, "chat");
    requests("chat", "Invocations", new double[45]); // idle, at zero
    // The forecaster's publication for the component: 3 RPS from now on, as traffic returns.
    Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    List<RequestRate> rates = java.util.Collections.nCopies(40, RequestRate.ofPerSecond(3));
    new CloudWatchForecastStore(aws.metricsPublisher(), ForecastChannel.LIVE,
        MetricTarget.of(endpoint, null, "chat"))
        .publish(new ForecastPublication(minute.minus(2, ChronoUnit.MINUTES), rates, rates));

    ScalerOutcome out = run(request("chat", TO_ZERO, ""));

    assertEquals(ReasonCode.PREDICTIVE_FLOOR, out.decision().bindingConstraint(), out.toJson());
    assertEquals(2, out.decision().to(), "3 RPS at 2 a copy");
    assertEquals(2, describe("chat").runtimeConfig().desiredCopyCount());
  }

  @Test
  void aPausedComponentIsNotChanged() {
    List<String> arns = Fixtures.createComponentEndpoint(aws.sageMaker(), endpoint, FOUR_GPUS, 1,
        true, 1, "chat");
    aws.sageMaker().addTags(b -> b.resourceArn(arns.get(0))
        .tags(Tag.builder().key(PauseTag.KEY).value("true").build()));
    steady("chat", 10.0);

    ScalerOutcome out = run(request("chat", "{\"minInstances\":1,\"maxInstances\":20}", ""));

    assertFalse(out.applied());
    assertEquals(List.of(NotApplied.PAUSED), out.notApplied());
    assertEquals(1, describe("chat").runtimeConfig().desiredCopyCount());
  }

  @Test
  void anUnknownComponentOrOneOnAnotherEndpointFailsNamingIt() {
    Fixtures.createComponentEndpoint(aws.sageMaker(), endpoint, FOUR_GPUS, 1, true, 1, "chat");
    PortFailure missing = assertThrows(PortFailure.class,
        () -> run(request("nope", "{\"minInstances\":1,\"maxInstances\":20}", "")));
    assertEquals(FailureReason.ENDPOINT_NOT_FOUND, missing.reason());
    assertTrue(missing.getMessage().contains("inference component nope does not exist"),
        missing.getMessage());
  }

  @Test
  void theWakeAlarmRunsTheDeployedComponentRequest() throws Exception {
    // The template's wake alarm in ALARM, as EventBridge delivers it: its metric names the
    // component only, so the deployed request says which endpoint.
    String event = "{\"version\":\"0\",\"id\":\"1\",\"detail-type\":\"CloudWatch Alarm State"
        + " Change\",\"source\":\"aws.cloudwatch\",\"account\":\"123456789012\",\"time\":"
        + "\"2026-11-30T12:00:00Z\",\"region\":\"us-east-1\",\"resources\":[],\"detail\":{"
        + "\"alarmName\":\"inferscale-wake-shared-gpu-chat\",\"state\":{\"value\":\"ALARM\"},"
        + "\"configuration\":{\"metrics\":[{\"id\":\"m1\",\"metricStat\":{\"metric\":{"
        + "\"namespace\":\"AWS/SageMaker\",\"name\":\"NoCapacityInvocationFailures\","
        + "\"dimensions\":{\"InferenceComponentName\":\"chat\"}},\"period\":60,\"stat\":"
        + "\"Sum\"},\"returnData\":true}]}}}";
    Deployment deployed = Deployment.standard().withRequest((com.fasterxml.jackson.databind.node
        .ObjectNode) json("{\"endpointName\":\"shared-gpu\",\"inferenceComponentName\":\"chat\"}"));

    ScalerInvocation invocation = ScalerInvocation.fromInput(
        event.getBytes(java.nio.charset.StandardCharsets.UTF_8), deployed);

    assertEquals("chat", invocation.task().inferenceComponentName());
    assertEquals("shared-gpu", invocation.task().endpointName());
    assertEquals(inferscale.control.Trigger.ALARM, invocation.task().trigger());
  }

  @Test
  void aRequestNamesAVariantOrAComponentAndAComponentHasNoFallback() {
    InvalidRequestException both = assertThrows(InvalidRequestException.class,
        () -> ScalerInvocation.parse(json("{\"endpointName\":\"e\",\"variantName\":\"AllTraffic\","
            + "\"inferenceComponentName\":\"chat\"}"), Deployment.standard()));
    assertTrue(both.getMessage().contains("variantName and inferenceComponentName name two"
        + " things to scale: give one"), both.getMessage());
    InvalidRequestException badName = assertThrows(InvalidRequestException.class,
        () -> ScalerInvocation.parse(json("{\"endpointName\":\"e\","
            + "\"inferenceComponentName\":\"no_underscores\"}"), Deployment.standard()));
    assertTrue(badName.getMessage().contains("inferenceComponentName must match"),
        badName.getMessage());
    InvalidRequestException fallback = assertThrows(InvalidRequestException.class,
        () -> ScalerInvocation.parse(json("{\"endpointName\":\"e\","
            + "\"inferenceComponentName\":\"chat\",\"policy\":{\"fallback\":{\"variantName\":"
            + "\"Spare\",\"rpsPerInstance\":1}}}"), Deployment.standard()));
    assertTrue(fallback.getMessage().contains("policy: fallback.variantName shifts a variant's"
        + " traffic"), fallback.getMessage());
  }
}
