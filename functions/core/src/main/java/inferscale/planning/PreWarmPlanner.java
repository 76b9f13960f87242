package inferscale.planning;

import inferscale.decision.InstanceCount;
import inferscale.decision.PolicyConfig;
import inferscale.decision.PredictiveFloor;
import inferscale.decision.SignalPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a forecast into the instances that must already be asked for: a new instance only serves
 * after its cold start, and the metrics that would reveal a peak arrive late, so the floor now
 * covers the forecast peak from {@code now + lead} for one cold start more (on SageMaker the next
 * change can land only after the current one finishes).
 */
public final class PreWarmPlanner {
  private PreWarmPlanner() {}

  /**
   * {@code ceil(max need in [now + lead, now + lead + cycle])}, with lead = cold start + metric
   * delay and cycle = cold start (at least a minute). A minute's need is its upper forecast at the
   * policy's {@link PolicyConfig.Targets#floorRpsPerInstance()} (what one instance serves when that is set,
   * else the reactive target); when what one instance serves is set and the minute's expected
   * (point) forecast is known, at most that expected rate at the reactive target: the most target
   * tracking would hold for it, so on noisy traffic, whose upper quantile sits far above its
   * mean, the floor does not hold more than target tracking would. With {@code targets.floorBand}
   * a minute whose expected forecast is known needs instead the expected rate plus that share of
   * the band up to the upper quantile, at what one instance serves and with no cap: the band (a
   * quantile of the forecast's own replayed errors, scaled to each minute's level as its noise
   * is) sets the headroom, not a fixed share of the rate. Its {@code keepInstances} is the same
   * over [now, now + lead + cycle], when the forecast starts within a minute of now (a later
   * start says nothing about the minutes before).
   *
   * @param upperRps the upper-quantile forecast, requests per second per future minute
   * @param expectedRps the point forecast, requests per second per future minute; minutes it
   *     lacks are sized on the upper forecast alone
   * @return null when no upper forecast point falls in the window: the decision is then reactive
   *     only
   */
  public static PredictiveFloor predictiveFloor(List<SignalPoint> upperRps,
      List<SignalPoint> expectedRps, Instant now, PolicyConfig policy) {
    int lead = policy.timing().preWarmLeadMinutes();
    Instant from = now.plus(Duration.ofMinutes(lead));
    Instant to = from.plus(Duration.ofMinutes(policy.timing().floorWindowMinutes()));
    Map<Instant, Double> expected = new HashMap<>();
    if (policy.targets().maxRpsPerInstance() != null) {
      for (SignalPoint point : expectedRps) {
        if (usable(point)) {
          expected.put(point.timestamp(), point.value());
        }
      }
    }
    MinuteNeed peak = null;
    MinuteNeed peakFromNow = null;
    boolean reachesNow = false;
    for (SignalPoint point : upperRps) {
      Instant at = point.timestamp();
      if (at.isBefore(now) || at.isAfter(to) || !usable(point)) {
        continue;
      }
      reachesNow |= !at.isAfter(now.plus(Duration.ofMinutes(1)));
      MinuteNeed need = MinuteNeed.of(point, expected.get(at), policy.targets());
      if (!at.isBefore(from) && (peak == null || need.instances > peak.instances)) {
        peak = need;
      }
      if (peakFromNow == null || need.instances > peakFromNow.instances) {
        peakFromNow = need;
      }
    }
    if (peak == null) {
      return null;
    }
    Integer keep = reachesNow ? InstanceCount.ceil(peakFromNow.instances) : null;
    return new PredictiveFloor(InstanceCount.ceil(peak.instances), peak.rps, peak.at, lead, keep,
        peak.basis, peak.rpsPerInstance);
  }

  private static boolean usable(SignalPoint point) {
    return Double.isFinite(point.value()) && point.value() >= 0;
  }

  /** One forecast minute: the fractional instances it needs and the rate they were sized on. */
  private record MinuteNeed(Instant at, double instances, double rps, PredictiveFloor.Basis basis,
      double rpsPerInstance) {
    static MinuteNeed of(SignalPoint upper, Double expected, PolicyConfig.Targets targets) {
      if (targets.floorBand() != null && expected != null) {
        // Read as two series, upper may dip below expected: a band is never negative.
        double rps = expected + targets.floorBand() * Math.max(0, upper.value() - expected);
        return new MinuteNeed(upper.timestamp(), rps / targets.maxRpsPerInstance(), rps,
            PredictiveFloor.Basis.FORECAST_BAND, targets.maxRpsPerInstance());
      }
      double atCapacity = upper.value() / targets.floorRpsPerInstance();
      if (expected != null && expected / targets.rpsPerInstance() < atCapacity) {
        return new MinuteNeed(upper.timestamp(), expected / targets.rpsPerInstance(),
            expected, PredictiveFloor.Basis.EXPECTED_AT_TARGET, targets.rpsPerInstance());
      }
      return new MinuteNeed(upper.timestamp(), atCapacity, upper.value(),
          PredictiveFloor.Basis.UPPER_QUANTILE, targets.floorRpsPerInstance());
    }
  }
}
