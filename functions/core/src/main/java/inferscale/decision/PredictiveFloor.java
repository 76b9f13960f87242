package inferscale.decision;

import java.time.Instant;
import java.util.Objects;

/**
 * The instances the forecast says must already be serving: enough for the forecast peak that can
 * arrive before a new instance finishes its cold start.
 *
 * @param peakRps the forecast rate of the minute in the look-ahead window that needs the most
 *     instances: its upper quantile, its expected rate or a point between, as {@code basis} says
 * @param peakAt that minute
 * @param leadMinutes cold start plus metric delay: how far ahead the floor looks
 * @param keepInstances the instances the forecast needs from now to the end of the look-ahead
 *     window: an instance removed now could not serve again before then, so a scale-in keeps at
 *     least these; null when the forecast does not reach back to now
 * @param basis which forecast the peak minute was sized on
 * @param rpsPerInstance the rate per instance it was sized at
 */
public record PredictiveFloor(int instances, double peakRps, Instant peakAt, int leadMinutes,
    Integer keepInstances, Basis basis, double rpsPerInstance) {
  /** Which forecast, at which rate, set the floor's peak minute. */
  public enum Basis {
    /** The upper quantile at the policy's floor rate (what one instance serves, or the target). */
    UPPER_QUANTILE,
    /** The expected rate at the reactive target: less than the upper quantile asked for. */
    EXPECTED_AT_TARGET,
    /**
     * The expected rate plus the policy's share of the band up to the upper quantile ({@code
     * targets.floorBand}), at what one instance serves.
     */
    FORECAST_BAND
  }

  public PredictiveFloor {
    Objects.requireNonNull(basis, "basis");
    if (instances < 0) {
      throw new IllegalArgumentException("predictive floor cannot be negative: " + instances);
    }
    if (keepInstances != null && keepInstances < instances) {
      throw new IllegalArgumentException("keepInstances (" + keepInstances
          + ") covers the floor's window too, so it cannot be below the floor (" + instances + ")");
    }
  }
}
