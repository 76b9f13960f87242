package inferscale.control;

import inferscale.decision.Headroom;

/**
 * Where an inference component's copies run: its variant's instances, the accelerators a copy
 * needs, and those the endpoint's other components take. Copies are counted by accelerators, as
 * SageMaker places LLM copies: no more than fit each instance, and no more than the accelerators
 * the other components leave in all. Where the others' copies sit is SageMaker's, so the count
 * is an upper bound.
 *
 * @param instanceType the variant's instance type
 * @param instances the variant's current instances
 * @param acceleratorsPerInstance the instance type's accelerators
 * @param acceleratorsPerCopy what one copy of this component requires
 * @param acceleratorsOfOthers what the copies the endpoint's other components ask for require
 * @param managedScaling the variant's managed instance scaling adds instances for copies
 * @param maxInstances managed instance scaling's maximum, or null when it has none or none
 *     applies
 */
public record ComponentHosting(String instanceType, int instances, int acceleratorsPerInstance,
    double acceleratorsPerCopy, double acceleratorsOfOthers, boolean managedScaling,
    Integer maxInstances) {

  public ComponentHosting {
    if (instances < 0 || acceleratorsPerInstance <= 0 || acceleratorsPerCopy <= 0
        || acceleratorsOfOthers < 0) {
      throw new IllegalArgumentException("instances " + instances + ", accelerators per instance "
          + acceleratorsPerInstance + ", per copy " + acceleratorsPerCopy + ", of others "
          + acceleratorsOfOthers);
    }
  }

  /**
   * How many more copies than {@code desiredCopies} can be had: without managed instance scaling,
   * what the instances there hold; with it, what its maximum and the capacity reservations allow.
   *
   * @param reservedInstances instances the capacity reservations can still supply, or null when
   *     unknown or unchecked
   * @return null when nothing limits the copies
   */
  public Headroom headroom(int desiredCopies, Integer reservedInstances) {
    String where;
    int allowedInstances;
    if (!managedScaling) {
      allowedInstances = instances;
      where = "the endpoint's " + instances(instances)
          + "; the variant has no managed instance scaling to add more";
    } else if (reservedInstances != null
        && (maxInstances == null || instances + reservedInstances < maxInstances)) {
      allowedInstances = instances + reservedInstances;
      where = instances(allowedInstances) + ", the " + instances + " there and the "
          + reservedInstances + " more capacity reservations have room for";
    } else if (maxInstances != null) {
      allowedInstances = maxInstances;
      where = "managed instance scaling's maximum of " + instances(maxInstances);
    } else {
      return null;
    }
    int copies = copiesOn(allowedInstances);
    return new Headroom(Math.max(0, copies - desiredCopies), "only " + copies + " copies ("
        + accelerators(acceleratorsPerCopy) + " each) fit" + (acceleratorsOfOthers > 0
            ? " beside the other components' " + accelerators(acceleratorsOfOthers) : "")
        + " on " + where);
  }

  /** Copies of this component {@code count} instances hold beside the other components'. */
  int copiesOn(int count) {
    double free = (double) count * acceleratorsPerInstance - acceleratorsOfOthers;
    // A tolerance for fractional requirements that should divide exactly (e.g. 0.1 × 10).
    long pooled = (long) Math.floor(free / acceleratorsPerCopy + 1e-9);
    long perInstance = (long) Math.floor(acceleratorsPerInstance / acceleratorsPerCopy + 1e-9);
    return (int) Math.max(0, Math.min(pooled, count * perInstance));
  }

  private String instances(int count) {
    return count + (count == 1 ? " instance" : " instances") + " of " + instanceType + " ("
        + accelerators(acceleratorsPerInstance) + " each)";
  }

  private static String accelerators(double count) {
    return (count == Math.rint(count) ? String.valueOf((long) count) : String.valueOf(count))
        + (count == 1 ? " accelerator" : " accelerators");
  }
}
