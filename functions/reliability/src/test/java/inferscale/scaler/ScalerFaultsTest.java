package inferscale.scaler;

import static inferscale.reliability.FaultProxy.awsError;
import static inferscale.reliability.FaultProxy.delay;
import static inferscale.reliability.FaultProxy.drop;
import static inferscale.reliability.FaultProxy.malformed;
import static inferscale.reliability.FaultProxy.status;
import static inferscale.reliability.FaultProxy.throttled;
import static inferscale.reliability.FaultProxy.truncated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferscale.aws.testing.AwsEmulator;
import inferscale.reliability.Outcome;
import inferscale.reliability.Scenario;
import inferscale.scaler.ScalerHarness.Invocation;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * AWS misbehaving, over real HTTP: the scaler handler with the deployed client settings (3
 * attempts, 2/5/5/15 s timeouts) through the fault proxy. Demand asks for 2 → 5 instances, so every
 * hold below is a change the controller would otherwise have made.
 */
@ExtendWith(AwsEmulator.class)
class ScalerFaultsTest {
  private ScalerHarness h;

  @BeforeEach
  void setUp(AwsEmulator.Running emulator) throws Exception {
    h = new ScalerHarness(emulator).endpoint(2, Map.of()).traffic(10.0);
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  /** A failed read: nothing escaped, a reason code, the endpoint untouched, no update sent. */
  private Invocation heldOnFailure(String reason, Outcome outcome, String... actions) {
    Invocation run = h.invoke(h.handler(), h.event());
    assertNull(run.escaped(), () -> "exception escaped the handler: " + run.escaped());
    assertEquals(reason, run.reason(), run.output().toString());
    assertEquals(2, h.desired());
    assertEquals(0, h.proxy.calls("UpdateEndpointWeightsAndCapacities").size());
    assertTrue(h.log.stream().anyMatch(l -> l.contains("\"level\":\"ERROR\"")
        && l.contains(reason)), h.log.toString());
    outcome.did(run.summary() + "; " + h.after(2, actions));
    return run;
  }

  @Test
  @Scenario(area = "Faults", value = "CloudWatch GetMetricData answers Throttling on every attempt")
  void cloudWatchThrottling(Outcome outcome) {
    h.proxy.on("monitoring", "GetMetricData", throttled());
    heldOnFailure("AWS_THROTTLED", outcome, "GetMetricData");
    assertEquals(3, h.proxy.calls("GetMetricData").size(), "retries are bounded at 3 attempts");
  }

  @Test
  @Scenario(area = "Faults", value = "CloudWatch Throttling once, then an answer")
  void cloudWatchThrottledOnce(Outcome outcome) {
    h.proxy.on("monitoring", "GetMetricData", 1, throttled());
    Invocation run = h.invoke(h.handler(), h.event());
    assertNull(run.escaped());
    assertTrue(run.applied(), run.output().toString());
    assertEquals(5, h.desired());
    // the lead's read of timed scale-outs, throttled once and retried; then the signals' read
    assertEquals(3, h.proxy.calls("GetMetricData").size());
    outcome.did(run.summary() + "; " + h.after(2, "GetMetricData"));
  }

  @Test
  @Scenario(area = "Faults", value = "SageMaker DescribeEndpoint answers ThrottlingException")
  void sageMakerThrottlingOnRead(Outcome outcome) {
    h.proxy.on("sagemaker", "DescribeEndpoint", throttled());
    heldOnFailure("AWS_THROTTLED", outcome, "DescribeEndpoint");
    assertEquals(3, h.proxy.calls("DescribeEndpoint").size());
  }

  @Test
  @Scenario(area = "Faults",
      value = "SageMaker UpdateEndpointWeightsAndCapacities answers ThrottlingException")
  void sageMakerThrottlingOnUpdate(Outcome outcome) {
    h.proxy.on("sagemaker", "UpdateEndpointWeightsAndCapacities", throttled());
    Invocation run = h.invoke(h.handler(), h.event());
    assertNull(run.escaped());
    assertFalse(run.applied());
    assertEquals(java.util.List.of("UPDATE_FAILED"), run.notApplied());
    assertEquals(2, h.desired());
    assertEquals(3, h.proxy.calls("UpdateEndpointWeightsAndCapacities").size());
    assertTrue(h.log.stream().anyMatch(l -> l.contains("ThrottlingException")), h.log.toString());
    outcome.did(run.summary() + "; " + h.after(2, "UpdateEndpointWeightsAndCapacities"));
  }

  @Test
  @Scenario(area = "Faults", value = "CloudWatch answers HTTP 500")
  void cloudWatch500(Outcome outcome) {
    h.proxy.on("monitoring", "GetMetricData", status(500));
    heldOnFailure("AWS_UNAVAILABLE", outcome, "GetMetricData");
    assertEquals(3, h.proxy.calls("GetMetricData").size());
  }

  @Test
  @Scenario(area = "Faults", value = "SageMaker answers HTTP 503")
  void sageMaker503(Outcome outcome) {
    h.proxy.on("sagemaker", "DescribeEndpoint", status(503));
    heldOnFailure("AWS_UNAVAILABLE", outcome, "DescribeEndpoint");
    assertEquals(3, h.proxy.calls("DescribeEndpoint").size());
  }

  @Test
  @Scenario(area = "Faults",
      value = "GetMetricData answers after 6 s, beyond the 5 s socket and attempt timeouts")
  void slowResponses(Outcome outcome) {
    h.proxy.on("monitoring", "GetMetricData", delay(Duration.ofSeconds(6)));
    Invocation run = heldOnFailure("AWS_TIMEOUT", outcome);
    outcome.did(run.summary() + "; " + h.after(2) + "; at most 3 attempts inside the 15 s "
        + "whole-call timeout");
    // 3 attempts of 5 s would be 15 s: the whole-call timeout cuts the last one short.
    assertTrue(run.took().compareTo(Duration.ofSeconds(20)) < 0, run.took().toString());
    assertTrue(h.proxy.calls("GetMetricData").size() <= 3);
  }

  @Test
  @Scenario(area = "Faults", value = "Connection refused (nothing listening)")
  void connectionRefused(Outcome outcome) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ScalerHandler handler = h.handler(ScalerHarness.PRODUCTION, Map.of(),
        URI.create("http://127.0.0.1:" + port));
    Invocation run = h.invoke(handler, h.event());
    assertNull(run.escaped());
    assertEquals("AWS_UNAVAILABLE", run.reason(), run.output().toString());
    assertEquals(2, h.desired());
    outcome.did(run.summary() + "; endpoint desired 2→" + h.desired());
  }

