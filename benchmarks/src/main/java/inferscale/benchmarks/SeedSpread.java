package inferscale.benchmarks;

import inferscale.backtest.BacktestParameters;
import inferscale.backtest.Frontier;
import inferscale.backtest.LeastCostFrontier;
import inferscale.forecast.Forecaster;
import inferscale.trace.SyntheticTraces;
import inferscale.trace.Trace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The frontier of each synthetic family over several seeds: a held-back trace is one more draw of
 * its kind, and on smooth traffic one seed's scored week can hold a single step that decides every
 * point. Per seed, InferScale's saving (target-led) at target tracking's 0.5-0.8 points, where the
 * generator says what a policy can know {@link InformedFloor}'s (knowing that, and knowing it no
 * sooner than watching the endpoint's per-minute metrics tells), and each budget's realised
 * unserved over the budget, with how much less it cost than target tracking there; over the seeds,
 * the savings' mean and range, the saving between the seeds' mean points (mean cost at mean
 * unserved, what the floors bound: the least mean cost over the seeds at their mean unserved), the
 * same forecast-led, how many budgets land within [0.5, 1.3] of what they allow, and how many cost
 * no more than target tracking's frontier at the unserved demand they realised (where it reaches);
 * on step-wise LLM traffic, also what {@link LevelOraclePolicy} saves, told every client's level.
 * A benchmark, not a test: {@code java -cp benchmarks/target/benchmarks.jar
 * inferscale.benchmarks.SeedSpread [--seeds N] [--first SEED] [FAMILY...]}.
 */
public final class SeedSpread {
  /** Target-tracking points the savings are judged at. */
  private static final List<Double> JUDGED = List.of(0.5, 0.6, 0.7, 0.8);
  /** Budgets the realised unserved is judged on. */
  private static final List<Double> BUDGETS = List.of(0.1, 0.5, 1.0);
  private static final double BUDGET_LOW = 0.5;
  private static final double BUDGET_HIGH = 1.3;

