package inferscale.benchmarks;

import inferscale.backtest.LeastCostFrontier;
import inferscale.trace.SyntheticTraces;
import inferscale.trace.SyntheticTraces.EpisodicTrace;
import inferscale.trace.SyntheticTraces.Episodes;
import inferscale.trace.SyntheticTraces.LlmFleet;
import inferscale.trace.SyntheticTraces.LlmFleetSteps;
import inferscale.trace.Trace;
import java.util.Arrays;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * The floor under every frontier for policies that know only what a policy can know, on the
 * synthetic families whose generator says what that is. An instance asked for at minute t serves
 * from t + cold start, so the instances serving a minute were chosen at least a cold start before
 * it: whatever the traffic did in the last cold start is unknown to them. The fleet below knows
 * everything else, exactly (the usual rate, an episode's size and end once it has shown, every
 * client's level), so it is still more than any controller knows; it pays for the rest as the
 * expected shortfall over what it cannot know. Its cost at an unserved demand is a floor on the
 * expected cost of every policy there (an expectation: one seed's realisation scatters around
 * it). The expectations are Monte Carlo estimates, stratified where rare events (a burst, a
 * fleet step) decide them.
 */
final class InformedFloor {
  /** Draws of a minute's noise, per stratum. */
  private static final int NOISE_DRAWS = 400;
  /** Draws of a window's rate, per window: enough for a few dozen fleet steps among them. */
  private static final int WINDOW_DRAWS = 20_000;
  /** Strata of a hidden episode's factor: its quantiles' midpoints. */
  private static final int FACTOR_STRATA = 16;
  /**
   * Every minute draws from the same stream (common random numbers: minutes differ by what is
   * known, not by luck). One stream, not a seed per draw: neighbouring seeds of {@link Random}
   * give correlated first values.
   */
  private static final long DRAWS_SEED = 20_260_105L;

  private InformedFloor() {}

  /**
   * bursty-web or multimodal: the usual rate (its cycles) known, an episode (a
   * burst, a batch job) known with its factor and length from a cold start after it began; the
   * minute's noise never known.
   */
  static LeastCostFrontier episodic(EpisodicTrace state, double mu, int coldStart,
      int scoredFrom) {
    // Chance that an episode began in the last cold start, with none showing yet.
    double hidden = 1 - Math.pow(1 - state.episodes().startChance(), coldStart);
    return floor(state.trace(), mu, coldStart, scoredFrom, minute -> {
      int began = state.episodeStart()[minute];
      Random random = new Random(DRAWS_SEED);
      if (began >= 0 && minute - began >= coldStart) {
        Weighted draws = new Weighted();
        draws.add(noise(state, minute, state.factor()[minute], random), 1);
        return draws;
      }
      return quietOrHidden(state, minute, hidden, random);
    });
  }

  /**
   * An episodic family as a policy watching the endpoint knows it: as {@link #episodic}, but an
   * episode seen only once its first minute's metrics are published ({@code metricDelay} later),
   * and its end unknown until it comes: an episode showing then is still on with the chance that
   * its length (uniform over the kind's) reaches the minute, given how long it had lasted. An
   * episode that has ended is taken to leave the usual rate, though another may begin at once:
   * that only lowers the floor, which stays a floor.
   */
  static LeastCostFrontier episodicWithoutEnds(EpisodicTrace state, double mu, int coldStart,
      int metricDelay, int scoredFrom) {
    Episodes.Kind episodes = state.episodes();
    int lag = coldStart + metricDelay;
    // Within a lag no episode can both begin and end unseen, and every scored minute has a past.
    if (lag > episodes.shortest() || lag > scoredFrom) {
      throw new IllegalArgumentException("a lag of " + lag + " minutes must not exceed the"
          + " shortest episode (" + episodes.shortest() + ") or the first scored minute");
    }
    double hidden = 1 - Math.pow(1 - episodes.startChance(), lag);
    return floor(state.trace(), mu, coldStart, scoredFrom, minute -> {
      int seen = minute - lag;
      int began = state.episodeStart()[seen];
      Random random = new Random(DRAWS_SEED);
      if (began < 0) {
        return quietOrHidden(state, minute, hidden, random);
      }
      double on = stillOnChance(episodes, seen - began + 1, lag);
      Weighted draws = new Weighted();
      draws.add(noise(state, minute, state.factor()[seen], random), on);
      draws.add(noise(state, minute, 1, random), 1 - on);
      return draws;
    });
  }

  /** No episode showing: the usual rate, or with chance {@code hidden} an episode begun unseen. */
  private static Weighted quietOrHidden(EpisodicTrace state, int minute, double hidden,
      Random random) {
    Weighted draws = new Weighted();
    draws.add(noise(state, minute, 1, random), 1 - hidden);
    for (int i = 0; i < FACTOR_STRATA; i++) {
      double factor = state.episodes().factorAt((i + 0.5) / FACTOR_STRATA);
      draws.add(noise(state, minute, factor, random), hidden / FACTOR_STRATA);
    }
    return draws;
  }

  /**
   * The chance that an episode on for {@code onFor} minutes is still on {@code later} minutes
   * on, its length (whole minutes, equally likely from the kind's shortest to its longest) being
   * at least {@code onFor}. An episode lasting L minutes is on in its first to its L-th.
   */
  static double stillOnChance(Episodes.Kind kind, int onFor, int later) {
    return (double) lengthsAtLeast(kind, onFor + later) / lengthsAtLeast(kind, onFor);
  }

  private static int lengthsAtLeast(Episodes.Kind kind, int minutes) {
    return Math.max(0, kind.longest() - Math.max(kind.shortest(), minutes) + 1);
  }

  /** Draws of {@code minute}'s requests with an episode factor of {@code factor}. */
  private static double[] noise(EpisodicTrace state, int minute, double factor, Random random) {
    double[] requests = new double[NOISE_DRAWS];
    for (int k = 0; k < NOISE_DRAWS; k++) {
      requests[k] = state.requests().draw(minute, factor, random);
    }
    return requests;
  }

  /**
   * llm-fleet-steps: every client's level and the fleet's factor known as they stood before each
   * 10-minute window; the window's own wander and any step at its start known only a cold start
   * into it, the minute's Poisson noise never.
   */
  static LeastCostFrontier llmFleetSteps(LlmFleetSteps state, double mu, int coldStart,
      int scoredFrom) {
    return llmFleetStepsWatched(state, mu, coldStart, 0, scoredFrom);
  }

  /**
   * llm-fleet-steps as {@link #llmFleetSteps}, but as a policy watching the endpoint's per-minute
   * metrics sees the windows: a minute's capacity, asked for a cold start before it, knows its
   * window's rate only from minute {@code coldStart + metricDelay} of the window on (with an
   * 8-minute cold start and a 2-minute delay, never). Every client's level and the fleet's factor
   * before the window stay known, which the endpoint's total does not tell: it is still a floor.
   */
  static LeastCostFrontier llmFleetStepsWatched(LlmFleetSteps state, double mu, int coldStart,
      int metricDelay, int scoredFrom) {
    int lag = coldStart + metricDelay;
    // Past a window a policy would not have seen the window before it either: the floor would
    // know more than it, and be looser than it need be.
    if (lag > LlmFleet.WINDOW) {
      throw new IllegalArgumentException("a lag of " + lag + " minutes must not exceed the "
          + LlmFleet.WINDOW + "-minute window");
    }
    int windows = state.windowRate().length;
    Weighted[] unknownWindow = new Weighted[windows];
    IntStream.range(scoredFrom / LlmFleet.WINDOW, windows).parallel().forEach(w -> {
      Random random = new Random(DRAWS_SEED);
      double[] requests = new double[WINDOW_DRAWS];
      for (int k = 0; k < WINDOW_DRAWS; k++) {
        double rate = state.beforeWindow().get(w).copy().nextWindow(w * LlmFleet.WINDOW, random);
        requests[k] = SyntheticTraces.requestsAround(rate, random);
      }
      unknownWindow[w] = new Weighted();
      unknownWindow[w].add(requests, 1);
    });
    return floor(state.trace(), mu, coldStart, scoredFrom, minute -> {
      int window = minute / LlmFleet.WINDOW;
      if (minute % LlmFleet.WINDOW < lag) {
        return unknownWindow[window];
      }
      Random random = new Random(DRAWS_SEED);
      double[] requests = new double[NOISE_DRAWS];
      for (int k = 0; k < NOISE_DRAWS; k++) {
        requests[k] = SyntheticTraces.requestsAround(state.windowRate()[window], random);
      }
      Weighted draws = new Weighted();
      draws.add(requests, 1);
      return draws;
    });
  }

  /**
   * The floor for a model drawing what each scored minute may bring: its expected shortfall with
   * each instance count, tabled once for every price the frontier tries.
   */
  private static LeastCostFrontier floor(Trace trace, double mu, int coldStart, int scoredFrom,
      IntFunction<Weighted> draws) {
    int minutes = trace.length() - scoredFrom;
    double[][] shortfall = new double[minutes][];
    IntStream.range(0, minutes).parallel()
        .forEach(i -> shortfall[i] = draws.apply(scoredFrom + i).shortfalls(mu));
    int most = Arrays.stream(shortfall).mapToInt(row -> row.length - 1).max().orElse(0);
    // One instance at least, as every policy the floor bounds keeps.
    return LeastCostFrontier.of(trace::isGap, trace.length(), scoredFrom, mu, coldStart, 1, most,
        (minute, instances) -> {
          double[] row = shortfall[minute - scoredFrom];
          return instances < row.length ? row[instances] : 0;
        }, trace::requests);
  }

  /** Draws of a minute's requests in strata of known weight. */
  private static final class Weighted {
    private double[] values = new double[0];
    private double[] weights = new double[0];
    private double[] row;

    /** A stratum of equally likely draws, {@code weight} in all. */
    void add(double[] draws, double weight) {
      int from = values.length;
      values = Arrays.copyOf(values, from + draws.length);
      weights = Arrays.copyOf(weights, from + draws.length);
      System.arraycopy(draws, 0, values, from, draws.length);
      Arrays.fill(weights, from, weights.length, weight / draws.length);
    }

    /**
     * Expected requests beyond c instances' capacity, for c from 0 to the largest draw's; tabled
     * once, as minutes of one window share their draws.
     */
    synchronized double[] shortfalls(double mu) {
      if (row == null) {
        row = table(mu);
      }
      return row;
    }

    private double[] table(double mu) {
      double peak = Arrays.stream(values).max().orElse(0);
      double[] table = new double[(int) Math.ceil(peak / mu) + 1];
      for (int k = 0; k < values.length; k++) {
        for (int c = 0; c < table.length && values[k] > c * mu; c++) {
          table[c] += weights[k] * (values[k] - c * mu);
        }
      }
      return table;
    }
  }
}
