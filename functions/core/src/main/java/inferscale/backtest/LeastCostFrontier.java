package inferscale.backtest;

import inferscale.trace.Trace;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;

/**
 * The least any policy can cost at each level of unserved demand, given what it may know. A fleet
 * is billed as the simulator bills it: every instance serving a minute, plus the cold start of
 * every instance added (billed from the ask, serving from ask + cold start). For a price on each
 * request left unserved, a dynamic programme over the instance count finds the fleet that
 * minimises billed instance-minutes plus the price of its shortfall; by weak duality, {@code
 * billed + price × (shortfall − U)} at any price is a lower bound on the cost of leaving at most
 * U unserved, and the bound is the best of these over a ladder of prices.
 *
 * <p>With the trace's own demand ({@link #clairvoyant}) the fleet knows every minute, which no
 * policy does: its cost is the floor under every frontier. Given instead the shortfall a policy
 * can expect from what it knows (a benchmark's model of the traffic), the bound is the floor for
 * every policy that knows no more.
 */
public final class LeastCostFrontier {
  /** Prices per unserved request, in instance-minutes times mu: 10⁻² to 10⁷, 64 steps. */
  private static final double LOWEST_PRICE = 1e-2;
  private static final double HIGHEST_PRICE = 1e7;
  private static final int PRICES = 64;

  /** Requests left unserved, expected, in a minute with a number of instances serving. */
  @FunctionalInterface
  public interface Shortfall {
    double requests(int minute, int instances);
  }

  /**
   * The fleet cheapest at one price.
   *
   * @param billedMinutes instance-minutes billed over the scored minutes
   * @param unserved requests left unserved over them
   */
  record Solution(double price, double billedMinutes, double unserved) {}

  private final List<Solution> solutions;
  private final double neededMinutes;
  private final double demand;

  private LeastCostFrontier(List<Solution> solutions, double neededMinutes, double demand) {
    this.solutions = solutions;
    this.neededMinutes = neededMinutes;
    this.demand = demand;
  }

  /**
   * The floor with every minute's demand known: the clairvoyant's frontier.
   *
   * @param fewestInstances the fewest instances the policies compared may keep (0 where one may
   *     scale to zero): a fleet below it is no policy's
   */
  public static LeastCostFrontier clairvoyant(Trace trace, double mu, int coldStartMinutes,
      int scoredFrom, int fewestInstances) {
    double peak = IntStream.range(scoredFrom, trace.length()).filter(m -> !trace.isGap(m))
        .mapToDouble(trace::requests).max().orElse(0);
    return of(trace::isGap, trace.length(), scoredFrom, mu, coldStartMinutes, fewestInstances,
        (int) Math.ceil(peak / mu),
        (minute, instances) -> Math.max(0, trace.requests(minute) - instances * mu),
        trace::requests);
  }

  /**
   * The floor for what the shortfall model knows.
   *
   * @param isGap minutes without data: neither billed nor scored, as in the simulator
   * @param fewestInstances the fewest instances a fleet keeps, every minute
   * @param mostInstances instances beyond which no minute's shortfall falls
   * @param shortfall expected shortfall of each scored minute
   * @param demand each minute's demand, for the cost ratio's denominator and the unserved share
   */
  public static LeastCostFrontier of(IntPredicate isGap, int length, int scoredFrom, double mu,
      int coldStartMinutes, int fewestInstances, int mostInstances, Shortfall shortfall,
      IntToDoubleFunction demand) {
    double needed = 0;
    double total = 0;
    for (int m = scoredFrom; m < length; m++) {
      if (!isGap.test(m)) {
        double d = demand.applyAsDouble(m);
        needed += Math.max(1, Math.ceil(d / mu));
        total += d;
      }
    }
    double ratio = Math.pow(HIGHEST_PRICE / LOWEST_PRICE, 1.0 / (PRICES - 1));
    List<Solution> solutions = IntStream.range(0, PRICES).parallel()
        .mapToObj(i -> cheapest(LOWEST_PRICE * Math.pow(ratio, i) / mu, isGap, length,
            scoredFrom, coldStartMinutes, shortfall, fewestInstances,
            Math.max(fewestInstances, mostInstances)))
        .toList();
    return new LeastCostFrontier(solutions, needed, total);
  }

  /**
   * The least cost ratio at which at most {@code unservedPct} of the demand goes unserved: no
   * fleet knowing no more than the model costs less.
   */
  public double costRatioAt(double unservedPct) {
    double best = 0;
    for (Solution s : solutions) {
      best = Math.max(best, dual(s) - pricePerPoint(s) * unservedPct);
    }
    return best;
  }

