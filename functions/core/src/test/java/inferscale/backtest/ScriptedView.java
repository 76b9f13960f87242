package inferscale.backtest;

/** A hand-set view for testing policies in isolation: per-minute demand and serving counts. */
final class ScriptedView implements SimulationView {
  final double[] demand;
  final int[] ready;
  int minute;
  int requested;
  int delay;
  double mu = 10;

  ScriptedView(double[] demand, int[] ready) {
    this.demand = demand;
    this.ready = ready;
  }

  @Override
  public int minute() {
    return minute;
  }

  @Override
  public int requested() {
    return requested;
  }

  @Override
  public int serving() {
    return ready[minute];
  }

  @Override
  public int lastChangeMinute() {
    return Integer.MIN_VALUE / 2;
  }

  @Override
  public int lastScaleOutMinute() {
    return Integer.MIN_VALUE / 2;
  }

  @Override
  public int newestVisibleMinute() {
    return minute - delay;
  }

  @Override
  public boolean hasData(int m) {
    return m >= 0 && m <= newestVisibleMinute() && !Double.isNaN(demand[m]);
  }

  @Override
  public double demand(int m) {
    return demand[m];
  }

  @Override
  public int ready(int m) {
    return ready[m];
  }

  @Override
  public double waiting(int m) {
    return 0;
  }

  @Override
  public double kvUsage(int m) {
    return 0;
  }

  @Override
  public double mu() {
    return mu;
  }
}
