package inferscale.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferscale.aws.testing.AwsEmulator;
import inferscale.aws.testing.Fixtures;
import inferscale.aws.testing.TestAwsComponent;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

@ExtendWith(AwsEmulator.class)
class SageMakerAndEc2AdaptersTest {
  private TestAwsComponent aws;

  @BeforeEach
  void setUp() {
    aws = TestAwsComponent.create();
  }

  @Test
  void readsStatusCountsInstanceTypeWeightAndTags() {
    String name = Fixtures.uniqueName("sm");
    String arn = Fixtures.createEndpoint(aws.sageMaker(), name, 3,
        Map.of("team", "llm", EndpointState.PAUSED_TAG, "TRUE"));

    EndpointState state = aws.endpointReader().read(name, Fixtures.VARIANT);

    assertEquals("InService", state.snapshot().status());
    assertEquals(3, state.snapshot().servingInstances());
    assertEquals(3, state.snapshot().desiredInstances());
    assertEquals(Fixtures.INSTANCE_TYPE, state.snapshot().instanceType());
    assertEquals(arn, state.endpointArn());
    assertEquals(1.0f, state.currentWeight());
    assertEquals("llm", state.tags().get("team"));
    assertTrue(state.paused());
  }

  /** moto_ext.py widens moto's instance-type list to the GPU types LLM endpoints run on. */
  @Test
  void readsEndpointsOnTheGpuTypesLlmsRunOn() {
    for (String type : java.util.List.of("ml.g5.xlarge", "ml.g6.12xlarge", "ml.g6e.2xlarge",
        "ml.p4d.24xlarge", "ml.p5.48xlarge")) {
      String name = Fixtures.uniqueName("gpu");
      Fixtures.createEndpoint(aws.sageMaker(), name, type, 1, Map.of());

      EndpointState state = aws.endpointReader().read(name, Fixtures.VARIANT);

      assertEquals(type, state.snapshot().instanceType());
    }
  }

  @Test
  void updatesTheDesiredCountVisiblyInDescribeEndpoint() {
    String name = Fixtures.uniqueName("sm");
    Fixtures.createEndpoint(aws.sageMaker(), name, 2, Map.of());

    aws.endpointUpdater().setDesiredInstanceCount(name, Fixtures.VARIANT, 5, 1.0f);

    assertEquals(5, Fixtures.desiredInstanceCount(aws.sageMaker(), name));
    assertFalse(aws.endpointReader().read(name, Fixtures.VARIANT).paused());
  }

  @Test
  void namesAMissingEndpointOrVariant() {
    EndpointNotFoundException missing = assertThrows(EndpointNotFoundException.class,
        () -> aws.endpointReader().read("no-such-endpoint", Fixtures.VARIANT));
    assertTrue(missing.getMessage().contains("no-such-endpoint"), missing.getMessage());

    String name = Fixtures.uniqueName("sm");
    Fixtures.createEndpoint(aws.sageMaker(), name, 1, Map.of());
    EndpointNotFoundException variant = assertThrows(EndpointNotFoundException.class,
        () -> aws.endpointReader().read(name, "Other"));
    assertTrue(variant.getMessage().contains("no variant Other"), variant.getMessage());
  }

  @Test
  void headroomSumsAvailableInstancesOfActiveReservationsOfTheMatchingEc2Type() {
    Fixtures.createReservation(aws.ec2(), "m5.xlarge", 3);
    Fixtures.createReservation(aws.ec2(), "m5.xlarge", 2);
    String cancelled = Fixtures.createReservation(aws.ec2(), "m5.xlarge", 10);
    aws.ec2().cancelCapacityReservation(b -> b.capacityReservationId(cancelled));
    Fixtures.createReservation(aws.ec2(), "c5.xlarge", 7);

    CapacityCheck check = aws.capacityReader().headroom("ml.m5.xlarge");

    assertEquals("m5.xlarge", check.ec2InstanceType());
    assertEquals(5, check.headroom());
    assertEquals(2, check.reservations());
    assertEquals(0, aws.capacityReader().headroom("ml.p5.48xlarge").headroom());
  }

  @Test
  void aDeniedLookupSurfacesAsAnSdkError(AwsEmulator.Running emulator) {
    emulator.failEc2Action("DescribeCapacityReservations", "UnauthorizedOperation");
    Ec2Exception denied = assertThrows(Ec2Exception.class,
        () -> aws.capacityReader().headroom("ml.m5.xlarge"));
    assertEquals("UnauthorizedOperation", denied.awsErrorDetails().errorCode());
  }
}
