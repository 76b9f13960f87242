package inferscale.planning;

import inferscale.decision.PolicyConfig;
import inferscale.decision.PredictiveFloor;
import inferscale.decision.SignalPoint;
import java.time.Instant;
import java.util.List;

/**
 * Turns a forecast into the instances that must already be asked for: a new instance only serves
 * after its cold start, and the metrics that would reveal a peak arrive late, so the floor now
 * covers the forecast peak from {@code now + lead} for one cold start more (on SageMaker the next
 * change can land only after the current one finishes).
 */
public final class PreWarmPlanner {
  private PreWarmPlanner() {}

  /**
   * How far past its last minute of history a forecast must reach so that, until the next
   * refresh, the floor's window is covered. The scaler reads overlapping forecasts as their
   * maximum, so reaching further would only let stale forecasts linger in the floor.
   */
  public static int forecastReachMinutes(PolicyConfig policy, int refreshMinutes) {
    return refreshMinutes + policy.metricDelayMinutes() + policy.preWarmLeadMinutes()
        + cycleMinutes(policy);
  }

  private static int cycleMinutes(PolicyConfig policy) {
    return Math.max(1, policy.coldStartMinutes());
  }

  /**
   * {@code ceil(max upper forecast in [now + lead, now + lead + cycle] / rate)}, with lead = cold
   * start + metric delay, cycle = cold start (at least a minute) and rate the policy's
   * {@link PolicyConfig#floorRpsPerInstance()}: what one instance serves when it is set, else the
   * reactive target. Its {@code keepInstances} is the same over [now, now + lead + cycle], when the
   * forecast starts within a minute of now (a later start says nothing about the minutes before).
   *
   * @param upperRps the upper-quantile forecast, requests per second per future minute
   * @return null when no forecast point falls in the window: the decision is then reactive only
   */
  public static PredictiveFloor predictiveFloor(
      List<SignalPoint> upperRps, Instant now, PolicyConfig policy) {
    int lead = policy.preWarmLeadMinutes();
    Instant from = now.plusSeconds(60L * lead);
    Instant to = from.plusSeconds(60L * cycleMinutes(policy));
    SignalPoint peak = null;
    SignalPoint peakFromNow = null;
    boolean reachesNow = false;
    for (SignalPoint point : upperRps) {
      Instant at = point.timestamp();
      if (at.isBefore(now) || at.isAfter(to) || !Double.isFinite(point.value())
          || point.value() < 0) {
        continue;
      }
      reachesNow |= !at.isAfter(now.plusSeconds(60));
      if (!at.isBefore(from) && (peak == null || point.value() > peak.value())) {
        peak = point;
      }
      if (peakFromNow == null || point.value() > peakFromNow.value()) {
        peakFromNow = point;
      }
    }
    if (peak == null) {
      return null;
    }
    int instances = instancesFor(peak.value(), policy);
    Integer keep = reachesNow ? instancesFor(peakFromNow.value(), policy) : null;
    return new PredictiveFloor(instances, peak.value(), peak.timestamp(), lead, keep);
  }

  private static int instancesFor(double rps, PolicyConfig policy) {
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE,
        Math.ceil(rps / policy.floorRpsPerInstance() - 1e-9)));
  }
}
