package inferscale.decision;

import java.time.Instant;

/**
 * The instances the forecast says must already be serving: enough for the forecast peak that can
 * arrive before a new instance finishes its cold start.
 *
 * @param peakRps highest upper-quantile forecast in the look-ahead window
 * @param peakAt when that peak is forecast
 * @param leadMinutes cold start plus metric delay: how far ahead the floor looks
 */
public record PredictiveFloor(int instances, double peakRps, Instant peakAt, int leadMinutes) {
  public PredictiveFloor {
    if (instances < 0) {
      throw new IllegalArgumentException("predictive floor cannot be negative: " + instances);
    }
  }
}
