package inferscale.control;

import inferscale.decision.SignalPoint;
import inferscale.decision.Timing;
import java.util.List;
import java.util.Locale;

/**
 * The cold start the pre-warm lead assumes: a high quantile of how long this instance type's
 * recent scale-outs took from the ask to InService, once there are enough of them; the policy's
 * {@code timing.coldStartMinutes} until then.
 *
 * @param coldStartMinutes the cold start the cycle plans with
 * @param updates the observed scale-outs it is learned from (0 when it is the policy's)
 * @param sentence what it is, for the decision: "lead 11 min: p90 of the last 20 updates"
 */
public record StartupLead(int coldStartMinutes, int updates, String sentence) {
  /** The newest scale-outs a lead is learned from. */
  public static final int RECENT_UPDATES = 20;
  /** Fewer than this and a quantile says little: the policy's cold start is used. */
  public static final int MIN_UPDATES = 5;
  static final double QUANTILE = 0.9;

  /** @param observed minutes each scale-out took, oldest first */
  public static StartupLead of(List<SignalPoint> observed, Timing timing) {
    int n = Math.min(RECENT_UPDATES, observed.size());
    int metricDelay = timing.metricDelayMinutes();
    if (n < MIN_UPDATES) {
      return new StartupLead(timing.coldStartMinutes(), 0, "lead "
          + timing.preWarmLeadMinutes() + " min: the policy's cold start of "
          + timing.coldStartMinutes() + " min plus the metric delay (" + n + " of the "
          + MIN_UPDATES + " timed scale-outs needed to learn it)");
    }
    double[] minutes = observed.subList(observed.size() - n, observed.size()).stream()
        .mapToDouble(SignalPoint::value).sorted().toArray();
    // Nearest rank: the smallest value with at least 90 % of the observations at or below it.
    double quantile = minutes[(int) Math.ceil(QUANTILE * n) - 1];
    int coldStart = (int) Math.min(Math.max(1, Math.ceil(quantile - 1e-9)), 120);
    return new StartupLead(coldStart, n, "lead " + (coldStart + metricDelay) + " min: p90 of the"
        + " last " + n + " updates (" + String.format(Locale.ROOT, "%.1f–%.1f", minutes[0],
        minutes[n - 1]) + " min) plus the metric delay");
  }
}
