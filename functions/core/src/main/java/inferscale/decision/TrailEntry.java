package inferscale.decision;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * One step of a decision's trail: which rule acted, its reason code, and the facts it used.
 *
 * @param signal the signal the entry is about, or null
 * @param count the instance count the entry set (or held at), or null when it set none
 * @param detail the facts, as a phrase of the decision's sentence; null when the entry is only a
 *     code (a stale or missing signal, which the entry that acts on it names)
 */
@JsonPropertyOrder({"rule", "reason", "signal", "count", "detail"})
public record TrailEntry(Rule rule, ReasonCode reason, Signal signal, Integer count,
    String detail) {
  public TrailEntry {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(reason, "reason");
  }

  /** True when this entry set the count: the last such entry is the binding constraint. */
  boolean setsCount() {
    return count != null;
  }
}
