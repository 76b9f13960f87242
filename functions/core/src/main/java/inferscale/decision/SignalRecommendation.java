package inferscale.decision;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * What one signal says, with the numbers that produced it.
 *
 * @param value the window's aggregate (mean for RPS, max otherwise); null unless fresh
 * @param windowMinutes the minutes that aggregate covers: the policy's signal window, for RPS up
 *     to 10 minutes when per-minute demand is bursty (not in panic); null unless fresh
 * @param newestPoint timestamp of the newest datapoint, null when missing
 * @param target the per-instance (or per-fleet) target the value is compared with
 * @param required the fractional instance count the value implies, before rounding up
 * @param recommended instances this signal asks for; null when stale, missing, or TTFT within SLO
 * @param stabilisedRecommended the highest recommendation over the stabilisation window
 */
@JsonPropertyOrder({
  "signal", "freshness", "value", "windowMinutes", "newestPoint", "target", "required", "recommended",
  "stabilisedRecommended"
})
public record SignalRecommendation(
    Signal signal,
    Freshness freshness,
    Double value,
    Integer windowMinutes,
    Instant newestPoint,
    double target,
    Double required,
    Integer recommended,
    Integer stabilisedRecommended) {}
