package inferscale.control;

import inferscale.decision.Timing;
import java.util.Objects;

/**
 * What one forecaster run is asked to do: forecast a production variant's requests, or an
 * inference component's.
 *
 * @param variantName the variant forecast, or null when a component is
 * @param inferenceComponentName the inference component forecast, or null when a variant is
 * @param timing the scaler's timing: its cold start and metric delay set how far the forecast must
 *     reach, the forecast interval how long it must last
 */
public record ForecastTask(String endpointName, String variantName, String inferenceComponentName,
    Timing timing) {
  public ForecastTask {
    Objects.requireNonNull(endpointName, "endpointName");
    if ((variantName == null) == (inferenceComponentName == null)) {
      throw new IllegalArgumentException("a forecast is of a variant or an inference component:"
          + " exactly one of variantName and inferenceComponentName");
    }
    Objects.requireNonNull(timing, "timing");
  }

  /** A task that forecasts a production variant. */
  public ForecastTask(String endpointName, String variantName, Timing timing) {
    this(endpointName, variantName, null, timing);
  }
}
