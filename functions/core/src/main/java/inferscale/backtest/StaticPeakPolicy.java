package inferscale.backtest;

/** A fixed fleet sized for the trace's busiest minute: no shortfall, maximum waste. */
final class StaticPeakPolicy implements ScalingPolicy {
  private final int instances;

  StaticPeakPolicy(int instances) {
    this.instances = instances;
  }

  @Override
  public String name() {
    return "static-peak";
  }

  @Override
  public int desired(SimulationView view) {
    return instances;
  }
}
