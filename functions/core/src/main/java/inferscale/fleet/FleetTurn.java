package inferscale.fleet;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A scaler cycle the fleet dispatcher sent: the minute it is for, and the endpoint's share of its
 * instance type's quota (null when the quota is unknown or the type has none).
 */
public record FleetTurn(Instant cycle, QuotaShare.Allowance quota) {
  public FleetTurn {
    Objects.requireNonNull(cycle, "cycle");
    cycle = cycle.truncatedTo(ChronoUnit.MINUTES);
  }
}
