package inferscale.decision;

import java.util.Objects;

/**
 * How many more of what the engine counts (instances, or a component's copies) can be had, and
 * what limits them, as the decision says it when it clamps a scale-out.
 *
 * @param more how many more can be had, never negative
 * @param limitedBy the limit, as a clause of the decision's sentence
 * @param reason the reason code a clamp to it is reported with
 */
public record Headroom(int more, String limitedBy, ReasonCode reason) {
  public Headroom {
    if (more < 0) {
      throw new IllegalArgumentException("capacity headroom cannot be negative: " + more);
    }
    Objects.requireNonNull(limitedBy, "limitedBy");
    Objects.requireNonNull(reason, "reason");
  }

  /** A limit of the capacity on hand (reservations, a component's instances). */
  public Headroom(int more, String limitedBy) {
    this(more, limitedBy, ReasonCode.CAPACITY_LIMITED);
  }

  /** What the capacity reservations leave, or null when that is unknown or unchecked. */
  public static Headroom reserved(Integer instances) {
    return instances == null ? null
        : new Headroom(instances, "capacity reservations have room for only " + instances + " more");
  }

  /** The tighter of two limits, either of which may be null (no limit). */
  public static Headroom tighter(Headroom a, Headroom b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return b.more < a.more ? b : a;
  }
}
