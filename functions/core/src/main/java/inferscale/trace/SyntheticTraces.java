package inferscale.trace;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import java.util.function.LongFunction;

/**
 * Seeded synthetic traffic of the kinds the forecaster, the frontier and the unserved budget must
 * hold on, none of them the traces the code was tuned on: 14 days each, a Monday start. Generated
 * by code, so the repository keeps a few lines per family rather than megabytes of CSV, and every
 * figure made on them can be repeated ({@code --trace synthetic:NAME[:SEED]} in the CLI).
 */
public final class SyntheticTraces {
  /** The seed the published figures use. */
  public static final long DEFAULT_SEED = 2026;
  static final int DAY = 24 * 60;
  static final int DAYS = 14;
  /** Day on which the regime families change, leaving a week before and four days after. */
  static final int REGIME_CHANGE_DAY = 10;
  private static final Instant MONDAY = Instant.parse("2026-01-05T00:00:00Z");
  private static final Map<String, LongFunction<Trace>> FAMILIES = new LinkedHashMap<>();

  static {
    FAMILIES.put("llm-fleet-steps", SyntheticTraces::llmFleetSteps);
    FAMILIES.put("llm-fleet-drift", SyntheticTraces::llmFleetDrift);
    FAMILIES.put("bursty-web", SyntheticTraces::burstyWeb);
    FAMILIES.put("multimodal", SyntheticTraces::multimodal);
    FAMILIES.put("new-client", SyntheticTraces::newClient);
    FAMILIES.put("holiday", SyntheticTraces::holiday);
    FAMILIES.put("growth", SyntheticTraces::growth);
  }

  private SyntheticTraces() {}

  /** Names of the families, in the order {@link #all} gives them. */
  public static List<String> names() {
    return List.copyOf(FAMILIES.keySet());
  }

  /**
   * The family {@code name} generated from {@code seed}.
   *
   * @throws IllegalArgumentException naming the families when there is none of that name
   */
  public static Trace generate(String name, long seed) {
    LongFunction<Trace> family = FAMILIES.get(name);
    if (family == null) {
      throw new IllegalArgumentException(
          "no synthetic family '" + name + "'; the families are " + String.join(", ", names()));
    }
    return family.apply(seed);
  }

  /**
   * Every family generated from {@code seed}, as {@code --trace synthetic:NAME:SEED} generates
   * each.
   */
  public static List<Trace> all(long seed) {
    return names().stream().map(name -> generate(name, seed)).toList();
  }

  /**
   * LLM fleet traffic: 40 clients, each at a lognormal rate held for 10-minute windows, a weak
   * daily cycle (±15 %), a client now and then changing its rate for good by 1.5-3× up or down,
   * and about every four days the whole fleet's rate stepping 1.5-3× up or back down (a large
   * client arriving or leaving); 10⁴-10⁵ requests a minute in all, Poisson within a window.
   */
  public static Trace llmFleetSteps(long seed) {
    Random random = new Random(seed);
    int clients = 40;
    double[] rate = new double[clients];
    for (int c = 0; c < clients; c++) {
      rate[c] = 600 * Math.exp(0.9 * random.nextGaussian());
    }
    double[] requests = new double[DAYS * DAY];
    double windowRate = 0;
    double fleet = 1;
    for (int m = 0; m < requests.length; m++) {
      if (m % 10 == 0) {
        if (random.nextDouble() < 1.0 / (4 * DAY / 10.0)) {
          fleet = fleet > 1 ? 1 : 1.5 + 1.5 * random.nextDouble();
        }
        windowRate = 0;
        for (int c = 0; c < clients; c++) {
          if (random.nextDouble() < 1.0 / (3 * DAY / 10.0)) {
            double factor = 1.5 + 1.5 * random.nextDouble();
            rate[c] *= random.nextBoolean() ? factor : 1 / factor;
            rate[c] = Math.min(20_000, Math.max(20, rate[c]));
          }
          // Each client's own 10-minute rate wanders ±20 % around its level.
          windowRate += rate[c] * Math.exp(0.2 * random.nextGaussian());
        }
        windowRate *= fleet * (1 + 0.15 * Math.sin(2 * Math.PI * (m % DAY) / DAY - Math.PI / 2));
      }
      requests[m] = count(windowRate, random);
    }
    return new Trace("synthetic llm-fleet-steps seed " + seed, MONDAY, requests, null, null);
  }

  /**
   * LLM fleet traffic that drifts rather than reverts: 12 clients whose rates take a lognormal
   * random-walk step every 10-minute window (pulled back to their own level over about a day) and
   * jitter ±15 % around it from window to window,
   * a weak daily cycle (±10 %) and a client's rate stepping 1.5-3× for good now and then; about
   * 3·10⁴ requests a minute, Poisson within a window. Its minute a day earlier says little about
   * it (lag-one-day autocorrelation well below the daily-cycle families'), and its last value
   * says more about the next 10 minutes than about the next hour.
   */
  public static Trace llmFleetDrift(long seed) {
    Random random = new Random(seed);
    int clients = 12;
    double[] level = new double[clients];
    double[] drift = new double[clients];
    for (int c = 0; c < clients; c++) {
      level[c] = Math.log(2500 * Math.exp(0.7 * random.nextGaussian()));
    }
    double[] requests = new double[DAYS * DAY];
    double windowRate = 0;
    for (int m = 0; m < requests.length; m++) {
      if (m % 10 == 0) {
        windowRate = 0;
        for (int c = 0; c < clients; c++) {
          if (random.nextDouble() < 1.0 / (5 * DAY / 10.0)) {
            level[c] += (random.nextBoolean() ? 1 : -1) * Math.log(1.5 + 1.5 * random.nextDouble());
          }
          drift[c] = 0.985 * drift[c] + 0.08 * random.nextGaussian();
          windowRate += Math.exp(level[c] + drift[c] + 0.15 * random.nextGaussian());
        }
        windowRate *= 1 + 0.1 * Math.sin(2 * Math.PI * (m % DAY) / DAY - Math.PI / 2);
      }
      requests[m] = count(windowRate, random);
    }
    return new Trace("synthetic llm-fleet-drift seed " + seed, MONDAY, requests, null, null);
  }