  private SeedSpread() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new Options()).execute(args));
  }

  @Command(name = "SeedSpread", usageHelpWidth = 100,
      description = "Each synthetic family's frontier over several seeds: per seed, InferScale's"
          + " saving at target tracking's 0.5-0.8 points beside the floors', and each budget's"
          + " realised unserved; over the seeds, the savings' mean and range.")
  static final class Options implements Callable<Integer> {
    @Option(names = "--seeds", paramLabel = "N", defaultValue = "5",
        description = "Seeds per family (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--first", paramLabel = "SEED", description = "The first seed (default: "
        + SyntheticTraces.DEFAULT_SEED + ").")
    long first = SyntheticTraces.DEFAULT_SEED;

    @Parameters(paramLabel = "FAMILY", arity = "0..*",
        description = "Families to run (default: all of them).")
    List<String> families = new ArrayList<>();

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      if (seeds < 1) {
        throw new ParameterException(spec.commandLine(), "--seeds must be at least 1, got "
            + seeds);
      }
      for (String family : families) {
        if (!SyntheticTraces.names().contains(family)) {
          throw new ParameterException(spec.commandLine(), "no synthetic family '" + family
              + "'; the families are " + SyntheticTraces.names());
        }
      }
      run(seeds, first, families.isEmpty() ? SyntheticTraces.names() : families);
      return 0;
    }
  }

  private static void run(int seeds, long first, List<String> families) {
    System.out.printf(Locale.ROOT, "%-16s %6s  %-27s  %-27s  %-27s  %s%n", "FAMILY", "SEED",
        "SAVING % AT TT 0.5/0.6/0.7/0.8", "INFORMED FLOOR'S SAVING %",
        "WATCHING FLOOR'S",
        "BUDGET 0.1/0.5/1 %: REALISED / BUDGET (x, % CHEAPER THAN TT THERE)");
    for (String family : families) {
      List<Frontier> frontiers = new ArrayList<>();
      List<LeastCostFrontier> informedFloors = new ArrayList<>();
      List<LeastCostFrontier> watchingFloors = new ArrayList<>();
      List<List<Frontier.Point>> oracles = new ArrayList<>();
      for (long seed = first; seed < first + seeds; seed++) {
        Trace trace = SyntheticTraces.generate(family, seed);
        Frontier frontier = Frontier.sweep(trace, BacktestParameters.defaults(),
            Forecaster.standard());
        frontiers.add(frontier);
        FrontierReport.Floors floors =
            FrontierReport.informedFloors(trace, seed, frontier.parameters());
        informedFloors.add(floors.knowing());
        watchingFloors.add(floors.watching());
        oracles.add(FrontierReport.levelOracle(trace, seed));
        System.out.printf(Locale.ROOT, "%-16s %6d  %-27s  %-27s  %-27s  %s%n", family, seed,
            savings(frontier), row(floorSavings(List.of(frontier), singleton(floors.knowing()))),
            row(floorSavings(List.of(frontier), singleton(floors.watching()))),
            budgets(frontier));
      }
      summarise(frontiers, informedFloors, watchingFloors);
      if (!oracles.contains(null)) {
        summariseOracle(frontiers, oracles);
      }
    }
  }

  /**
   * {@link LevelOraclePolicy}'s savings at target tracking's points: their mean over the seeds,
   * and between the seeds' mean points, as InferScale's are given.
   */
  private static void summariseOracle(List<Frontier> frontiers,
      List<List<Frontier.Point>> oracles) {
    double[] mean = new double[JUDGED.size()];
    double[] pooled = new double[JUDGED.size()];
    List<Frontier.Point> pooledOracle = new ArrayList<>();
    for (Frontier.Point point : oracles.get(0)) {
      pooledOracle.add(meanPoint(point.knob(), oracles, points -> points));
    }
    for (int j = 0; j < JUDGED.size(); j++) {
      double target = JUDGED.get(j);
      DoubleSummaryStatistics savings = new DoubleSummaryStatistics();
      for (int i = 0; i < frontiers.size(); i++) {
        Frontier.Point tracking = pointAt(frontiers.get(i).targetTracking(), target);
        Double cost = Frontier.costOnFrontier(tracking.unservedPct(), oracles.get(i));
        if (cost != null) {
          savings.accept(Frontier.percentLess(cost, tracking.costRatio()));
        }
      }
      mean[j] = savings.getCount() == 0 ? Double.NaN : savings.getAverage();
      Frontier.Point tracking = meanPoint(target, frontiers, f -> f.targetTracking());
      pooled[j] = orNaN(Frontier.percentLess(
          Frontier.costOnFrontier(tracking.unservedPct(), pooledOracle), tracking.costRatio()));
    }
    System.out.printf(Locale.ROOT, "%-23s  level oracle (told every client's level): mean %s,"
        + " at the mean points %s%n", "", row(mean), row(pooled));
  }

  private static void summarise(List<Frontier> frontiers, List<LeastCostFrontier> informedFloors,
      List<LeastCostFrontier> watchingFloors) {
    List<DoubleSummaryStatistics> spread = new ArrayList<>();
    double[] pooled = new double[JUDGED.size()];
    double[] pooledLed = new double[JUDGED.size()];
    List<Frontier.Point> pooledInferscale = new ArrayList<>();
    for (double target : Frontier.TARGETS) {
      pooledInferscale.add(meanPoint(target, frontiers, f -> f.inferscale()));
    }
    List<Frontier.Point> pooledForecastLed = new ArrayList<>();
    for (double band : Frontier.FLOOR_BANDS) {
      pooledForecastLed.add(meanPoint(band, frontiers, f -> f.inferscaleForecastLed()));
    }
    for (int j = 0; j < JUDGED.size(); j++) {
      double target = JUDGED.get(j);
      // Seeds where target tracking's point lies outside InferScale's frontier have no saving.
      spread.add(frontiers.stream().map(frontier -> savingAt(frontier, target))
          .filter(Objects::nonNull).mapToDouble(Double::doubleValue).summaryStatistics());
      Frontier.Point tracking = meanPoint(target, frontiers, f -> f.targetTracking());
      Double cost = Frontier.costOnFrontier(tracking.unservedPct(), pooledInferscale);
      pooled[j] = orNaN(Frontier.percentLess(cost, tracking.costRatio()));
      Double led = Frontier.costOnFrontier(tracking.unservedPct(), pooledForecastLed);
      pooledLed[j] = orNaN(Frontier.percentLess(led, tracking.costRatio()));
    }
    int within = 0;
    int judged = 0;
    int comparable = 0;
    int noDearer = 0;
    for (Frontier frontier : frontiers) {
      for (double budget : BUDGETS) {
        double ratio = budgetPoint(frontier, budget).unservedPct() / budget;
        within += ratio >= BUDGET_LOW && ratio <= BUDGET_HIGH ? 1 : 0;
        judged++;
        Double cheaper = cheaperThanTracking(frontier, budget);
        comparable += cheaper == null ? 0 : 1;
        noDearer += cheaper != null && cheaper >= 0 ? 1 : 0;
      }
    }
    double[] mean = new double[JUDGED.size()];
    StringBuilder range = new StringBuilder();
    for (int j = 0; j < JUDGED.size(); j++) {
      DoubleSummaryStatistics savings = spread.get(j);
      mean[j] = savings.getCount() == 0 ? Double.NaN : savings.getAverage();
      range.append(savings.getCount() == 0 ? " -" : String.format(Locale.ROOT, " %s..%s",
          number(savings.getMin()), number(savings.getMax())));
      if (savings.getCount() < frontiers.size()) {
        range.append(String.format(Locale.ROOT, " (%d of %d seeds)", savings.getCount(),
            frontiers.size()));
      }
    }
    System.out.printf(Locale.ROOT, "%-23s  mean %-22s  range%s%n%-23s  at the mean points %-9s"
        + "  forecast-led %s  informed floor at them %s  watching %s  budgets within [%.1f,"
        + " %.1f]: %d of %d, no dearer than target tracking at their unserved: %d of the %d"
        + " within its points%n", "", row(mean), range, "", row(pooled), row(pooledLed),
        row(floorSavings(frontiers, informedFloors)), row(floorSavings(frontiers, watchingFloors)),
        BUDGET_LOW, BUDGET_HIGH, within, judged, noDearer, comparable);
  }

  /**
   * What the floors save, in expectation over the seeds (the least mean cost at the mean
   * unserved), at target tracking's mean point over the same seeds; NaN where a family has no
   * such floor.
   */
  private static double[] floorSavings(List<Frontier> frontiers,
      List<LeastCostFrontier> floors) {
    double[] savings = new double[JUDGED.size()];
    for (int j = 0; j < JUDGED.size(); j++) {
      Frontier.Point tracking = meanPoint(JUDGED.get(j), frontiers, f -> f.targetTracking());
      savings[j] = floors.contains(null) ? Double.NaN : Frontier.percentLess(
          LeastCostFrontier.meanCostRatioAt(floors, tracking.unservedPct()),
          tracking.costRatio());
    }
    return savings;
  }

  /** A list of the one floor, which may be null (a family without it). */
  private static List<LeastCostFrontier> singleton(LeastCostFrontier floor) {
    return Collections.singletonList(floor);
  }

  /** The seeds' mean cost and mean unserved at one knob of a frontier. */
  private static <T> Frontier.Point meanPoint(double knob, List<T> frontiers,
      Function<T, List<Frontier.Point>> points) {
    ToDoubleFunction<ToDoubleFunction<Frontier.Point>> mean = field -> frontiers.stream()
        .mapToDouble(f -> field.applyAsDouble(pointAt(points.apply(f), knob))).average()
        .orElseThrow();
    return new Frontier.Point(knob, mean.applyAsDouble(Frontier.Point::costRatio),
        mean.applyAsDouble(Frontier.Point::unservedPct),
        mean.applyAsDouble(Frontier.Point::instanceHours));
  }

  private static String savings(Frontier frontier) {
    double[] values = new double[JUDGED.size()];
    for (int j = 0; j < JUDGED.size(); j++) {
      values[j] = orNaN(savingAt(frontier, JUDGED.get(j)));
    }
    return row(values);
  }

  private static String budgets(Frontier frontier) {
    StringBuilder row = new StringBuilder();
    for (double budget : BUDGETS) {
      double realised = budgetPoint(frontier, budget).unservedPct();
      row.append(String.format(Locale.ROOT, " %.3f/%.1f (x%.2f, %s%%)", realised, budget,
          realised / budget, number(orNaN(cheaperThanTracking(frontier, budget)))));
    }
    return row.toString().strip();
  }

  /**
   * How much less holding {@code budget} cost than target tracking's frontier at the unserved
   * demand it realised; null where that lies beyond target tracking's points.
   */
  private static Double cheaperThanTracking(Frontier frontier, double budget) {
    Frontier.Point held = budgetPoint(frontier, budget);
    Double tracking = Frontier.costOnFrontier(held.unservedPct(), frontier.targetTracking());
    return tracking == null ? null : Frontier.percentLess(held.costRatio(), tracking);
  }

  private static Double savingAt(Frontier frontier, double target) {
    return frontier.savings().stream().filter(s -> s.target() == target).findFirst()
        .orElseThrow().savingPercent();
  }

  private static Frontier.Point budgetPoint(Frontier frontier, double budget) {
    return pointAt(frontier.inferscaleBudget(), budget);
  }

  private static Frontier.Point pointAt(List<Frontier.Point> points, double knob) {
    return points.stream().filter(p -> p.knob() == knob).findFirst().orElseThrow();
  }

  /** A saving, or NaN (printed as "-") where there is none. */
  private static double orNaN(Double saving) {
    return saving == null ? Double.NaN : saving;
  }

  private static String row(double[] values) {
    StringBuilder row = new StringBuilder();
    for (double value : values) {
      row.append(' ').append(number(value));
    }
    return row.toString().strip();
  }

  private static String number(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", value);
  }
}