  @Test
  @Scenario(area = "Faults", value = "SageMaker closes the connection without answering")
  void connectionDropped(Outcome outcome) {
    h.proxy.on("sagemaker", "DescribeEndpoint", drop());
    heldOnFailure("AWS_UNAVAILABLE", outcome, "DescribeEndpoint");
    assertEquals(3, h.proxy.calls("DescribeEndpoint").size());
  }

  @Test
  @Scenario(area = "Faults", value = "DescribeEndpoint body truncated half-way")
  void truncatedBody(Outcome outcome) {
    h.proxy.on("sagemaker", "DescribeEndpoint", truncated());
    heldOnFailure("AWS_UNAVAILABLE", outcome, "DescribeEndpoint");
  }

  @Test
  @Scenario(area = "Faults", value = "GetMetricData answers 200 with a malformed body")
  void malformedMetrics(Outcome outcome) {
    h.proxy.on("monitoring", "GetMetricData", malformed());
    heldOnFailure("AWS_UNAVAILABLE", outcome, "GetMetricData");
  }

  @Test
  @Scenario(area = "Faults", value = "DescribeEndpoint answers 200 with a malformed body")
  void malformedEndpoint(Outcome outcome) {
    h.proxy.on("sagemaker", "DescribeEndpoint", malformed());
    heldOnFailure("AWS_UNAVAILABLE", outcome, "DescribeEndpoint");
  }

  @Test
  @Scenario(area = "Faults",
      value = "The update is applied but its answer is truncated (outcome unknown to the caller)")
  void updateAnswerLost(Outcome outcome) {
    h.proxy.on("sagemaker", "UpdateEndpointWeightsAndCapacities", truncated());
    Invocation run = h.invoke(h.handler(), h.event());
    assertNull(run.escaped());
    assertFalse(run.applied());
    assertEquals(java.util.List.of("UPDATE_FAILED"), run.notApplied());
    // every attempt asked for the same absolute count, so the retries are harmless
    assertTrue(h.proxy.calls("UpdateEndpointWeightsAndCapacities").stream()
        .allMatch(c -> c.body().contains("\"DesiredInstanceCount\":5")));
    assertEquals(5, h.desired());
    outcome.did(run.summary() + "; " + h.after(2, "UpdateEndpointWeightsAndCapacities")
        + ", every attempt for the same count 5");
  }

  @Test
  @Scenario(area = "Faults",
      value = "EC2 DescribeCapacityReservations answers HTTP 503 (capacityCheck = reservations)")
  void capacityLookupFails(Outcome outcome) {
    h.proxy.on("ec2", "DescribeCapacityReservations", status(503));
    ScalerHandler handler = h.handler();
    // The EC2 client is built at the first capacity check, so that is when it must see the proxy.
    Invocation run = ScalerHarness.withEndpoint(h.proxy.endpoint(), () -> h.invoke(handler,
        h.event().replace("\"capacityCheck\":\"none\"", "\"capacityCheck\":\"reservations\"")));
    assertNull(run.escaped());
    assertTrue(run.reasons().contains("CAPACITY_UNKNOWN"), run.summary());
    assertTrue(run.to() <= 8);
    assertEquals(3, h.proxy.calls("DescribeCapacityReservations").size());
    outcome.did(run.summary() + "; " + h.after(2, "DescribeCapacityReservations"));
  }

  @Test
  @Scenario(area = "Faults", value = "ListTags answers AccessDeniedException")
  void tagsDenied(Outcome outcome) {
    h.proxy.on("sagemaker", "ListTags",
        awsError(400, "AccessDeniedException", "not authorized to perform sagemaker:ListTags"));
    // the pause tag cannot be read, so the cycle must not act
    heldOnFailure("AWS_REJECTED", outcome, "ListTags");
    assertEquals(1, h.proxy.calls("ListTags").size(), "an access denial is not retried");
  }
}