  /**
   * Web-like traffic: a strong daily and weekly cycle (50-1,000 requests a minute), overdispersed
   * minute to minute (gamma-mixed Poisson), and flash bursts of 1.5-4× lasting 10-40 minutes about
   * twice a day.
   */
  public static Trace burstyWeb(long seed) {
    Random random = new Random(seed);
    double[] requests = new double[DAYS * DAY];
    Episodes bursts = new Episodes(2, 10, 40, 1.5, 4);
    for (int m = 0; m < requests.length; m++) {
      double daily = 525 - 475 * Math.cos(2 * Math.PI * ((m % DAY) - 2 * 60) / DAY);
      boolean weekend = (m / DAY) % 7 >= 5;
      double level = weekend ? 0.6 * daily : daily;
      double mean = level * bursts.factor(random) * gamma(8, random) / 8;
      requests[m] = count(mean, random);
    }
    return new Trace("synthetic bursty-web seed " + seed, MONDAY, requests, null, null);
  }

  /**
   * Multimodal traffic: chat requests on a daytime cycle plus image requests on an evening cycle
   * that arrive in batch jobs of 10-60 minutes at 2-5× their usual rate; 200-3,000 a minute.
   */
  public static Trace multimodal(long seed) {
    Random random = new Random(seed);
    double[] requests = new double[DAYS * DAY];
    Episodes jobs = new Episodes(4, 10, 60, 2, 5);
    for (int m = 0; m < requests.length; m++) {
      double phase = 2 * Math.PI * (m % DAY) / DAY;
      double chat = 1000 - 800 * Math.cos(phase - Math.PI / 6);
      double images = (400 - 300 * Math.cos(phase - Math.PI / 2)) * jobs.factor(random);
      double mean = chat * gamma(20, random) / 20 + images * gamma(4, random) / 4;
      requests[m] = count(mean, random);
    }
    return new Trace("synthetic multimodal seed " + seed, MONDAY, requests, null, null);
  }

  /**
   * A new large client arrives for good: the daily-cycle base ({@link #regimeBase}) doubles from
   * noon of day {@value #REGIME_CHANGE_DAY} on.
   */
  public static Trace newClient(long seed) {
    int change = REGIME_CHANGE_DAY * DAY + DAY / 2;
    return regime("new-client", seed, m -> m < change ? 1 : 2);
  }

  /** A holiday: day {@value #REGIME_CHANGE_DAY} (a Thursday) runs at 40 % of the base. */
  public static Trace holiday(long seed) {
    return regime("holiday", seed, m -> m / DAY == REGIME_CHANGE_DAY ? 0.4 : 1);
  }

  /** Growth of 3 % a day, compounding minute by minute over the whole trace. */
  public static Trace growth(long seed) {
    return regime("growth", seed, m -> Math.pow(1.03, m / (double) DAY));
  }

  private static Trace regime(String name, long seed, IntToDoubleFunction factor) {
    Random random = new Random(seed);
    double[] requests = new double[DAYS * DAY];
    for (int m = 0; m < requests.length; m++) {
      double mean = regimeBase(m) * factor.applyAsDouble(m) * gamma(50, random) / 50;
      requests[m] = count(mean, random);
    }
    return new Trace("synthetic " + name + " seed " + seed, MONDAY, requests, null, null);
  }

  /**
   * The regime families' usual traffic: a daily cycle of 300-3,000 requests a minute, weekends at
   * 70 %, slightly overdispersed.
   */
  private static double regimeBase(int minute) {
    double daily = 1650 - 1350 * Math.cos(2 * Math.PI * ((minute % DAY) - 3 * 60) / DAY);
    return (minute / DAY) % 7 >= 5 ? 0.7 * daily : daily;
  }

  /**
   * Episodes of raised demand (flash crowds, batch jobs) starting at random: about {@code perDay}
   * a day, each {@code shortest}-{@code longest} minutes long at {@code lowest}-{@code highest}
   * times the usual rate.
   */
  private static final class Episodes {
    private final double perDay;
    private final int shortest;
    private final int longest;
    private final double lowest;
    private final double highest;
    private int left;
    private double factor = 1;

    Episodes(double perDay, int shortest, int longest, double lowest, double highest) {
      this.perDay = perDay;
      this.shortest = shortest;
      this.longest = longest;
      this.lowest = lowest;
      this.highest = highest;
    }

    /** The factor on this minute's rate: 1 outside an episode. */
    double factor(Random random) {
      if (left == 0 && random.nextDouble() < perDay / DAY) {
        left = shortest + random.nextInt(longest - shortest + 1);
        factor = lowest + (highest - lowest) * random.nextDouble();
      }
      if (left == 0) {
        return 1;
      }
      left--;
      return factor;
    }
  }

  /** A whole count of requests around {@code mean}, Poisson-like (± its square root), ≥ 0. */
  private static double count(double mean, Random random) {
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
  }

  /** Gamma(shape, 1) by Marsaglia and Tsang (shape ≥ 1). */
  private static double gamma(double shape, Random random) {
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = random.nextGaussian();
      double v = Math.pow(1 + c * x, 3);
      if (v > 0 && Math.log(random.nextDouble()) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }
}
