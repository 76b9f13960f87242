package inferscale.backtest;

import inferscale.trace.Trace;

/**
 * The limit with cold start: knows every future minute and asks at t for the peak need in
 * [t, t + coldStart], so every minute is served while nothing starts earlier than it must.
 */
final class ClairvoyantPolicy implements ScalingPolicy {
  private final Trace trace;
  private final int coldStartMinutes;

  ClairvoyantPolicy(Trace trace, int coldStartMinutes) {
    this.trace = trace;
    this.coldStartMinutes = coldStartMinutes;
  }

  @Override
  public String name() {
    return "clairvoyant";
  }

  @Override
  public int desired(SimulationView view) {
    int t = view.minute();
    int end = Math.min(trace.length() - 1, t + coldStartMinutes);
    double peak = -1;
    for (int m = t; m <= end; m++) {
      if (!trace.isGap(m)) {
        peak = Math.max(peak, trace.requests(m));
      }
    }
    if (peak < 0) {
      return view.desired(); // only gaps ahead: nothing to prepare for
    }
    return Math.max(1, (int) Math.ceil(peak / view.mu()));
  }
}
