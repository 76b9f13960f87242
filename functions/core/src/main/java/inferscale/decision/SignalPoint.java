package inferscale.decision;

import java.time.Instant;
import java.util.Objects;

/** One per-minute datapoint: the minute's start and the value measured over it. */
public record SignalPoint(Instant timestamp, double value) {
  public SignalPoint {
    Objects.requireNonNull(timestamp, "timestamp");
  }
}
