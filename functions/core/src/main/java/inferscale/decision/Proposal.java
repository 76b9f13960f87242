package inferscale.decision;

import java.util.ArrayList;
import java.util.List;

/**
 * The count a decision is heading for and the trail of the rules that acted on it. Immutable:
 * each rule turns one proposal into the next.
 *
 * @param settled true once a rule holds the count for good: later rules do not run
 */
record Proposal(int count, boolean settled, List<TrailEntry> trail) {

  Proposal {
    trail = List.copyOf(trail);
  }

  /** The desired count as it is, before any rule has acted. */
  static Proposal from(int desired) {
    return new Proposal(desired, false, List.of());
  }

  /** This proposal with {@code entry} appended, at the count it sets (if it sets one). */
  Proposal with(TrailEntry entry) {
    List<TrailEntry> next = new ArrayList<>(trail);
    next.add(entry);
    return new Proposal(entry.setsCount() ? entry.count() : count, settled, next);
  }

  /** As {@link #with}, and no later rule runs. */
  Proposal settle(TrailEntry entry) {
    Proposal next = with(entry);
    return new Proposal(next.count, true, next.trail);
  }

  /** The last entry that set the count: the binding constraint. */
  TrailEntry binding() {
    for (int i = trail.size() - 1; i >= 0; i--) {
      if (trail.get(i).setsCount()) {
        return trail.get(i);
      }
    }
    return null;
  }
}
