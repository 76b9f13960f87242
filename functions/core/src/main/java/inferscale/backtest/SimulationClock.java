package inferscale.backtest;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that is where a simulation says, moved on minute by minute: what the control steps take
 * as now in the backtest, and what the deployed handlers take as now when they replay a trace.
 */
public final class SimulationClock extends Clock {
  private volatile Instant now;

  public SimulationClock(Instant start) {
    this.now = start;
  }

  public void set(Instant instant) {
    now = instant;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a simulation's clock is in UTC");
  }

  @Override
  public Instant instant() {
    return now;
  }
}
