package inferscale.backtest;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One policy's score over the scored minutes.
 *
 * @param costRatio billed instance-minutes over Σ max(1, ceil(d/mu))
 * @param unservedPct requests beyond serving capacity, as a percentage of demand
 * @param underProvisionedMinutesPct minutes with any unserved request, as a percentage
 * @param scaleEvents changes of the desired count
 */
@JsonPropertyOrder({
  "name", "instanceHours", "costRatio", "unservedPct", "underProvisionedMinutesPct", "scaleEvents"
})
public record PolicyResult(
    String name,
    double instanceHours,
    double costRatio,
    double unservedPct,
    double underProvisionedMinutesPct,
    int scaleEvents) {}
