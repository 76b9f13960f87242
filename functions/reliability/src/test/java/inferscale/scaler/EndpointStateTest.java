package inferscale.scaler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferscale.aws.testing.AwsEmulator;
import inferscale.reliability.FaultProxy;
import inferscale.reliability.Outcome;
import inferscale.reliability.Scenario;
import inferscale.scaler.ScalerHarness.Invocation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The endpoint in every state SageMaker reports, gone, or refusing the update. */
@ExtendWith(AwsEmulator.class)
class EndpointStateTest {
  private ScalerHarness h;

  @BeforeEach
  void setUp(AwsEmulator.Running emulator) throws Exception {
    h = new ScalerHarness(emulator);
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"Creating", "Updating", "SystemUpdating", "RollingBack", "Failed",
      "Deleting", "OutOfService"})
  @Scenario(area = "Endpoint state", value = "Endpoint status")
  void notInServiceIsHeld(String status, Outcome outcome) {
    outcome.name("Endpoint status " + status + " with demand for 2→5");
    h.endpoint(2, Map.of()).traffic(10.0);
    h.emulator.setEndpointStatus(h.endpoint, status);
    Invocation run = h.invoke(h.handler(), h.event());
    assertNull(run.escaped());
    assertFalse(run.applied());
    assertTrue(run.notApplied().contains("ENDPOINT_NOT_IN_SERVICE"), run.summary());
    assertTrue(run.reasons().contains("ENDPOINT_NOT_IN_SERVICE"), run.summary());
    assertEquals(0, h.proxy.calls("UpdateEndpointWeightsAndCapacities").size());
    assertEquals(2, h.desired());
    outcome.did(run.summary() + "; " + h.after(2, "UpdateEndpointWeightsAndCapacities"));
  }

  @Test
  @Scenario(area = "Endpoint state", value = "The endpoint does not exist (deleted)")
  void gone(Outcome outcome) {
    Invocation run = h.invoke(h.handler(), h.event());
    assertNull(run.escaped());
    assertEquals("ENDPOINT_NOT_FOUND", run.reason(), run.output().toString());
    assertEquals(0, h.proxy.mutatingCalls().size());
    outcome.did(run.summary() + "; " + h.proxy.mutatingCalls().size() + " mutating calls");
  }

  @Test
  @Scenario(area = "Endpoint state", value = "The variant does not exist on the endpoint")
  void variantGone(Outcome outcome) {
    h.endpoint(2, Map.of()).traffic(10.0);
    Invocation run = h.invoke(h.handler(), h.event().replace("AllTraffic", "Canary"));
    assertNull(run.escaped());
    assertEquals("ENDPOINT_NOT_FOUND", run.reason(), run.output().toString());
    assertEquals(2, h.desired());
    outcome.did(run.summary() + "; " + h.after(2, "UpdateEndpointWeightsAndCapacities"));
  }

  @Test
  @Scenario(area = "Endpoint state", value = "UpdateEndpointWeightsAndCapacities rejected: "
      + "ValidationException \"Cannot update in-progress endpoint\"")
  void updateInProgressRejected(Outcome outcome) {
    h.endpoint(2, Map.of()).traffic(10.0);
    h.proxy.on("sagemaker", "UpdateEndpointWeightsAndCapacities", FaultProxy.awsError(400,
        "ValidationException", "Cannot update in-progress endpoint \\\"" + h.endpoint + "\\\"."));
    Invocation run = h.invoke(h.handler(), h.event());
    assertNull(run.escaped());
    assertEquals(List.of("UPDATE_FAILED"), run.notApplied());
    assertEquals(1, h.proxy.calls("UpdateEndpointWeightsAndCapacities").size(),
        "a validation error is not retried");
    assertEquals(2, h.desired());
    assertTrue(h.log.stream().anyMatch(l -> l.contains("ValidationException")), h.log.toString());
    outcome.did(run.summary() + "; " + h.after(2, "UpdateEndpointWeightsAndCapacities"));
  }

  @Test
  @Scenario(area = "Endpoint state", value = "A scale-out failed for lack of capacity: the "
      + "endpoint is back InService at the old count with a FailureReason")
  void scaleOutFailedForCapacity(Outcome outcome) {
    h.endpoint(2, Map.of()).traffic(40.0); // 40 rps at 2 per instance: 20, above max 8
    h.proxy.on("sagemaker", "DescribeEndpoint", FaultProxy.rewrite(body -> body.replaceFirst(
        "\"EndpointStatus\"\\s*:\\s*\"InService\"", "\"EndpointStatus\":\"InService\",\"FailureReason\":"
            + "\"Unable to provision requested ML compute capacity.\"")));
    Invocation run = h.invoke(h.handler(), h.event());
    assertNull(run.escaped());
    assertTrue(run.to() <= 8, run.summary());
    assertTrue(run.reasons().contains("MAX_INSTANCES"), run.summary());
    assertEquals(run.to(), h.desired());
    outcome.did(run.summary() + "; " + h.after(2, "UpdateEndpointWeightsAndCapacities")
        + " (asks again, never beyond maxInstances; the next failure rolls back again)");
  }
}
