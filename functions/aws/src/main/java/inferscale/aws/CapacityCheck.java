package inferscale.aws;

/**
 * The result of looking up reserved capacity for an instance type.
 *
 * @param mode {@code reservations} or {@code none}
 * @param ec2InstanceType the EC2 type looked up ({@code ml.} stripped), null when unchecked
 * @param headroom Σ AvailableInstanceCount of active matching reservations; null when unchecked or
 *     when the lookup failed, so the engine does not clamp
 * @param reservations how many active reservations matched
 * @param note why the headroom is null, or null when it is known
 */
public record CapacityCheck(
    String mode, String ec2InstanceType, Integer headroom, int reservations, String note) {

  /** True when reservations were to be checked but could not be read. */
  public boolean failed() {
    return CapacityMode.RESERVATIONS.jsonName().equals(mode) && headroom == null;
  }

  public static CapacityCheck unchecked(String why) {
    return new CapacityCheck(CapacityMode.NONE.jsonName(), null, null, 0, why);
  }
}
