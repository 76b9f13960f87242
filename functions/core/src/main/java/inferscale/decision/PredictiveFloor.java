package inferscale.decision;

import java.time.Instant;

/**
 * The instances the forecast says must already be serving: enough for the forecast peak that can
 * arrive before a new instance finishes its cold start.
 *
 * @param peakRps highest upper-quantile forecast in the look-ahead window
 * @param peakAt when that peak is forecast
 * @param leadMinutes cold start plus metric delay: how far ahead the floor looks
 * @param keepInstances the instances the forecast needs from now to the end of the look-ahead
 *     window: an instance removed now could not serve again before then, so a scale-in keeps at
 *     least these; null when the forecast does not reach back to now
 */
public record PredictiveFloor(
    int instances, double peakRps, Instant peakAt, int leadMinutes, Integer keepInstances) {
  public PredictiveFloor {
    if (instances < 0) {
      throw new IllegalArgumentException("predictive floor cannot be negative: " + instances);
    }
    if (keepInstances != null && keepInstances < instances) {
      throw new IllegalArgumentException("keepInstances (" + keepInstances
          + ") covers the floor's window too, so it cannot be below the floor (" + instances + ")");
    }
  }
}
