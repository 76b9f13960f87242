package inferscale.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferscale.forecast.Forecast;
import inferscale.forecast.Forecaster;
import inferscale.trace.Trace;
import inferscale.trace.TraceCsv;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the built-in trace's targets would take. First, why no policy is asked to leave under
 * 0.1 % of it unserved at target tracking's cost. Each fleet below is sized, minute by minute, on
 * an estimate of the mean demand of the 31 minutes centred on that minute, times a headroom that
 * depends on the estimate's level: one headroom for each twentieth of the minutes, chosen on the
 * very minutes it is scored on as the cheapest mix that leaves 0.1 % unserved. That is more than
 * any controller can know; the fleets are also scored without cold start or billing, which only
 * make a real policy dearer. Sized on the exact future mean, such fleets just reach target
 * tracking's cost; a 10 % error in the mean already puts them above it, and the estimate a
 * controller has ten minutes ahead (metric delay plus cold start), the last half hour it has
 * seen, errs by 19 % on average over every minute (15 % at the top of each hour: the edges of
 * the outages, where it errs many times over, weigh on the first).
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

  /**
   * Why InferScale is not 20 % cheaper than target tracking at its 0.8 point (it saves 16.9 %).
   * Fleets are sized, minute by minute, on the mean demand of the 31 minutes centred on that
   * minute, known with an error that wanders as a forecast's does (lognormal, drifting over about
   * half an hour), times one headroom per twentieth of the demand levels, chosen on the other half
   * of the scored weeks (so what they are scored on did not choose it), and billed as every policy
   * is (from the ask, serving a cold start later). Knowing that mean exactly, such fleets save
   * 21.8 % at target tracking's unserved demand there; knowing it to within half the forecast's
   * error, 19.2 %; as well as the forecast knows it ten minutes ahead (metric delay plus cold
   * start), 14.5 %: less than InferScale. The forecast errs there by 15 % (at the top of each
   * hour), as the last half hour does: the 20 % takes knowing the next half hour all but exactly.
   */
  @Test
  void twentyPercentAtTheEightyPercentPointTakesKnowingTheNextHalfHour() {
    BacktestParameters parameters = BacktestParameters.defaults();
    Simulator simulator = new Simulator(trace, parameters, mu);
    PolicyResult tracking =
        simulator.run(new TargetTrackingPolicy(0.8 * mu, 1, 80)).result();
    double[] centredMean = new double[trace.length()];
    for (int t = 0; t < centredMean.length; t++) {
      centredMean[t] = meanDemand(t - HALF_WINDOW, t + HALF_WINDOW + 1);
    }
    double forecastError = forecastErrorTenMinutesAhead(centredMean, false);
    double trailingError = forecastErrorTenMinutesAhead(centredMean, true);
    double[] halfAsWell = wandering(centredMean, 0.1);
    double[] asWell = wandering(centredMean, 0.185);

    double exact = savingAt(tracking, centredMean, simulator);
    double halfTheError = savingAt(tracking, halfAsWell, simulator);
    double theForecastsError = savingAt(tracking, asWell, simulator);

    assertEquals(forecastError / 2, meanRelativeError(halfAsWell, centredMean), 0.01);
    assertEquals(forecastError, meanRelativeError(asWell, centredMean), 0.01);
    assertTrue(exact > 20, "knowing the mean exactly saves " + exact);
    assertTrue(halfTheError < 20, "half the forecast's error saves " + halfTheError);
    // InferScale's saving there is the README's, pinned: its sweep takes 40 s.
    assertTrue(theForecastsError < 16.9, "the forecast's error saves " + theForecastsError);
    // The figures the README quotes.
    assertEquals(0.153, forecastError, 0.005);
    assertEquals(0.153, trailingError, 0.005);
    assertEquals(21.8, exact, 0.3);
    assertEquals(19.2, halfTheError, 0.3);
    assertEquals(14.5, theForecastsError, 0.3);
  }

  /**
   * Mean of |estimate / centred mean − 1| ten minutes ahead, from every hour of the scored weeks:
   * the standard forecaster's expected rate, from the 28 days of data a controller has (up to 2
   * minutes old), or with {@code trailing} the mean of the last half hour it has seen.
   */
  private static double forecastErrorTenMinutesAhead(double[] centredMean, boolean trailing) {
    Forecaster forecaster = Forecaster.standard();
    double[] requests = IntStream.range(0, trace.length())
        .mapToDouble(m -> trace.isGap(m) ? Double.NaN : trace.requests(m)).toArray();
    double sum = 0;
    int origins = 0;
    for (int t = scoredFrom; t + LAG_MINUTES < trace.length(); t += 60) {
      int seen = t - 2;
      double actual = centredMean[seen + LAG_MINUTES];
      double lastHalfHour = meanDemand(seen - TRAILING_MINUTES + 1, seen + 1);
      if (!(actual > 0) || Double.isNaN(lastHalfHour)) {
        continue; // an outage: nothing to forecast from or to score against
      }
      double estimate = lastHalfHour;
      if (!trailing) {
        Forecast forecast = forecaster.forecast(Arrays.copyOfRange(requests,
            Math.max(0, seen + 1 - Forecaster.MAX_HISTORY_MINUTES), seen + 1), LAG_MINUTES);
        estimate = forecast.point()[LAG_MINUTES - 1];
      }
      sum += Math.abs(estimate / actual - 1);
      origins++;
    }
    return sum / origins;
  }

  /** {@code mean} times a lognormal error of log-deviation {@code sigma}, drifting over ~30 min. */
  private static double[] wandering(double[] mean, double sigma) {
    Random seeded = new Random(1);
    double persistence = Math.exp(-1.0 / 30);
    double error = seeded.nextGaussian();
    double[] estimate = new double[mean.length];
    for (int t = 0; t < mean.length; t++) {
      error = persistence * error
          + Math.sqrt(1 - persistence * persistence) * seeded.nextGaussian();
      estimate[t] = mean[t] * Math.exp(sigma * error);
    }
    return estimate;
  }

  /**
   * How much less than target tracking's {@code tracking} point fleets sized on {@code estimate}
   * cost at its unserved demand: each half of the scored weeks takes, per level of the estimate,
   * the headroom the other half found cheapest at a price per unserved request (the same on both),
   * and the prices swept trace the fleets' frontier, simulated as every policy is.
   */
  private static double savingAt(PolicyResult tracking, double[] estimate, Simulator simulator) {
    int middle = (scoredFrom + trace.length()) / 2;
    int[] minutes = scoredMinutes();
    double[] sortedEstimates = Arrays.stream(minutes).mapToDouble(t -> estimate[t]).sorted()
        .toArray();
    double[] headrooms = IntStream.rangeClosed(0, 220)
        .mapToDouble(i -> 0.6 + 0.02 * i).toArray();
    LevelTally[] halves = {new LevelTally(headrooms), new LevelTally(headrooms)};
    for (int t : minutes) {
      halves[t < middle ? 0 : 1].add(levelOf(estimate[t], sortedEstimates), estimate[t],
          trace.requests(t));
    }
    List<Frontier.Point> frontier = new ArrayList<>();
    for (double price = 0.05; price < 200; price *= 1.1) {
      double[][] headroom = new double[2][LEVELS];
      for (int half = 0; half < 2; half++) {
        for (int level = 0; level < LEVELS; level++) {
          headroom[half][level] = headrooms[halves[1 - half].cheapest(level, price)];
        }
      }
      double[] serving = new double[trace.length()];
      for (int t = 0; t < serving.length; t++) {
        serving[t] = fleet(estimate[t],
            headroom[t < middle ? 0 : 1][levelOf(estimate[t], sortedEstimates)]);
      }
      frontier.add(Frontier.Point.of(price, simulator.run(ScriptedPolicy.observed("sized",
          serving, BacktestParameters.defaults().timing().coldStartMinutes())).result()));
    }
    return Frontier.percentLess(
        Frontier.costOnFrontier(tracking.unservedPct(), frontier), tracking.costRatio());
  }

  /** Instances for an estimate times a headroom; one where nothing is known (an outage). */
  private static int fleet(double estimate, double headroom) {
    return Double.isNaN(estimate) ? 1
        : Math.max(1, (int) Math.ceil(estimate * headroom / mu));
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
    int[] minutes = scoredMinutes();
    double[] sortedEstimates = Arrays.stream(minutes).mapToDouble(t -> estimate[t]).sorted()
        .toArray();
    double[] headrooms = IntStream.rangeClosed(0, 205)
        .mapToDouble(i -> 0.9 + 0.02 * i).toArray();
    LevelTally tally = new LevelTally(headrooms);
    double needed = 0;
    double demand = 0;
    for (int t : minutes) {
      double d = trace.requests(t);
      needed += Math.max(1, Math.ceil(d / mu));
      demand += d;
      tally.add(levelOf(estimate[t], sortedEstimates), estimate[t], d);
    }
    double cheapest = Double.POSITIVE_INFINITY;
    for (double price = 1e-4; price < 1e5; price *= 1.01) {
      double totalBilled = 0;
      double totalUnserved = 0;
      for (int level = 0; level < LEVELS; level++) {
        int best = tally.cheapest(level, price);
        totalBilled += tally.billed[level][best];
        totalUnserved += tally.unserved[level][best];
      }
      if (100 * totalUnserved / demand <= UNSERVED_PERCENT) {
        cheapest = Math.min(cheapest, totalBilled / needed);
      }
    }
    return cheapest;
  }

  /**
   * Billed instance-minutes and unserved requests of fleets sized on an estimate at each headroom,
   * by level of the estimate, scored without cold start or billing.
   */
  private static final class LevelTally {
    private final double[] headrooms;
    final double[][] billed;
    final double[][] unserved;

    LevelTally(double[] headrooms) {
      this.headrooms = headrooms;
      billed = new double[LEVELS][headrooms.length];
      unserved = new double[LEVELS][headrooms.length];
    }

    void add(int level, double estimate, double demand) {
      for (int h = 0; h < headrooms.length; h++) {
        int fleet = fleet(estimate, headrooms[h]);
        billed[level][h] += fleet;
        unserved[level][h] += Math.max(0, demand - fleet * mu);
      }
    }

    /** The headroom (its index) minimising billed + price × unserved at a level. */
    int cheapest(int level, double price) {
      int best = 0;
      for (int h = 1; h < headrooms.length; h++) {
        if (billed[level][h] + price * unserved[level][h]
            < billed[level][best] + price * unserved[level][best]) {
          best = h;
        }
      }
      return best;
    }
  }

  /** The scored minutes with data. */
  private static int[] scoredMinutes() {
    return IntStream.range(scoredFrom, trace.length()).filter(t -> !trace.isGap(t)).toArray();
  }

  /** Which twentieth of the scored minutes' estimates this one falls in. */
  private static int levelOf(double estimate, double[] sortedEstimates) {
    int below = Arrays.binarySearch(sortedEstimates, estimate);
    int rank = below >= 0 ? below : -below - 1;
    return Math.min(LEVELS - 1, rank * LEVELS / sortedEstimates.length);
  }
}
