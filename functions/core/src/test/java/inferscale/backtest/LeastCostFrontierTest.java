package inferscale.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferscale.trace.SyntheticTraces;
import inferscale.trace.Trace;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeastCostFrontierTest {
  private static final double MU = 10;
  private static final int COLD_START = 8;

  /** 100 minutes at two instances' demand, one of them at three. */
  private static Trace oneSpike() {
    double[] requests = new double[100];
    Arrays.fill(requests, 2 * MU);
    requests[50] = 3 * MU;
    return new Trace("one spike", Instant.EPOCH, requests, null, null);
  }

  @Test
  void theFloorPaysForASpikeOrLeavesItUnservedWhicheverTheBudgetAllows() {
    LeastCostFrontier floor = LeastCostFrontier.clairvoyant(oneSpike(), MU, COLD_START, 0, 1);
    double needed = 99 * 2 + 3;
    // Serving the spike costs its minute and the third instance's cold start.
    assertEquals((200 + 1 + COLD_START) / needed, floor.costRatioAt(0), 1e-9);
    // Leaving its third instance's share unserved (10 of 2,010 requests) costs nothing more.
    assertEquals(200 / needed, floor.costRatioAt(100 * MU / (needed * MU)), 1e-9);
    // Half of that share: no fleet mixes the two, so the bound lies on the line between them.
    double halfway = floor.costRatioAt(50 * MU / (needed * MU));
    assertTrue(halfway <= (200 + (1 + COLD_START) / 2.0) / needed + 1e-9, "" + halfway);
    assertTrue(halfway >= 200 / needed, "" + halfway);
  }

  @Test
  void overSeveralTracesTheMeanCostIsBoundAtTheMeanUnservedNotTraceByTrace() {
    LeastCostFrontier spike = LeastCostFrontier.clairvoyant(oneSpike(), MU, COLD_START, 0, 1);
    double[] flatRequests = new double[100];
    Arrays.fill(flatRequests, 2 * MU);
    LeastCostFrontier flat = LeastCostFrontier.clairvoyant(
        new Trace("flat", Instant.EPOCH, flatRequests, null, null), MU, COLD_START, 0, 1);
    // One trace: the same bound as the trace's own.
    for (double unserved : new double[] {0, 0.1, 0.25, 0.5}) {
      assertEquals(spike.costRatioAt(unserved),
          LeastCostFrontier.meanCostRatioAt(List.of(spike), unserved), 1e-12);
    }
    // Leaving the spike's third instance unserved (10 of 2,010 requests) and serving the flat
    // trace: 0.25 % unserved on the mean at a mean cost of (200 / 201 + 1) / 2. Each trace's own
    // bound at 0.25 % is no bound on that mean (the spike's lies near halfway to serving it); the
    // pooled bound is that pair of fleets, optimal at one price on both traces.
    double meanUnserved = 100 * MU / 2010 / 2;
    double reached = (200.0 / 201 + 1) / 2;
    double traceByTrace = (spike.costRatioAt(meanUnserved) + flat.costRatioAt(meanUnserved)) / 2;
    assertTrue(traceByTrace > reached + 0.005, traceByTrace + " vs " + reached);
    assertEquals(reached, LeastCostFrontier.meanCostRatioAt(List.of(spike, flat), meanUnserved),
        1e-9);

    // Traces whose prices per point differ (1.5 instances' demand a minute, needing 2) pool at
    // or below the mean of their own bounds, and below every pair of fleets: at 0.5 % on the
    // mean, the spike unserved and one minute of the other at one instance (5 of 1,500 requests).
    double[] otherRequests = new double[100];
    Arrays.fill(otherRequests, 1.5 * MU);
    LeastCostFrontier other = LeastCostFrontier.clairvoyant(
        new Trace("one and a half", Instant.EPOCH, otherRequests, null, null), MU, COLD_START, 0,
        1);
    for (double unserved : new double[] {0, 0.1, 0.25, 0.5}) {
      double pooled = LeastCostFrontier.meanCostRatioAt(List.of(spike, other), unserved);
      assertTrue(pooled <= (spike.costRatioAt(unserved) + other.costRatioAt(unserved)) / 2 + 1e-9,
          unserved + ": " + pooled);
    }
    double pair = (200.0 / 201 + 199.0 / 200) / 2;
    assertTrue(LeastCostFrontier.meanCostRatioAt(List.of(spike, other), 0.5) <= pair + 1e-9);
    assertTrue(LeastCostFrontier.meanCostRatioAt(List.of(spike, other), 0.5) > pair - 0.01);
  }

  @Test
  void theFloorKeepsTheFewestInstancesThePoliciesMay() {
    // Idle but for two minutes at two instances' demand.
    double[] requests = new double[100];
    requests[40] = 2 * MU;
    requests[41] = 2 * MU;
    Trace idle = new Trace("idle", Instant.EPOCH, requests, null, null);
    double needed = 98 + 2 * 2;
    // Kept at one instance, as target tracking is: it serves the idle minutes, and one more
    // instance (its cold start and two minutes) the busy ones.
    assertEquals((100 + COLD_START + 2) / needed,
        LeastCostFrontier.clairvoyant(idle, MU, COLD_START, 0, 1).costRatioAt(0), 1e-9);
    // Free to scale to zero: two instances for the cold start and the two minutes, and less than
    // the instances needed, which count one for an idle minute.
    double toZero = LeastCostFrontier.clairvoyant(idle, MU, COLD_START, 0, 0).costRatioAt(0);
    assertEquals(2 * (COLD_START + 2) / needed, toZero, 1e-9);
    assertTrue(toZero < 1, "" + toZero);
  }

  @Test
  void atNoUnservedTheFloorIsTheClairvoyantsCost() {
    Trace trace = SyntheticTraces.generate("bursty-web", 7);
    BacktestParameters parameters = BacktestParameters.defaults();
    double mu = Backtest.capacity(trace, parameters).requestsPerMinute();
    int scoredFrom = BacktestParameters.scoredFrom(trace.length());
    int coldStart = parameters.timing().coldStartMinutes();
    double clairvoyant = new Simulator(trace, parameters, mu)
        .run(new ClairvoyantPolicy(trace, coldStart)).result().costRatio();
    double floor = LeastCostFrontier.clairvoyant(trace, mu, coldStart, scoredFrom, 1)
        .costRatioAt(0);
    assertTrue(floor <= clairvoyant + 1e-9, floor + " above the clairvoyant's " + clairvoyant);
    assertEquals(clairvoyant, floor, 0.01 * clairvoyant);
  }

  @Test
  void noPolicyCostsLessThanTheFloorAtItsUnservedDemandAndTheFloorFallsWithIt() {
    Trace trace = SyntheticTraces.generate("multimodal", 7);
    BacktestParameters parameters = BacktestParameters.defaults();
    double mu = Backtest.capacity(trace, parameters).requestsPerMinute();
    Simulator simulator = new Simulator(trace, parameters, mu);
    LeastCostFrontier floor = LeastCostFrontier.clairvoyant(trace, mu,
        parameters.timing().coldStartMinutes(), BacktestParameters.scoredFrom(trace.length()), 1);
    double previous = Double.POSITIVE_INFINITY;
    for (double target : Frontier.TARGETS) {
      PolicyResult result = simulator.run(new TargetTrackingPolicy(target * mu, 1, 80)).result();
      double least = floor.costRatioAt(result.unservedPct());
      assertTrue(least <= result.costRatio(), target + ": floor " + least + " above "
          + result.costRatio());
      assertTrue(least <= previous + 1e-12, "the floor rises with the unserved demand allowed");
      previous = least;
    }
  }
}
