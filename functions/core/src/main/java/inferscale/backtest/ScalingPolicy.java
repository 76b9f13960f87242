package inferscale.backtest;

/** A controller under test: asked once a minute for the instance count it wants. */
public interface ScalingPolicy {
  String name();

  /** The instance count wanted from this minute on. */
  int desired(SimulationView view);
}
