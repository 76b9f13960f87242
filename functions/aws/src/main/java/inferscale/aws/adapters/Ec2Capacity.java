package inferscale.aws.adapters;

import inferscale.control.Capacity;
import inferscale.control.CapacityCheck;
import inferscale.control.CapacityMode;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CapacityReservation;
import software.amazon.awssdk.services.ec2.model.DescribeCapacityReservationsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeCapacityReservationsResponse;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * EC2 capacity reservations as the scaler's {@link Capacity}: DescribeCapacityReservations filtered
 * to active reservations of the endpoint's EC2 type.
 */
public final class Ec2Capacity implements Capacity {
  private final Ec2Client ec2;

  public Ec2Capacity(Ec2Client ec2) {
    this.ec2 = ec2;
  }

  /** {@code ml.g5.2xlarge} → {@code g5.2xlarge}; anything else unchanged. */
  static String ec2Type(String sageMakerType) {
    return sageMakerType.startsWith("ml.") ? sageMakerType.substring(3) : sageMakerType;
  }

  @Override
  public CapacityCheck headroom(String instanceType) {
    String type = ec2Type(instanceType);
    int available = 0;
    int matched = 0;
    String nextToken = null;
    do {
      DescribeCapacityReservationsResponse page;
      try {
        page = ec2.describeCapacityReservations(DescribeCapacityReservationsRequest.builder()
            .filters(
                Filter.builder().name("instance-type").values(type).build(),
                Filter.builder().name("state").values("active").build())
            .nextToken(nextToken)
            .build());
      } catch (SdkException e) {
        throw AwsFailures.of("DescribeCapacityReservations", e);
      }
      for (CapacityReservation reservation : page.capacityReservations()) {
        // The filters already say so; checking again keeps a lax server from inflating headroom.
        if (type.equals(reservation.instanceType())
            && "active".equals(reservation.stateAsString())) {
          matched++;
          available += reservation.availableInstanceCount() == null
              ? 0 : reservation.availableInstanceCount();
        }
      }
      nextToken = page.nextToken();
    } while (nextToken != null && !nextToken.isEmpty());
    return new CapacityCheck(CapacityMode.RESERVATIONS.jsonName(), type, available, matched, null);
  }
}
