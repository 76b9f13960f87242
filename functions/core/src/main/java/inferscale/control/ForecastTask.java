package inferscale.control;

import inferscale.decision.Timing;
import java.util.Objects;

/**
 * What one forecaster run is asked to do.
 *
 * @param timing the scaler's timing: its cold start and metric delay set how far the forecast must
 *     reach, the forecast interval how long it must last
 */
public record ForecastTask(String endpointName, String variantName, Timing timing) {
  public ForecastTask {
    Objects.requireNonNull(endpointName, "endpointName");
    Objects.requireNonNull(variantName, "variantName");
    Objects.requireNonNull(timing, "timing");
  }
}
