package inferscale.backtest;

/** A hand-set view for testing policies in isolation: per-minute demand and serving counts. */
final class ScriptedView implements SimulationView {
  final double[] demand;
  final int[] serving;
  int minute;
  int desired;
  int delay;
  double mu = 10;

  ScriptedView(double[] demand, int[] serving) {
    this.demand = demand;
    this.serving = serving;
  }

  @Override
  public int minute() {
    return minute;
  }

  @Override
  public int desired() {
    return desired;
  }

  @Override
  public int serving() {
    return serving[minute];
  }

  @Override
  public String status() {
    return serving() < desired ? "Updating" : "InService";
  }

  @Override
  public int lastChangeMinute() {
    return Integer.MIN_VALUE / 2;
  }

  @Override
  public int newestVisibleMinute() {
    return minute - delay;
  }

  @Override
  public boolean recorded(int m) {
    return m >= 0 && m < demand.length && !Double.isNaN(demand[m]);
  }

  @Override
  public double demand(int m) {
    return demand[m];
  }

  @Override
  public int serving(int m) {
    return serving[m];
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
