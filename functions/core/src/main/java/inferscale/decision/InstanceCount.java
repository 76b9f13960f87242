package inferscale.decision;

/** Fractional instances to a whole count, the one rounding every sizing rule shares. */
public final class InstanceCount {
  /** Guards ceil() against binary noise such as 10.000000000000002. */
  private static final double CEIL_SLACK = 1e-9;

  private InstanceCount() {}

  /** The instances that cover {@code instances}: rounded up, at least 0, at most int's range. */
  public static int ceil(double instances) {
    double rounded = Math.ceil(instances - CEIL_SLACK);
    return rounded >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.max(0, rounded);
  }
}
