package inferscale.control;

/** Port: how many more instances of a type the region's capacity reservations can still supply. */
@FunctionalInterface
public interface Capacity {
  /**
   * @param instanceType the SageMaker instance type, e.g. {@code ml.g5.2xlarge}
   * @throws PortFailure when the lookup fails or is denied
   */
  CapacityCheck headroom(String instanceType);
}
