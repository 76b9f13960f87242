package inferscale.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferscale.trace.Trace;
import inferscale.trace.TraceCsv;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Why no policy is asked to leave under 0.1 % of the built-in trace unserved at target tracking's
 * cost. Each fleet below is sized, minute by minute, on an estimate of the mean demand of the 31
 * minutes centred on that minute, times a headroom that depends on the estimate's level: one
 * headroom for each twentieth of the minutes, chosen on the very minutes it is scored on as the
 * cheapest mix that leaves 0.1 % unserved. That is more than any controller can know; the fleets
 * are also scored without cold start or billing, which only make a real policy dearer. Sized on
 * the exact future mean, such fleets just reach target tracking's cost; a 10 % error in the mean
 * already puts them above it, and the estimate a controller has ten minutes ahead (metric delay
 * plus cold start), the last half hour it has seen, errs by 19 % on average.
 */
class NasaFrontierTest {
  private static final Path TRACE =
      Path.of("..", "..", "cli", "src", "main", "resources", "traces",
          "nasa_http_1995_per_minute.csv");
  private static final int HALF_WINDOW = 15;
  private static final int LAG_MINUTES = 10;
  private static final int TRAILING_MINUTES = 30;
  private static final int LEVELS = 20;
  private static final double UNSERVED_PERCENT = 0.1;

  private static Trace trace;
  private static double mu;
  private static int scoredFrom;
  private static double targetTrackingCost;

  @BeforeAll
  static void load() throws Exception {
    try (Reader reader = Files.newBufferedReader(TRACE)) {
      trace = TraceCsv.parse(TRACE.toString(), reader);
    }
    BacktestParameters parameters = BacktestParameters.defaults();
    mu = Backtest.capacity(trace, parameters).requestsPerMinute();
    scoredFrom = BacktestParameters.scoredFrom(trace.length());
    targetTrackingCost = new Simulator(trace, parameters, mu)
        .run(new TargetTrackingPolicy(parameters.targetUtilization() * mu, 1, 80))
        .result().costRatio();
  }

  @Test
  void onlyTheExactFutureMeanReachesATenthOfAPercentAtTargetTrackingsCost() {
    double[] futureMean = new double[trace.length()];
    for (int t = 0; t < futureMean.length; t++) {
      futureMean[t] = meanDemand(t - HALF_WINDOW, t + HALF_WINDOW + 1);
    }
    Random seeded = new Random(1);
    double[] tenPercentOff = Arrays.stream(futureMean)
        .map(mean -> mean * Math.exp(0.1 * seeded.nextGaussian())).toArray();
    double[] trailingMean = new double[trace.length()];
    for (int t = 0; t < trailingMean.length; t++) {
      double seen = meanDemand(t - LAG_MINUTES - TRAILING_MINUTES + 1, t - LAG_MINUTES + 1);
      // Without data (an outage) a controller holds what it had.
      trailingMean[t] = Double.isNaN(seen) && t > 0 ? trailingMean[t - 1] : seen;
    }

    double exact = cheapestAtATenthOfAPercent(futureMean);
    double noisy = cheapestAtATenthOfAPercent(tenPercentOff);
    double seen = cheapestAtATenthOfAPercent(trailingMean);

    assertEquals(targetTrackingCost, exact, 0.03, "exact future mean");
    assertTrue(noisy > targetTrackingCost, "a 10 % error reaches 0.1 % at " + noisy);
    assertTrue(seen > noisy, "the last half hour reaches 0.1 % at " + seen);
    // The figures the README quotes.
    assertEquals(1.82, targetTrackingCost, 0.005);
    assertEquals(1.806, exact, 0.01);
    assertEquals(1.87, noisy, 0.02);
    assertEquals(2.13, seen, 0.03);
    assertEquals(0.19, meanRelativeError(trailingMean, futureMean), 0.01);
  }

  /** Mean of |estimate / actual − 1| over the scored minutes with demand. */
  private static double meanRelativeError(double[] estimate, double[] actual) {
    return IntStream.range(scoredFrom, trace.length())
        .filter(t -> !trace.isGap(t) && actual[t] > 0 && !Double.isNaN(estimate[t]))
        .mapToDouble(t -> Math.abs(estimate[t] / actual[t] - 1)).average().orElseThrow();
  }

  /** Mean demand over the known minutes of [from, to); NaN when none is known. */
  private static double meanDemand(int from, int to) {
    double sum = 0;
    int known = 0;
    for (int m = Math.max(0, from); m < Math.min(trace.length(), to); m++) {
      if (!trace.isGap(m)) {
        sum += trace.requests(m);
        known++;
      }
    }
    return known == 0 ? Double.NaN : sum / known;
  }

  /**
   * The lowest cost ratio found at which fleets of ceil(estimate × headroom of its level / mu)
   * leave at most 0.1 % of requests unserved. Minimising billed minutes under an unserved budget
   * is separable by level once the budget is priced (a Lagrange multiplier): each level takes the
   * headroom that minimises billed + price × unserved, and the price is swept in 1 % steps. Mixes
   * off the convex frontier are not found, so this is the family's minimum to within a step of it.
   */
  private static double cheapestAtATenthOfAPercent(double[] estimate) {
    int[] minutes = IntStream.range(scoredFrom, trace.length())
        .filter(t -> !trace.isGap(t)).toArray();
    double[] sortedEstimates = Arrays.stream(minutes).mapToDouble(t -> estimate[t]).sorted()
        .toArray();
    double[] headrooms = IntStream.rangeClosed(0, 205)
        .mapToDouble(i -> 0.9 + 0.02 * i).toArray();
    double[][] billed = new double[LEVELS][headrooms.length];
    double[][] unserved = new double[LEVELS][headrooms.length];
    double needed = 0;
    double demand = 0;
    for (int t : minutes) {
      double d = trace.requests(t);
      needed += Math.max(1, Math.ceil(d / mu));
      demand += d;
      int level = levelOf(estimate[t], sortedEstimates);
      for (int h = 0; h < headrooms.length; h++) {
        int fleet = Math.max(1, (int) Math.ceil(estimate[t] * headrooms[h] / mu));
        billed[level][h] += fleet;
        unserved[level][h] += Math.max(0, d - fleet * mu);
      }
    }
    double cheapest = Double.POSITIVE_INFINITY;
    for (double price = 1e-4; price < 1e5; price *= 1.01) {
      double totalBilled = 0;
      double totalUnserved = 0;
      for (int level = 0; level < LEVELS; level++) {
        int best = 0;
        for (int h = 1; h < headrooms.length; h++) {
          if (billed[level][h] + price * unserved[level][h]
              < billed[level][best] + price * unserved[level][best]) {
            best = h;
          }
        }
        totalBilled += billed[level][best];
        totalUnserved += unserved[level][best];
      }
      if (100 * totalUnserved / demand <= UNSERVED_PERCENT) {
        cheapest = Math.min(cheapest, totalBilled / needed);
      }
    }
    return cheapest;
  }

  /** Which twentieth of the scored minutes' estimates this one falls in. */
  private static int levelOf(double estimate, double[] sortedEstimates) {
    int below = Arrays.binarySearch(sortedEstimates, estimate);
    int rank = below >= 0 ? below : -below - 1;
    return Math.min(LEVELS - 1, rank * LEVELS / sortedEstimates.length);
  }
}
