package inferscale.benchmarks;

import inferscale.backtest.ScalingPolicy;
import inferscale.backtest.SimulationView;

/**
 * A reference, not a contender: the best a controller without foresight could hope to react.
 * Run with no metric delay, it sees each minute's demand as the minute happens, asks at once for
 * that demand at its target utilisation, and lets instances go at once when demand falls, so it
 * pays no stabilisation and waits only for the cold start. On traffic whose bursts or steps come
 * at random times, no controller that cannot see them coming does much better at the same unserved
 * demand.
 */
final class IdealReactivePolicy implements ScalingPolicy {
  private final double utilization;

  IdealReactivePolicy(double utilization) {
    this.utilization = utilization;
  }

  @Override
  public String name() {
    return "ideal-reactive";
  }

  @Override
  public int desired(SimulationView view) {
    int now = view.newestVisibleMinute();
    if (!view.hasData(now)) {
      return view.desired();
    }
    return Math.max(1, (int) Math.ceil(view.demand(now) / (utilization * view.mu())));
  }
}
