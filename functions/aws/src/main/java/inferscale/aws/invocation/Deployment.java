package inferscale.aws.invocation;

import inferscale.control.CapacityMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Deployment-wide settings (the SAM template's parameters) that a request cannot loosen.
 *
 * @param dryRun when true, no request applies anything, whatever its own {@code dryRun} says, and
 *     the forecast is published and read on the dry-run channel
 * @param capacityMode the capacity check used when a request does not name one
 */
public record Deployment(boolean dryRun, CapacityMode capacityMode) {
  public Deployment {
    Objects.requireNonNull(capacityMode, "capacityMode");
  }

  public static Deployment standard() {
    return new Deployment(false, CapacityMode.RESERVATIONS);
  }

  /**
   * The deployment's settings from the environment the SAM template sets: {@code DRY_RUN}
   * ({@code true}/{@code false}) and {@code CAPACITY_CHECK} ({@code reservations}/{@code none}).
   *
   * @throws InvalidRequestException naming each bad variable
   */
  public static Deployment fromEnvironment(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    boolean dryRun = false;
    String dry = env.getOrDefault("DRY_RUN", "false").trim().toLowerCase(Locale.ROOT);
    if (dry.equals("true")) {
      dryRun = true;
    } else if (!dry.equals("false") && !dry.isEmpty()) {
      problems.add("environment variable DRY_RUN must be true or false, got '" + dry + "'");
    }
    CapacityMode mode = CapacityMode.RESERVATIONS;
    String capacity = env.get("CAPACITY_CHECK");
    if (capacity != null && !capacity.isBlank()) {
      try {
        mode = CapacityMode.fromName(capacity);
      } catch (IllegalArgumentException e) {
        problems.add("environment variable CAPACITY_CHECK " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidRequestException(problems);
    }
    return new Deployment(dryRun, mode);
  }
}
