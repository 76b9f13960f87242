package inferscale.control;

import inferscale.decision.SignalPoint;
import inferscale.decision.Timing;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The cold start the pre-warm lead assumes: a high quantile of how long this instance type's
 * recent scale-outs took from the ask to InService, once there are enough of them; the policy's
 * {@code timing.coldStartMinutes} until then. Tallied from the timed scale-outs once an hour (a
 * read of two weeks); the cycles in between recall the tally from the scaler's own published
 * record, as a cold function must.
 *
 * @param coldStartMinutes the cold start the cycle plans with
 * @param updates the timed scale-outs observed (the lead is learned from them once there are
 *     {@value #MIN_UPDATES})
 * @param measuredAt when it was tallied
 * @param sentence what it is, for the decision: "lead 14 min: p90 of the last 20 updates…"
 */
public record StartupLead(int coldStartMinutes, int updates, Instant measuredAt,
    String sentence) {
  /** The newest scale-outs a lead is learned from. */
  public static final int RECENT_UPDATES = 20;
  /** Fewer than this and a quantile says little: the policy's cold start is used. */
  public static final int MIN_UPDATES = 5;
  /** How long a tally stands before the timed scale-outs are read again. */
  public static final Duration RETALLY = Duration.ofHours(1);
  static final double QUANTILE = 0.9;

  /**
   * A tally of the timed scale-outs.
   *
   * @param observed minutes each scale-out took, oldest first
   */
  public static StartupLead of(List<SignalPoint> observed, Timing timing, Instant now) {
    int n = Math.min(RECENT_UPDATES, observed.size());
    if (n < MIN_UPDATES) {
      return policyLead(timing, n, now);
    }
    double[] minutes = observed.subList(observed.size() - n, observed.size()).stream()
        .mapToDouble(SignalPoint::value).sorted().toArray();
    // Nearest rank: the smallest value with at least 90 % of the observations at or below it.
    double quantile = minutes[(int) Math.ceil(QUANTILE * n) - 1];
    int coldStart = (int) Math.min(Math.max(1, Math.ceil(quantile - 1e-9)),
        Timing.MAX_FORECAST_REACH_MINUTES);
    return new StartupLead(coldStart, n, now, "lead " + (coldStart + timing.metricDelayMinutes())
        + " min: p90 of the last " + n + " updates (" + String.format(Locale.ROOT, "%.1f–%.1f",
        minutes[0], minutes[n - 1]) + " min) plus the metric delay");
  }

  /** A tally published at {@code measuredAt}, as a later cycle reads it back. */
  public static StartupLead recalled(double coldStartMinutes, double updates,
      Instant measuredAt, Timing timing) {
    if (!(updates >= MIN_UPDATES && coldStartMinutes >= 1)) { // NaN included
      return policyLead(timing, (int) Math.max(0, Math.min(RECENT_UPDATES, updates)), measuredAt);
    }
    // Within the bounds a tally keeps, whatever a record says.
    int minutes = (int) Math.min(Timing.MAX_FORECAST_REACH_MINUTES, Math.ceil(coldStartMinutes));
    int counted = (int) Math.min(RECENT_UPDATES, updates);
    return new StartupLead(minutes, counted, measuredAt, "lead "
        + (minutes + timing.metricDelayMinutes()) + " min: p90 of the last " + counted
        + " updates (tallied at " + measuredAt + ") plus the metric delay");
  }

  private static StartupLead policyLead(Timing timing, int observed, Instant measuredAt) {
    return new StartupLead(timing.coldStartMinutes(), observed, measuredAt, "lead "
        + timing.preWarmLeadMinutes() + " min: the policy's cold start of "
        + timing.coldStartMinutes() + " min plus the metric delay (" + observed + " of the "
        + MIN_UPDATES + " timed scale-outs needed to learn it)");
  }

  /** True when the lead is learned rather than the policy's. */
  public boolean learned() {
    return updates >= MIN_UPDATES;
  }

  /** True once the tally is due again. */
  public boolean stale(Instant now) {
    return !now.isBefore(measuredAt.plus(RETALLY));
  }
}
