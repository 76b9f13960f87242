package inferscale.aws;

/** How many more instances of a type the region's capacity reservations can still supply. */
public interface CapacityReader {
  /**
   * @param instanceType the SageMaker instance type, e.g. {@code ml.g5.2xlarge}
   * @throws software.amazon.awssdk.core.exception.SdkException when the lookup fails or is denied
   */
  CapacityCheck headroom(String instanceType);
}
