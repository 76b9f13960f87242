package inferscale.control;

/**
 * The result of looking up reserved capacity for an instance type.
 *
 * @param mode {@code reservations} or {@code none}
 * @param ec2InstanceType the EC2 type looked up ({@code ml.} stripped), null when not looked up
 * @param headroom Σ AvailableInstanceCount of active matching reservations; null when unchecked or
 *     when the lookup failed, so the engine does not clamp
 * @param reservations how many active reservations matched
 * @param note why the headroom is null or zero, or null when there is nothing to say
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

  /** Reservations were to be checked, but the headroom is unknown: {@code why}. */
  public static CapacityCheck unknown(String ec2InstanceType, String why) {
    return new CapacityCheck(CapacityMode.RESERVATIONS.jsonName(), ec2InstanceType, null, 0, why);
  }

  /** This check with a note. */
  public CapacityCheck withNote(String why) {
    return new CapacityCheck(mode, ec2InstanceType, headroom, reservations, why);
  }
}
