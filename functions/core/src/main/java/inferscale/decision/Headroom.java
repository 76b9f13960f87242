package inferscale.decision;

import java.util.Objects;

/**
 * How many more of what the engine counts (instances, or a component's copies) can be had, and
 * what limits them, as the decision says it when it clamps a scale-out.
 *
 * @param more how many more can be had, never negative
 * @param limitedBy the limit, as a clause of the decision's sentence
 */
public record Headroom(int more, String limitedBy) {
  public Headroom {
    if (more < 0) {
      throw new IllegalArgumentException("capacity headroom cannot be negative: " + more);
    }
    Objects.requireNonNull(limitedBy, "limitedBy");
  }

  /** What the capacity reservations leave, or null when that is unknown or unchecked. */
  public static Headroom reserved(Integer instances) {
    return instances == null ? null
        : new Headroom(instances, "capacity reservations have room for only " + instances + " more");
  }
}
