package inferscale.aws.adapters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferscale.aws.testing.AwsEmulator;
import inferscale.aws.testing.Fixtures;
import inferscale.aws.testing.TestAwsComponent;
import inferscale.control.CapacityCheck;
import inferscale.control.EndpointState;
import inferscale.control.FailureReason;
import inferscale.control.PortFailure;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(AwsEmulator.class)
class SageMakerAndEc2AdaptersTest {
  private TestAwsComponent aws;

  @BeforeEach
  void setUp() {
    aws = TestAwsComponent.create();
  }

  private SageMakerEndpoint endpoint(String name, String variant) {
    return new SageMakerEndpoint(aws.sageMaker(), name, variant, Duration.ofSeconds(17));
  }

  private Ec2Capacity capacity() {
    return new Ec2Capacity(aws.ec2());
  }

  @Test
  void readsStatusCountsInstanceTypeWeightAndThePauseTag() {
    String name = Fixtures.uniqueName("sm");
    Fixtures.createEndpoint(aws.sageMaker(), name, 3,
        Map.of("team", "llm", PauseTag.KEY, "TRUE"));

    EndpointState state = endpoint(name, Fixtures.VARIANT).read();

    assertEquals("InService", state.snapshot().status());
    assertEquals(3, state.snapshot().servingInstances());
    assertEquals(3, state.snapshot().desiredInstances());
    assertEquals(Fixtures.INSTANCE_TYPE, state.snapshot().instanceType());
    assertEquals(1.0f, state.variantWeight());
    assertTrue(state.paused());
  }

  /** moto_ext.py widens moto's instance-type list to the GPU types LLM endpoints run on. */
  @Test
  void readsEndpointsOnTheGpuTypesLlmsRunOn() {
    for (String type : java.util.List.of("ml.g5.xlarge", "ml.g6.12xlarge", "ml.g6e.2xlarge",
        "ml.p4d.24xlarge", "ml.p5.48xlarge")) {
      String name = Fixtures.uniqueName("gpu");
      Fixtures.createEndpoint(aws.sageMaker(), name, type, 1, Map.of());

      assertEquals(type, endpoint(name, Fixtures.VARIANT).read().snapshot().instanceType());
    }
  }

  @Test
  void updatesTheDesiredCountVisiblyInDescribeEndpoint() {
    String name = Fixtures.uniqueName("sm");
    Fixtures.createEndpoint(aws.sageMaker(), name, 2, Map.of());

    SageMakerEndpoint endpoint = endpoint(name, Fixtures.VARIANT);
    endpoint.setDesiredInstances(endpoint.read(), 5, null);

    assertEquals(5, Fixtures.desiredInstanceCount(aws.sageMaker(), name));
    assertFalse(endpoint.read().paused());
  }

  @Test
  void namesAMissingEndpointOrVariant() {
    PortFailure missing = assertThrows(PortFailure.class,
        () -> endpoint("no-such-endpoint", Fixtures.VARIANT).read());
    assertEquals(FailureReason.ENDPOINT_NOT_FOUND, missing.reason());
    assertTrue(missing.getMessage().contains("no-such-endpoint"), missing.getMessage());

    String name = Fixtures.uniqueName("sm");
    Fixtures.createEndpoint(aws.sageMaker(), name, 1, Map.of());
    PortFailure variant = assertThrows(PortFailure.class, () -> endpoint(name, "Other").read());
    assertEquals(FailureReason.ENDPOINT_NOT_FOUND, variant.reason());
    assertTrue(variant.getMessage().contains("no variant Other"), variant.getMessage());
  }

  @Test
  void headroomSumsAvailableInstancesOfActiveReservationsOfTheMatchingEc2Type() {
    Fixtures.createReservation(aws.ec2(), "m5.xlarge", 3);
    Fixtures.createReservation(aws.ec2(), "m5.xlarge", 2);
    String cancelled = Fixtures.createReservation(aws.ec2(), "m5.xlarge", 10);
    aws.ec2().cancelCapacityReservation(b -> b.capacityReservationId(cancelled));
    Fixtures.createReservation(aws.ec2(), "c5.xlarge", 7);

    CapacityCheck check = capacity().headroom("ml.m5.xlarge");

    assertEquals("m5.xlarge", check.ec2InstanceType());
    assertEquals(5, check.headroom());
    assertEquals(2, check.reservations());
    assertEquals(0, capacity().headroom("ml.p5.48xlarge").headroom());
  }

  @Test
  void aDeniedLookupIsAClassifiedPortFailure(AwsEmulator.Running emulator) {
    emulator.failEc2Action("DescribeCapacityReservations", "UnauthorizedOperation");
    PortFailure denied = assertThrows(PortFailure.class,
        () -> capacity().headroom("ml.m5.xlarge"));
    assertEquals(FailureReason.AWS_REJECTED, denied.reason());
    assertTrue(denied.getMessage().startsWith(
        "DescribeCapacityReservations failed: UnauthorizedOperation"), denied.getMessage());
  }
}