  /**
   * The least mean cost ratio over the floors' traces (seeds of one kind) at which their mean
   * unserved share is at most {@code meanUnservedPct}: no policy knowing no more than the models
   * has a lower mean there. The mean of each floor's own {@link #costRatioAt} is no such bound, as
   * a policy may leave more unserved on one trace and less on another: every floor's dual is
   * taken at one price per unserved percentage point, each at its dearest price not above it (a
   * lower price bounds a fleet's cost with a smaller deduction, as unserved is never negative).
   */
  public static double meanCostRatioAt(List<LeastCostFrontier> floors, double meanUnservedPct) {
    if (floors.isEmpty()) {
      throw new IllegalArgumentException("no floors to bound the mean cost over");
    }
    double best = 0;
    for (LeastCostFrontier candidate : floors) {
      for (Solution at : candidate.solutions) {
        double price = candidate.pricePerPoint(at);
        double mean = 0;
        for (LeastCostFrontier floor : floors) {
          double dual = 0;
          for (Solution s : floor.solutions) {
            if (floor.pricePerPoint(s) <= price) {
              dual = Math.max(dual, floor.dual(s));
            }
          }
          mean += dual / floors.size();
        }
        best = Math.max(best, mean - price * meanUnservedPct);
      }
    }
    return best;
  }

  /**
   * A solution's cost ratio plus its unserved demand at its price: no fleet's cost plus its own
   * unserved at that price is lower (weak duality), so less the price of what is allowed, a bound.
   */
  private double dual(Solution s) {
    return (s.billedMinutes() + s.price() * s.unserved()) / neededMinutes;
  }

  /** A solution's price in cost ratio per percentage point of the demand left unserved. */
  private double pricePerPoint(Solution s) {
    return s.price() * demand / 100 / neededMinutes;
  }

  /** The fleets found, as frontier points (knob: the price per unserved request × mu). */
  public List<Frontier.Point> points(double mu) {
    return solutions.stream().map(s -> new Frontier.Point(s.price() * mu,
        s.billedMinutes() / neededMinutes, 100 * s.unserved() / demand,
        s.billedMinutes() / 60)).toList();
  }

  /**
   * The fleet minimising billed minutes + price × shortfall. Per minute and instance count, the
   * cheapest way to arrive there: from any larger count (removal is free) or from a smaller one,
   * paying the cold start of each instance added; both minima are running minima, so a minute
   * costs O(instances). Counts below {@code fewest} are never reached.
   */
  private static Solution cheapest(double price, IntPredicate isGap,
      int length, int scoredFrom, int coldStart, Shortfall shortfall, int fewest, int most) {
    int states = most + 1;
    double[] cost = new double[states];
    double[] billed = new double[states];
    double[] unserved = new double[states];
    double[] nextCost = new double[states];
    double[] nextBilled = new double[states];
    double[] nextUnserved = new double[states];
    int[] fromAbove = new int[states];
    boolean first = true;
    for (int m = scoredFrom; m < length; m++) {
      boolean gap = isGap.test(m);
      if (!first) {
        fromAbove[most] = most;
        for (int c = most - 1; c >= 0; c--) {
          fromAbove[c] = cost[c] <= cost[fromAbove[c + 1]] ? c : fromAbove[c + 1];
        }
      }
      int below = -1; // the smaller count minimising cost - coldStart × count
      for (int c = 0; c < states; c++) {
        if (c < fewest) {
          nextCost[c] = Double.POSITIVE_INFINITY;
          continue;
        }
        double lack = gap ? 0 : shortfall.requests(m, c);
        double minuteCost = (gap ? 0 : c) + price * lack;
        int from = c;
        double added = 0;
        if (!first) {
          from = fromAbove[c];
          if (below >= 0 && cost[below] + coldStart * (c - below) < cost[from]) {
            from = below;
            added = c - below;
          }
        }
        nextCost[c] = (first ? 0 : cost[from] + coldStart * added) + minuteCost;
        nextBilled[c] = (first ? 0 : billed[from]) + coldStart * added + (gap ? 0 : c);
        nextUnserved[c] = (first ? 0 : unserved[from]) + lack;
        if (!first && (below < 0 || cost[c] - coldStart * c < cost[below] - coldStart * below)) {
          below = c;
        }
      }
      double[] swap = cost;
      cost = nextCost;
      nextCost = swap;
      swap = billed;
      billed = nextBilled;
      nextBilled = swap;
      swap = unserved;
      unserved = nextUnserved;
      nextUnserved = swap;
      first = false;
    }
    int best = fewest;
    for (int c = fewest + 1; c < states; c++) {
      if (cost[c] < cost[best]) {
        best = c;
      }
    }
    return new Solution(price, billed[best], unserved[best]);
  }
}
