package inferscale.aws;

import java.util.Objects;

/**
 * Deployment-wide settings (the SAM template's parameters) that a request cannot loosen.
 *
 * @param dryRun when true, no request applies anything, whatever its own {@code dryRun} says
 * @param capacityMode the capacity check used when a request does not name one
 */
public record ScalerDefaults(boolean dryRun, CapacityMode capacityMode) {
  public ScalerDefaults {
    Objects.requireNonNull(capacityMode, "capacityMode");
  }

  public static ScalerDefaults standard() {
    return new ScalerDefaults(false, CapacityMode.RESERVATIONS);
  }
}
