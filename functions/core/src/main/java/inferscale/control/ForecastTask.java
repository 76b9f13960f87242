package inferscale.control;

import inferscale.decision.Timing;
import inferscale.units.RequestRate;
import java.util.Objects;

/**
 * What one forecaster run is asked to do.
 *
 * @param timing the scaler's timing: its cold start and metric delay set how far the forecast must
 *     reach, the forecast interval how long it must last
 * @param capacityPerInstance what one instance serves within the SLO (the policy's {@code
 *     targets.maxRpsPerInstance}), null when the policy does not say: minutes at it are saturated
 */
public record ForecastTask(String endpointName, String variantName, Timing timing,
    RequestRate capacityPerInstance) {
  public ForecastTask {
    Objects.requireNonNull(endpointName, "endpointName");
    Objects.requireNonNull(variantName, "variantName");
    Objects.requireNonNull(timing, "timing");
  }
}
