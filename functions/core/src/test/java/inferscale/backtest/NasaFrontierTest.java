package inferscale.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferscale.trace.Trace;
import inferscale.trace.TraceCsv;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Why no policy is asked to leave under 0.1 % of the built-in trace unserved at target tracking's
 * cost: even fleets that know the future are short of it. Each fleet below is sized, minute by
 * minute, on the exact mean demand of the 31 minutes centred on that minute (15 of them still to
 * come); what no controller can know ten minutes ahead is the single minute's burst around that
 * mean. The fleets are scored as the backtest scores policies (cold start and billing aside,
 * which only make a real policy dearer).
 */
class NasaFrontierTest {
  private static final Path TRACE =
      Path.of("..", "..", "cli", "src", "main", "resources", "traces",
          "nasa_http_1995_per_minute.csv");
  private static final int HALF_WINDOW = 15;
  /** The past minutes, ending at the metric delay plus cold start, whose spread sets headroom. */
  private static final int SPREAD_MINUTES = 60;
  private static final int LAG_MINUTES = 10;

  private static Trace trace;
  private static double mu;
  private static int scoredFrom;
  private static double[] futureMean;
  private static double[] pastSpread;
  private static double targetTrackingCost;

  @BeforeAll
  static void load() throws Exception {
    try (Reader reader = Files.newBufferedReader(TRACE)) {
      trace = TraceCsv.parse(TRACE.toString(), reader);
    }
    BacktestParameters parameters = BacktestParameters.defaults();
    mu = Backtest.muPerInstance(trace, parameters.peakInstances());
    scoredFrom = BacktestParameters.scoredFrom(trace.length());
    targetTrackingCost = new Simulator(trace, parameters, mu)
        .run(new TargetTrackingPolicy(parameters.targetUtilization() * mu, 1, 80))
        .result().costRatio();
    int n = trace.length();
    futureMean = new double[n];
    for (int t = 0; t < n; t++) {
      futureMean[t] = meanDemand(t - HALF_WINDOW, t + HALF_WINDOW + 1, t);
    }
    pastSpread = new double[n];
    for (int t = 0; t < n; t++) {
      double squares = 0;
      double level = 0;
      int known = 0;
      for (int m = Math.max(0, t - LAG_MINUTES - SPREAD_MINUTES); m < t - LAG_MINUTES; m++) {
        if (!trace.isGap(m)) {
          double deviation = trace.requests(m) - futureMean[m];
          squares += deviation * deviation;
          level += futureMean[m];
          known++;
        }
      }
      pastSpread[t] = known == 0 ? 0 : Math.sqrt(squares / known) / Math.max(1, level / known);
    }
  }

  private static double meanDemand(int from, int to, int fallbackMinute) {
    double sum = 0;
    int known = 0;
    for (int m = Math.max(0, from); m < Math.min(trace.length(), to); m++) {
      if (!trace.isGap(m)) {
        sum += trace.requests(m);
        known++;
      }
    }
    return known == 0 ? (trace.isGap(fallbackMinute) ? 0 : trace.requests(fallbackMinute))
        : sum / known;
  }

  /** {cost ratio, unserved %} of a fleet of ceil(mean × (1 + headroom) / mu) each minute. */
  private static double[] score(java.util.function.IntToDoubleFunction headroom) {
    double billed = 0;
    double needed = 0;
    double demand = 0;
    double unserved = 0;
    for (int t = scoredFrom; t < trace.length(); t++) {
      if (trace.isGap(t)) {
        continue;
      }
      double d = trace.requests(t);
      int fleet = Math.max(1, (int) Math.ceil(futureMean[t] * (1 + headroom.applyAsDouble(t)) / mu));
      billed += fleet;
      needed += Math.max(1, Math.ceil(d / mu));
      demand += d;
      unserved += Math.max(0, d - fleet * mu);
    }
    return new double[] {billed / needed, 100 * unserved / demand};
  }

  /** The lowest cost ratio at which a fleet of the family leaves at most 0.1 % unserved. */
  private static double cheapestAtATenthOfAPercent(
      double[] headrooms, java.util.function.DoubleFunction<java.util.function.IntToDoubleFunction>
          family) {
    double cheapest = Double.POSITIVE_INFINITY;
    for (double headroom : headrooms) {
      double[] scored = score(family.apply(headroom));
      if (scored[1] <= 0.1) {
        cheapest = Math.min(cheapest, scored[0]);
      }
    }
    return cheapest;
  }

  private static double[] grid(double to, double step) {
    return java.util.stream.IntStream.rangeClosed(0, (int) Math.round(to / step))
        .mapToDouble(i -> i * step).toArray();
  }

  @Test
  void atTargetTrackingsCostEvenTheFutureMeanLeavesMoreThanATenthOfAPercentUnserved() {
    double flat = cheapestAtATenthOfAPercent(grid(1.5, 0.01), headroom -> t -> headroom);
    double spread = cheapestAtATenthOfAPercent(grid(5, 0.02), z -> t -> z * pastSpread[t]);
    assertTrue(flat > targetTrackingCost, "flat headroom reaches 0.1 % at " + flat);
    assertTrue(spread > targetTrackingCost, "spread headroom reaches 0.1 % at " + spread);
    // The figures the README quotes.
    assertEquals(1.97, flat, 0.02);
    assertEquals(1.87, spread, 0.02);
  }
}
