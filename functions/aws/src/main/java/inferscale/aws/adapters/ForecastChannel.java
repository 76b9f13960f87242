package inferscale.aws.adapters;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a deployment's forecast is published and read. A dry-run deployment's forecaster
 * publishes under the extra dimension {@code Mode = DryRun}, which only that deployment's scaler
 * reads: its dry-run decisions show the forecast floor as a live deployment's would, and a live
 * scaler of the same endpoint never sees a rehearsal's forecast.
 */
public enum ForecastChannel {
  LIVE,
  DRY_RUN;

  static final MetricDimension DRY_RUN_DIMENSION = new MetricDimension(InferScaleMetrics.MODE, "DryRun");

  /** The channel of a deployment, from its global dry-run setting. */
  public static ForecastChannel of(boolean dryRunDeployment) {
    return dryRunDeployment ? DRY_RUN : LIVE;
  }

  /** The forecast metrics' dimensions for one variant on this channel. */
  public List<MetricDimension> dimensions(String endpointName, String variantName) {
    return dimensions(MetricTarget.variant(endpointName, variantName));
  }

  /** The forecast metrics' dimensions for one target on this channel. */
  public List<MetricDimension> dimensions(MetricTarget target) {
    List<MetricDimension> dimensions = new ArrayList<>(target.dimensions());
    if (this == DRY_RUN) {
      dimensions.add(DRY_RUN_DIMENSION);
    }
    return List.copyOf(dimensions);
  }
}
