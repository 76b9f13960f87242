package inferscale.decision;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a decision's trail as one sentence: the action, then the cause (the last entry that set
 * or held the count, limits aside) and every entry after it, then the notes on the inputs in
 * parentheses. "Scale out llm/AllTraffic from 4 to 8 instances: rps 20 needs 20 at 1 per
 * instance; limited to +4 per cycle (no forecast: reactive only)."
 */
final class Explanation {
  private Explanation() {}

  static String sentence(EndpointSnapshot endpoint, int from, int to, List<TrailEntry> trail) {
    String name = endpoint.endpointName() + "/" + endpoint.variantName();
    String head = to > from ? "Scale out " + name + " from " + from + " to " + instances(to)
        : to < from ? "Scale in " + name + " from " + from + " to " + instances(to)
        : "Hold " + name + " at " + instances(to);
    List<String> body = new ArrayList<>();
    StringBuilder notes = new StringBuilder();
    for (int i = causeIndex(trail); i < trail.size(); i++) {
      TrailEntry entry = trail.get(i);
      if (entry.detail() != null && entry.reason().role() != ReasonCode.Role.NOTE) {
        body.add(entry.detail());
      }
    }
    for (TrailEntry entry : trail) {
      if (entry.detail() != null && entry.reason().role() == ReasonCode.Role.NOTE) {
        notes.append(" (").append(entry.detail()).append(')');
      }
    }
    return head + ": " + String.join("; ", body) + notes + ".";
  }

  /** The last entry that set or held the count, limits aside; 0 when there is none. */
  private static int causeIndex(List<TrailEntry> trail) {
    for (int i = trail.size() - 1; i >= 0; i--) {
      TrailEntry entry = trail.get(i);
      if (entry.setsCount() && entry.reason().role() == ReasonCode.Role.CAUSE) {
        return i;
      }
    }
    return 0;
  }

  /** What an entry is about, in a few words: its signal, or its reason ("predictive floor"). */
  static String label(TrailEntry entry) {
    return entry.signal() != null
        ? entry.signal().jsonName()
        : entry.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  /**
   * A number as the sentence shows it: whole numbers plain, others to two decimals without
   * trailing zeros, rounded half up from the shortest decimal that names the double, as {@code
   * %.2f} does, at a fraction of its cost (every decision of a backtest builds a few).
   */
  static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    if (!Double.isFinite(value)) {
      return Double.toString(value);
    }
    return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros()
        .toPlainString();
  }

  private static String instances(int count) {
    return count + (count == 1 ? " instance" : " instances");
  }
}
