package inferscale.decision;

import java.time.Instant;
import java.util.Objects;

/**
 * One per-minute datapoint: the minute's start and the value measured over it.
 *
 * @param estimated not measured but carried from another signal (RPS from the requests in flight,
 *     by Little's law, for minutes not yet counted): a level shift is never read from one
 */
public record SignalPoint(Instant timestamp, double value, boolean estimated) {
  public SignalPoint {
    Objects.requireNonNull(timestamp, "timestamp");
  }

  public SignalPoint(Instant timestamp, double value) {
    this(timestamp, value, false);
  }
}
