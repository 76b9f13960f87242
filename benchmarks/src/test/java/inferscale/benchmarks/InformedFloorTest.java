package inferscale.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferscale.backtest.Backtest;
import inferscale.backtest.BacktestParameters;
import inferscale.backtest.LeastCostFrontier;
import inferscale.backtest.PolicyResult;
import inferscale.backtest.Simulator;
import inferscale.backtest.TargetTrackingPolicy;
import inferscale.trace.SyntheticTraces;
import inferscale.trace.Trace;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class InformedFloorTest {
  private static final long SEED = 11;
  private static final int COLD_START = 8;
  private static final int METRIC_DELAY = 2;
  private static final int SCORED_FROM = 7 * 24 * 60;

  /** Requests one instance serves a minute on {@code trace}, as the backtest sizes it. */
  private static double mu(Trace trace) {
    return Backtest.capacity(trace, BacktestParameters.defaults()).requestsPerMinute();
  }

  /**
   * Knowing less never costs less: the informed floor lies on or above the clairvoyant's at every
   * unserved demand, and strictly above it where the unknown matters; and it lies below what
   * target tracking, which knows less still, realises.
   */
  private static void liesBetweenTheClairvoyantAndTargetTracking(Trace trace,
      Function<Double, LeastCostFrontier> informedAt) {
    BacktestParameters parameters = BacktestParameters.defaults();
    double mu = mu(trace);
    LeastCostFrontier informed = informedAt.apply(mu);
    LeastCostFrontier clairvoyant = LeastCostFrontier.clairvoyant(trace, mu, COLD_START,
        SCORED_FROM, 1);
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

  /** The families of episodes on a usual rate: flash bursts, and image batch jobs. */
  private static List<SyntheticTraces.EpisodicTrace> episodicFamilies() {
    return List.of(SyntheticTraces.burstyWebState(SEED), SyntheticTraces.multimodalState(SEED));
  }

  /**
   * What the floors draw is what the generator drew: over the minutes of episodes, and over the
   * rest, the draws with each minute's own factor bring the trace's requests on average, and
   * spread about as far around their mean as the trace does (a floor drawing less noise than the
   * trace's would promise savings no policy could reach).
   */
  @Test
  void episodicFamiliesDrawWhatTheirTraceBrought() {
    int drawsPerMinute = 20;
    for (SyntheticTraces.EpisodicTrace state : episodicFamilies()) {
      double[] traced = new double[2];
      double[] drawn = new double[2];
      // The trace's squared distance from the draws' mean, and the draws' own variance.
      double[] tracedSpread = new double[2];
      double[] drawnSpread = new double[2];
      Random random = new Random(SEED);
      for (int m = 0; m < state.trace().length(); m++) {
        int during = state.episodeStart()[m] >= 0 ? 1 : 0;
        assertEquals(during == 1, state.factor()[m] > 1, "minute " + m);
        traced[during] += state.trace().requests(m);
        double[] draws = new double[drawsPerMinute];
        for (int k = 0; k < drawsPerMinute; k++) {
          draws[k] = state.requests().draw(m, state.factor()[m], random);
        }
        double mean = Arrays.stream(draws).average().orElseThrow();
        drawn[during] += mean;
        tracedSpread[during] += Math.pow(state.trace().requests(m) - mean, 2);
        drawnSpread[during] += Arrays.stream(draws).map(d -> (d - mean) * (d - mean)).sum()
            / (drawsPerMinute - 1) * (1 + 1.0 / drawsPerMinute);
      }
      for (int during = 0; during < 2; during++) {
        String which = state.trace().name() + (during == 1 ? ", episodes" : ", outside them");
        // The trace's own noise: about 1.3 % over bursty web's 700 minutes of bursts.
        assertEquals(1, drawn[during] / traced[during], 0.04, which);
        // 0.99-1.03 here; a draw with half the trace's variance would give about 2.
        assertEquals(1, tracedSpread[during] / drawnSpread[during], 0.1, which + ", spread");
      }
    }
  }

  @Test
  void episodicFamiliesFloorsLieBetweenTheClairvoyantAndTargetTracking() {
    for (SyntheticTraces.EpisodicTrace state : episodicFamilies()) {
      liesBetweenTheClairvoyantAndTargetTracking(state.trace(),
          mu -> InformedFloor.episodic(state, mu, COLD_START, SCORED_FROM));
    }
  }

  /** Target tracking's unserved demand at 0.5, 0.7 and 0.9 on {@code trace}. */
  private static List<Double> trackingUnserved(Trace trace, double mu) {
    Simulator simulator = new Simulator(trace, BacktestParameters.defaults(), mu);
    return List.of(0.5, 0.7, 0.9).stream().map(target -> simulator
        .run(new TargetTrackingPolicy(target * mu, 1, 80)).result().unservedPct()).toList();
  }

  /**
   * Knowing less never costs less: not knowing when an episode ends, and seeing it only once its
   * metrics are published, costs at least the informed floor, and more the later it is seen.
   */
  @Test
  void episodesWatchedCostAtLeastKnowingAndMoreTheLaterTheyAreSeen() {
    for (SyntheticTraces.EpisodicTrace state : episodicFamilies()) {
      double mu = mu(state.trace());
      LeastCostFrontier informed = InformedFloor.episodic(state, mu, COLD_START, SCORED_FROM);
      LeastCostFrontier withoutEnds =
          InformedFloor.episodicWithoutEnds(state, mu, COLD_START, 0, SCORED_FROM);
      LeastCostFrontier watched =
          InformedFloor.episodicWithoutEnds(state, mu, COLD_START, METRIC_DELAY, SCORED_FROM);
      for (double unserved : trackingUnserved(state.trace(), mu)) {
        // Within the Monte Carlo error: the draws of the two models are not the same.
        assertTrue(withoutEnds.costRatioAt(unserved) >= 0.995 * informed.costRatioAt(unserved),
            state.trace().name() + ", " + unserved + ": without ends "
                + withoutEnds.costRatioAt(unserved) + ", informed "
                + informed.costRatioAt(unserved));
      }
      seenLaterCostsMore(state.trace(), mu, watched, withoutEnds);
    }
  }

  /** At target tracking's unserved demands, the floor that sees later costs strictly more. */
  private static void seenLaterCostsMore(Trace trace, double mu, LeastCostFrontier later,
      LeastCostFrontier sooner) {
    for (double unserved : trackingUnserved(trace, mu)) {
      assertTrue(later.costRatioAt(unserved) > sooner.costRatioAt(unserved),
          unserved + ": seen later " + later.costRatioAt(unserved) + ", sooner "
              + sooner.costRatioAt(unserved));
    }
  }

  @Test
  void aBurstIsStillOnWithTheShareOfItsPossibleLengthsThatReachOn() {
    // Lengths 10 to 40 minutes, equally likely: 31 of them.
    SyntheticTraces.Episodes.Kind bursts = SyntheticTraces.BURSTY_WEB_BURSTS;
    assertEquals(10, bursts.shortest());
    assertEquals(40, bursts.longest());
    // On for its first minute: every length is possible; 10 minutes on, those of 11 or more.
    assertEquals(30.0 / 31, InformedFloor.stillOnChance(bursts, 1, 10), 1e-12);
    // On for 30 minutes (lengths 30-40), 10 minutes on only the 40-minute one is.
    assertEquals(1.0 / 11, InformedFloor.stillOnChance(bursts, 30, 10), 1e-12);
    assertEquals(0, InformedFloor.stillOnChance(bursts, 31, 10), 1e-12);
    assertEquals(1, InformedFloor.stillOnChance(bursts, 5, 5), 1e-12);
  }

  @Test
  void llmFleetStepsFloorLiesBetweenTheClairvoyantAndTargetTracking() {
    SyntheticTraces.LlmFleetSteps state = SyntheticTraces.llmFleetStepsState(SEED);
    liesBetweenTheClairvoyantAndTargetTracking(state.trace(),
        mu -> InformedFloor.llmFleetSteps(state, mu, COLD_START, SCORED_FROM));
    liesBetweenTheClairvoyantAndTargetTracking(state.trace(),
        mu -> InformedFloor.llmFleetStepsWatched(state, mu, COLD_START, METRIC_DELAY,
            SCORED_FROM));
  }

  /**
   * Knowing less never costs less: a window's rate seen only once its metrics are published costs
   * more than knowing it a cold start into the window, and more the later they are published (2
   * minutes: never within the window; 1 minute: in its last minute).
   */
  @Test
  void llmFleetStepsWatchedCostsMoreTheLaterEachWindowIsSeen() {
    SyntheticTraces.LlmFleetSteps state = SyntheticTraces.llmFleetStepsState(SEED);
    double mu = mu(state.trace());
    LeastCostFrontier informed = InformedFloor.llmFleetSteps(state, mu, COLD_START, SCORED_FROM);
    LeastCostFrontier minuteLate =
        InformedFloor.llmFleetStepsWatched(state, mu, COLD_START, 1, SCORED_FROM);
    LeastCostFrontier watched =
        InformedFloor.llmFleetStepsWatched(state, mu, COLD_START, METRIC_DELAY, SCORED_FROM);
    seenLaterCostsMore(state.trace(), mu, minuteLate, informed);
    seenLaterCostsMore(state.trace(), mu, watched, minuteLate);
    // A lag past the window would need the window before it unseen too, which it does not model.
    assertThrows(IllegalArgumentException.class, () -> InformedFloor.llmFleetStepsWatched(state,
        mu, COLD_START, SyntheticTraces.LlmFleet.WINDOW - COLD_START + 1, SCORED_FROM));
  }
}
