package inferscale.trace;

import java.time.Instant;
import java.util.ArrayList;
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
    FAMILIES.put("office-hours", SyntheticTraces::officeHours);
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
    return llmFleetStepsState(seed).trace();
  }

  /**
   * An llm-fleet-steps trace with what generated it: the fleet as it stood before each 10-minute
   * window (what a policy could at best know before the window begins) and each window's rate.
   */
  public static LlmFleetSteps llmFleetStepsState(long seed) {
    Random random = new Random(seed);
    LlmFleet fleet = LlmFleet.opening(random);
    double[] requests = new double[DAYS * DAY];
    List<LlmFleet> before = new ArrayList<>();
    double[] windowRate = new double[requests.length / LlmFleet.WINDOW];
    for (int m = 0; m < requests.length; m++) {
      if (m % LlmFleet.WINDOW == 0) {
        before.add(fleet.copy());
        windowRate[m / LlmFleet.WINDOW] = fleet.nextWindow(m, random);
      }
      requests[m] = requestsAround(windowRate[m / LlmFleet.WINDOW], random);
    }
    return new LlmFleetSteps(
        new Trace("synthetic llm-fleet-steps seed " + seed, MONDAY, requests, null, null),
        before, windowRate);
  }

  /**
   * @param beforeWindow the fleet before each window
   * @param windowRate each window's mean requests a minute
   */
  public record LlmFleetSteps(Trace trace, List<LlmFleet> beforeWindow, double[] windowRate) {}

  /**
   * The clients of {@link #llmFleetSteps}: 40, each at a lognormal rate, and the whole fleet's
   * factor. Each window, a client now and then changes its rate for good by 1.5-3× up or down,
   * about every four days the fleet steps 1.5-3× up or back down, and each client's own rate for
   * the window wanders ±20 % around its level.
   */
  public static final class LlmFleet {
    /** Minutes a window's rate holds. */
    public static final int WINDOW = 10;
    private static final int CLIENTS = 40;
    private final double[] rate;
    private double fleet;

    private LlmFleet(double[] rate, double fleet) {
      this.rate = rate;
      this.fleet = fleet;
    }

    static LlmFleet opening(Random random) {
      double[] rate = new double[CLIENTS];
      for (int c = 0; c < CLIENTS; c++) {
        rate[c] = 600 * Math.exp(0.9 * random.nextGaussian());
      }
      return new LlmFleet(rate, 1);
    }

    public LlmFleet copy() {
      return new LlmFleet(rate.clone(), fleet);
    }

    /** Steps the clients into the window starting at {@code minute}; its mean requests a minute. */
    public double nextWindow(int minute, Random random) {
      if (random.nextDouble() < 1.0 / (4 * DAY / (double) WINDOW)) {
        fleet = fleet > 1 ? 1 : 1.5 + 1.5 * random.nextDouble();
      }
      double windowRate = 0;
      for (int c = 0; c < CLIENTS; c++) {
        if (random.nextDouble() < 1.0 / (3 * DAY / (double) WINDOW)) {
          double factor = 1.5 + 1.5 * random.nextDouble();
          rate[c] *= random.nextBoolean() ? factor : 1 / factor;
          rate[c] = Math.min(20_000, Math.max(20, rate[c]));
        }
        windowRate += rate[c] * Math.exp(0.2 * random.nextGaussian());
      }
      return windowRate
          * (fleet * (1 + 0.15 * Math.sin(2 * Math.PI * (minute % DAY) / DAY - Math.PI / 2)));
    }
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
      requests[m] = requestsAround(windowRate, random);
    }
    return new Trace("synthetic llm-fleet-drift seed " + seed, MONDAY, requests, null, null);
  }

  /**
   * Web-like traffic: a strong daily and weekly cycle (50-1,000 requests a minute), overdispersed
   * minute to minute (gamma-mixed Poisson), and flash bursts of 1.5-4× lasting 10-40 minutes about
   * twice a day.
   */
  public static Trace burstyWeb(long seed) {
    return burstyWebState(seed).trace();
  }

  /** The flash bursts of {@link #burstyWeb}. */
  public static final Episodes.Kind BURSTY_WEB_BURSTS = new Episodes.Kind(2, 10, 40, 1.5, 4);

  /**
   * A bursty-web trace with what generated it: each minute's burst factor on its usual mean (the
   * daily and weekly cycle), the minute the burst began, and the minute's requests drawn afresh.
   */
  public static EpisodicTrace burstyWebState(long seed) {
    Random random = new Random(seed);
    double[] requests = new double[DAYS * DAY];
    double[] usual = new double[requests.length];
    double[] burst = new double[requests.length];
    int[] burstStart = new int[requests.length];
    Episodes bursts = new Episodes(BURSTY_WEB_BURSTS);
    for (int m = 0; m < requests.length; m++) {
      double daily = 525 - 475 * Math.cos(2 * Math.PI * ((m % DAY) - 2 * 60) / DAY);
      boolean weekend = (m / DAY) % 7 >= 5;
      usual[m] = weekend ? 0.6 * daily : daily;
      burst[m] = bursts.factor(random);
      burstStart[m] = bursts.began();
      requests[m] = burstyWebRequests(usual[m] * burst[m], random);
    }
    return new EpisodicTrace(new Trace("synthetic bursty-web seed " + seed, MONDAY, requests,
        null, null), BURSTY_WEB_BURSTS, burst, burstStart,
        (minute, factor, draws) -> burstyWebRequests(usual[minute] * factor, draws));
  }

  /**
   * A trace of episodes (flash bursts, batch jobs) on a usual rate, with what generated it.
   *
   * @param episodes the kind of its episodes
   * @param factor each minute's episode factor, 1 outside episodes
   * @param episodeStart the minute the episode under way began, -1 outside episodes
   * @param requests a minute's requests drawn afresh with a given episode factor, as the
   *     generator draws them: what the minute's usual rate and noise may bring
   */
  public record EpisodicTrace(Trace trace, Episodes.Kind episodes, double[] factor,
      int[] episodeStart, MinuteRequests requests) {}

  /** A minute's requests, drawn as a generator draws them. */
  @FunctionalInterface
  public interface MinuteRequests {
    /** Requests of {@code minute} with an episode factor of {@code factor} (1: none). */
    double draw(int minute, double factor, Random random);
  }

  /** A bursty-web minute's requests around its mean: overdispersed, gamma-mixed Poisson. */
  private static double burstyWebRequests(double mean, Random random) {
    return requestsAround(mean * gamma(8, random) / 8, random);
  }

  /**
   * A model used in office hours only, as many inference components on a shared endpoint are: on
   * weekdays from about 8:00 to 19:00 a working-day hump of up to 40 requests a minute (lunch
   * dip, overdispersed), nothing at night or at weekends but now and then a stray request and, on
   * Tuesday and Thursday nights, a 20-minute batch job from 2:00 at about 60 a minute. The idle
   * hours are what scaling to zero saves; the mornings and the batch jobs are what it pays for.
   */
  public static Trace officeHours(long seed) {
    Random random = new Random(seed);
    double[] requests = new double[DAYS * DAY];
    for (int m = 0; m < requests.length; m++) {
      int day = (m / DAY) % 7;
      double hour = (m % DAY) / 60.0;
      double mean = 0;
      if (day < 5 && hour >= 8 && hour < 19) {
        double hump = Math.sin(Math.PI * (hour - 8) / 11);
        double lunch = hour >= 12 && hour < 13.5 ? 0.6 : 1;
        mean = 40 * hump * lunch * gamma(4, random) / 4;
      } else if ((day == 1 || day == 3) && hour >= 2 && hour < 2 + 20 / 60.0) {
        mean = 60;
      } else if (random.nextDouble() < 1.0 / 240) {
        mean = 1 + 4 * random.nextDouble(); // a stray request: someone trying the model
      }
      requests[m] = mean == 0 ? 0 : requestsAround(mean, random);
    }
    return new Trace("synthetic office-hours seed " + seed, MONDAY, requests, null, null);
  }

  /**
   * Multimodal traffic: chat requests on a daytime cycle plus image requests on an evening cycle
   * that arrive in batch jobs of 10-60 minutes at 2-5× their usual rate; 200-3,000 a minute.
   */
  public static Trace multimodal(long seed) {
    return multimodalState(seed).trace();
  }

  /** The image batch jobs of {@link #multimodal}. */
  private static final Episodes.Kind MULTIMODAL_JOBS = new Episodes.Kind(4, 10, 60, 2, 5);

  /**
   * A multimodal trace with what generated it: each minute's batch-job factor on the images (1
   * outside jobs), the minute the job began, and the minute's requests, chat and images, drawn
   * afresh.
   */
  public static EpisodicTrace multimodalState(long seed) {
    Random random = new Random(seed);
    double[] requests = new double[DAYS * DAY];
    double[] chat = new double[requests.length];
    double[] images = new double[requests.length];
    double[] job = new double[requests.length];
    int[] jobStart = new int[requests.length];
    Episodes jobs = new Episodes(MULTIMODAL_JOBS);
    for (int m = 0; m < requests.length; m++) {
      double phase = 2 * Math.PI * (m % DAY) / DAY;
      chat[m] = 1000 - 800 * Math.cos(phase - Math.PI / 6);
      images[m] = 400 - 300 * Math.cos(phase - Math.PI / 2);
      job[m] = jobs.factor(random);
      jobStart[m] = jobs.began();
      requests[m] = multimodalRequests(chat[m], images[m] * job[m], random);
    }
    return new EpisodicTrace(new Trace("synthetic multimodal seed " + seed, MONDAY, requests,
        null, null), MULTIMODAL_JOBS, job, jobStart,
        (minute, factor, draws) -> multimodalRequests(chat[minute], images[minute] * factor,
            draws));
  }

  /** A multimodal minute's requests: chat and images, each gamma-mixed, then Poisson-like. */
  private static double multimodalRequests(double chat, double images, Random random) {
    return requestsAround(chat * gamma(20, random) / 20 + images * gamma(4, random) / 4, random);
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
      requests[m] = requestsAround(mean, random);
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
   * Episodes of raised demand (flash crowds, batch jobs) starting at random, one at a time.
   */
  public static final class Episodes {
    /**
     * About {@code perDay} a day, each {@code shortest}-{@code longest} minutes long at {@code
     * lowest}-{@code highest} times the usual rate.
     */
    public record Kind(double perDay, int shortest, int longest, double lowest, double highest) {
      /** The chance an episode begins in a minute with none under way. */
      public double startChance() {
        return perDay / DAY;
      }

      /** An episode's factor on the usual rate. */
      public double factor(Random random) {
        return factorAt(random.nextDouble());
      }

      /** The factor at a quantile of the episodes' factors (uniform on lowest-highest). */
      public double factorAt(double quantile) {
        return lowest + (highest - lowest) * quantile;
      }
    }

    private final Kind kind;
    private int left;
    private double factor = 1;
    /** The minute last drawn, counting from 0: one minute per {@link #factor} call. */
    private int minute = -1;
    private int began = -1;

    Episodes(Kind kind) {
      this.kind = kind;
    }

    /** The factor on this minute's rate: 1 outside an episode. */
    double factor(Random random) {
      minute++;
      if (left == 0 && random.nextDouble() < kind.startChance()) {
        left = kind.shortest() + random.nextInt(kind.longest() - kind.shortest() + 1);
        factor = kind.factor(random);
        began = minute;
      }
      if (left == 0) {
        began = -1;
        return 1;
      }
      left--;
      return factor;
    }

    /** The minute the episode of the minute last drawn began, or -1 outside episodes. */
    int began() {
      return began;
    }
  }

  /** A whole count of requests around {@code mean}, Poisson-like (± its square root), ≥ 0. */
  public static double requestsAround(double mean, Random random) {
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
