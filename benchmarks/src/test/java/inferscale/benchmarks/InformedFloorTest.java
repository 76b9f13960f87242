package inferscale.benchmarks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import inferscale.backtest.Backtest;
import inferscale.backtest.BacktestParameters;
import inferscale.backtest.LeastCostFrontier;
import inferscale.backtest.PolicyResult;
import inferscale.backtest.Simulator;
import inferscale.backtest.TargetTrackingPolicy;
import inferscale.trace.SyntheticTraces;
import inferscale.trace.Trace;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class InformedFloorTest {
  private static final long SEED = 11;
  private static final int COLD_START = 8;
  private static final int METRIC_DELAY = 2;
  private static final int SCORED_FROM = 7 * 24 * 60;

  /**
   * Knowing less never costs less: the informed floor lies on or above the clairvoyant's at every
   * unserved demand, and strictly above it where the unknown matters; and it lies below what
   * target tracking, which knows less still, realises.
   */
  private static void liesBetweenTheClairvoyantAndTargetTracking(Trace trace,
      Function<Double, LeastCostFrontier> informedAt) {
    BacktestParameters parameters = BacktestParameters.defaults();
    double mu = Backtest.capacity(trace, parameters).requestsPerMinute();
    LeastCostFrontier informed = informedAt.apply(mu);
    LeastCostFrontier clairvoyant = LeastCostFrontier.clairvoyant(trace, mu, COLD_START,
        SCORED_FROM);
    Simulator simulator = new Simulator(trace, parameters, mu);
    for (double target : List.of(0.5, 0.7, 0.9)) {
      PolicyResult tracking = simulator.run(new TargetTrackingPolicy(target * mu, 1, 80))
          .result();
      double unserved = tracking.unservedPct();
      double floor = informed.costRatioAt(unserved);
      assertTrue(floor > 1.02 * clairvoyant.costRatioAt(unserved),
          target + ": informed " + floor + ", clairvoyant " + clairvoyant.costRatioAt(unserved));
      assertTrue(floor < tracking.costRatio(),
          target + ": informed " + floor + ", target tracking " + tracking.costRatio());
    }
  }

  @Test
  void burstyWebsFloorLiesBetweenTheClairvoyantAndTargetTracking() {
    SyntheticTraces.BurstyWeb state = SyntheticTraces.burstyWebState(SEED);
    liesBetweenTheClairvoyantAndTargetTracking(state.trace(),
        mu -> InformedFloor.burstyWeb(state, mu, COLD_START, SCORED_FROM));
  }

  /**
   * Knowing less never costs less: the floor for what watching the endpoint tells lies on or above
   * the informed floor wherever target tracking's points are (within the Monte Carlo error).
   */
  private static void watchingCostsAtLeastKnowing(Trace trace,
      Function<Double, LeastCostFrontier> informedAt,
      Function<Double, LeastCostFrontier> watchingAt) {
    BacktestParameters parameters = BacktestParameters.defaults();
    double mu = Backtest.capacity(trace, parameters).requestsPerMinute();
    LeastCostFrontier informed = informedAt.apply(mu);
    LeastCostFrontier watching = watchingAt.apply(mu);
    Simulator simulator = new Simulator(trace, parameters, mu);
    for (double target : List.of(0.5, 0.7, 0.9)) {
      double unserved = simulator.run(new TargetTrackingPolicy(target * mu, 1, 80)).result()
          .unservedPct();
      assertTrue(watching.costRatioAt(unserved) >= 0.995 * informed.costRatioAt(unserved),
          target + ": watching " + watching.costRatioAt(unserved) + ", informed "
              + informed.costRatioAt(unserved));
    }
  }

  @Test
  void burstyWebWithoutBurstsEndsCostsAtLeastKnowingThem() {
    SyntheticTraces.BurstyWeb state = SyntheticTraces.burstyWebState(SEED);
    watchingCostsAtLeastKnowing(state.trace(),
        mu -> InformedFloor.burstyWeb(state, mu, COLD_START, SCORED_FROM),
        mu -> InformedFloor.burstyWebWithoutEnds(state, mu, COLD_START, METRIC_DELAY,
            SCORED_FROM));
  }

  @Test
  void llmFleetStepsFromTheTotalCostsAtLeastKnowingTheClients() {
    SyntheticTraces.LlmFleetSteps state = SyntheticTraces.llmFleetStepsState(SEED);
    watchingCostsAtLeastKnowing(state.trace(),
        mu -> InformedFloor.llmFleetSteps(state, mu, COLD_START, SCORED_FROM),
        mu -> InformedFloor.llmFleetStepsFromTotal(state, mu, COLD_START, METRIC_DELAY,
            SCORED_FROM));
  }

  @Test
  void llmFleetStepsFloorLiesBetweenTheClairvoyantAndTargetTracking() {
    SyntheticTraces.LlmFleetSteps state = SyntheticTraces.llmFleetStepsState(SEED);
    liesBetweenTheClairvoyantAndTargetTracking(state.trace(),
        mu -> InformedFloor.llmFleetSteps(state, mu, COLD_START, SCORED_FROM));
  }
}
