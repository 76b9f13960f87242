package inferscale.benchmarks;

import inferscale.backtest.Backtest;
import inferscale.backtest.BacktestParameters;
import inferscale.backtest.Frontier;
import inferscale.backtest.PolicyResult;
import inferscale.backtest.ScalingPolicy;
import inferscale.backtest.SimulationView;
import inferscale.backtest.Simulator;
import inferscale.trace.SyntheticTraces.LlmFleet;
import inferscale.trace.SyntheticTraces.LlmFleetSteps;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A reference for step-wise LLM traffic, not a contender: told every client's level and the
 * fleet's factor (which the endpoint's total does not tell), it asks for a fixed multiple of the
 * next window's expected rate, the window a new instance would first serve, and lets instances go
 * at once. It knows the level the windows wander around exactly, so its frontier is what holding
 * headroom over the level can earn without foreseeing a window's wander or a step.
 */
final class LevelOraclePolicy implements ScalingPolicy {
  /** Multiples of the expected rate swept. */
  private static final List<Double> MULTIPLES =
      List.of(1.0, 1.03, 1.06, 1.1, 1.15, 1.2, 1.25, 1.3, 1.4, 1.5, 1.7, 2.0, 2.5);
  /** Draws of each window that its expected rate is the mean of. */
  private static final int DRAWS = 400;
  private static final long DRAWS_SEED = 7;

  private final double multiple;
  private final double[] expectedRate;

  private LevelOraclePolicy(double multiple, double[] expectedRate) {
    this.multiple = multiple;
    this.expectedRate = expectedRate;
  }

  /** Its frontier over {@link #MULTIPLES} (knob: the multiple), with the backtest's defaults. */
  static List<Frontier.Point> frontier(LlmFleetSteps state) {
    BacktestParameters parameters = BacktestParameters.defaults();
    Simulator simulator = new Simulator(state.trace(), parameters,
        Backtest.capacity(state.trace(), parameters).requestsPerMinute());
    double[] expected = expectedRates(state);
    return MULTIPLES.parallelStream().map(multiple -> {
      PolicyResult result = simulator.run(new LevelOraclePolicy(multiple, expected)).result();
      return new Frontier.Point(multiple, result.costRatio(), result.unservedPct(),
          result.instanceHours());
    }).toList();
  }

  /** Each window's expected rate, given the fleet as it stood before the window. */
  private static double[] expectedRates(LlmFleetSteps state) {
    double[] expected = new double[state.windowRate().length];
    IntStream.range(0, expected.length).parallel().forEach(w -> {
      Random random = new Random(DRAWS_SEED);
      double sum = 0;
      for (int k = 0; k < DRAWS; k++) {
        sum += state.beforeWindow().get(w).copy().nextWindow(w * LlmFleet.WINDOW, random);
      }
      expected[w] = sum / DRAWS;
    });
    return expected;
  }

  @Override
  public String name() {
    return "level-oracle";
  }

  @Override
  public int desired(SimulationView view) {
    // Asked for now, an instance serves a cold start on: with the defaults' 8-minute cold start
    // and 2-minute metric delay, ten minutes after the newest minute seen, in the next window.
    int window = Math.min(expectedRate.length - 1,
        Math.max(0, view.newestVisibleMinute() / LlmFleet.WINDOW + 1));
    return Math.max(1, (int) Math.ceil(multiple * expectedRate[window] / view.mu()));
  }
}
