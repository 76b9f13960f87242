package inferscale.backtest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import inferscale.decision.PolicyConfig;
import inferscale.forecast.Forecaster;
import inferscale.forecast.SharedForecasts;
import inferscale.trace.Trace;
import inferscale.units.RequestRate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The cost–unserved trade-off of target tracking and of InferScale on one trace: each swept over
 * its knob, every run with the backtest's simulator and parameters, side by side on the cores;
 * and for each target-tracking point, what InferScale costs at the same unserved demand.
 *
 * @param targetTracking target tracking at each target utilisation swept
 * @param inferscale InferScale at each target utilisation swept
 * @param inferscaleForecastLed InferScale led by its forecast: the reactive target at what one
 *     instance serves, the floor at the expected forecast plus each share of the band up to the
 *     upper quantile swept ({@link #FLOOR_BANDS}; knob: targets.floorBand)
 * @param inferscaleBudget InferScale holding each unserved budget swept (knob: the budget, %):
 *     moving its target, or with the policy's targets.floorBand, forecast-led, moving the band
 * @param clairvoyant the limit: knows the future
 * @param floor the least any policy costs at each unserved demand: the fleets of {@link
 *     LeastCostFrontier#clairvoyant}, which knows every minute (knob: the price per request left
 *     unserved, in instance-minutes × mu)
 * @param savings for each target-tracking point, InferScale's cost at its unserved demand
 */
@JsonPropertyOrder({"trace", "parameters", "clairvoyant", "targetTracking", "inferscale",
    "inferscaleForecastLed", "inferscaleBudget", "floor", "savings"})
public record Frontier(String trace, BacktestReport.Parameters parameters, Point clairvoyant,
    List<Point> targetTracking, List<Point> inferscale, List<Point> inferscaleForecastLed,
    List<Point> inferscaleBudget, List<Point> floor, List<Saving> savings,
    @JsonIgnore double elapsedSeconds) {

  /** Target utilisations swept: 0.4, 0.5, … 0.9. */
  public static final List<Double> TARGETS = List.of(0.4, 0.5, 0.6, 0.7, 0.8, 0.9);

  /**
   * Shares of the forecast band the forecast-led runs size their floor on: about the 0.6, 0.7,
   * 0.8 and 0.9 quantiles were the errors normal; 1 is the upper quantile (p90) itself.
   */
  public static final List<Double> FLOOR_BANDS = List.of(0.2, 0.4, 0.65, 1.0);

  /** Unserved budgets swept, percent. */
  public static final List<Double> BUDGETS = List.of(0.1, 0.2, 0.5, 1.0, 2.0, 5.0);

  /** Unserved shares below this (percent) count as this on the log scale: zero has no log. */
  public static final double LOG_FLOOR_PERCENT = 1e-4;

  public Frontier {
    targetTracking = List.copyOf(targetTracking);
    inferscale = List.copyOf(inferscale);
    inferscaleForecastLed = List.copyOf(inferscaleForecastLed);
    inferscaleBudget = List.copyOf(inferscaleBudget);
    floor = List.copyOf(floor);
    savings = List.copyOf(savings);
  }

  /**
   * One run's score.
   *
   * @param knob the target utilisation, or for InferScale the setting swept; null for the
   *     clairvoyant, which has none
   */
  @JsonPropertyOrder({"knob", "costRatio", "unservedPct", "instanceHours"})
  public record Point(Double knob, double costRatio, double unservedPct, double instanceHours) {
    static Point of(Double knob, PolicyResult result) {
      return new Point(knob, result.costRatio(), result.unservedPct(), result.instanceHours());
    }
  }

  /**
   * @param inferscaleCostRatio InferScale's cost ratio at the same unserved demand, interpolated on
   *     its frontier over the target (linear in cost, log in unserved), or null outside it
   * @param savingPercent how much less that costs than target tracking, or null
   * @param forecastLedCostRatio the same on InferScale's forecast-led frontier, or null
   * @param forecastLedSavingPercent how much less that costs than target tracking, or null
   * @param budgetCostRatio the same on InferScale's frontier over the budget, or null
   * @param budgetSavingPercent how much less that costs than target tracking, or null
   * @param floorCostRatio the least any policy costs at the same unserved demand: the floor
   * @param floorSavingPercent the most any policy saves there: how much less the floor costs
   */
  @JsonPropertyOrder({"target", "unservedPct", "targetTrackingCostRatio", "inferscaleCostRatio",
      "savingPercent", "forecastLedCostRatio", "forecastLedSavingPercent", "budgetCostRatio",
      "budgetSavingPercent", "floorCostRatio", "floorSavingPercent"})
  public record Saving(double target, double unservedPct, double targetTrackingCostRatio,
      Double inferscaleCostRatio, Double savingPercent, Double forecastLedCostRatio,
      Double forecastLedSavingPercent, Double budgetCostRatio, Double budgetSavingPercent,
      double floorCostRatio, double floorSavingPercent) {}

  /** The runs' results, in the runs' order, and what was computed after them. */
  private record Computed<T>(List<PolicyResult> results, T after) {}

  /**
   * Each run's result, in the runs' order, and {@code after}'s, on every core with the longest
   * started first: the control loop's runs (each forecasts and decides every minute) before the
   * clairvoyant and target tracking's, and {@code after}, which needs no run, last, so no core
   * idles at the end waiting on one long run.
   */
  private static <T> Computed<T> longestFirst(List<ScalingPolicy> runs,
      Function<ScalingPolicy, PolicyResult> run, Callable<T> after) {
    List<Integer> order = new ArrayList<>();
    for (int i = runs.size() - 1; i >= 0; i--) {
      order.add(i);
    }
    order.sort(Comparator.comparing(i -> !(runs.get(i) instanceof ControlLoopPolicy)));
    ExecutorService cores = Executors.newFixedThreadPool(
        Runtime.getRuntime().availableProcessors());
    try {
      Map<Integer, Future<PolicyResult>> started = new HashMap<>();
      for (int i : order) {
        started.put(i, cores.submit(() -> run.apply(runs.get(i))));
      }
      Future<T> last = cores.submit(after);
      List<PolicyResult> results = new ArrayList<>();
      for (int i = 0; i < runs.size(); i++) {
        results.add(started.get(i).get());
      }
      return new Computed<>(results, last.get());
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException failure ? failure
          : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("the sweep was interrupted", e);
    } finally {
      cores.shutdownNow();
    }
  }

  /**
   * Sweeps target tracking over {@link #TARGETS}, InferScale over the same targets, forecast-led
   * over {@link #FLOOR_BANDS} and over {@link #BUDGETS}: every run has the backtest's parameters
   * but its own knob, and each frontier only its own (no band or budget on the target runs, whose
   * target a budget would move; no budget on the forecast-led ones). The budgets move the target,
   * or, when the policy sets a band, run forecast-led and move the band from the policy's.
   *
   * @throws IllegalArgumentException when the parameters are invalid or the trace has no demand
   */
  public static Frontier sweep(Trace trace, BacktestParameters requested,
      Forecaster standalone) {
    Backtest.checked(requested);
    // The sweep sets the target itself: a policy's own would only move its budget runs' start.
    BacktestParameters parameters = requested.withoutPolicyTarget();
    long started = System.nanoTime();
    // Every InferScale run forecasts from the same histories: each forecast is made once.
    Forecaster forecaster = new SharedForecasts(standalone);
    Backtest.PerInstanceCapacity capacity = Backtest.capacity(trace, parameters);
    double mu = capacity.requestsPerMinute();
    Simulator simulator = new Simulator(trace, parameters, mu);
    PolicyConfig.Bounds bounds = Backtest.bounds(parameters, capacity);
    Instant origin = trace.start() == null ? Instant.EPOCH : trace.start();
    List<ScalingPolicy> runs = new ArrayList<>();
    runs.add(new ClairvoyantPolicy(trace, parameters.timing().coldStartMinutes()));
    for (double target : TARGETS) {
      runs.add(new TargetTrackingPolicy(target * mu, bounds.minInstances(),
          bounds.maxInstances()));
    }
    double muPerSecond = RequestRate.ofPerMinute(mu).perSecond();
    for (double target : TARGETS) {
      // The knob is the target.
      PolicyConfig swept = Backtest.engineConfig(parameters.withTargetUtilization(target),
          capacity).withTargetRpsPerInstance(target * muPerSecond).withFloorBand(null);
      PolicyConfig engine = swept.withBudget(swept.budget().withUnservedPercent(null));
      Double max = engine.targets().maxRpsPerInstance();
      runs.add(new ControlLoopPolicy("inferscale", max == null || max >= target * muPerSecond
          ? engine : engine.withMaxRpsPerInstance(target * muPerSecond), parameters.schedules(),
          origin, forecaster, outcome -> { }));
    }
    PolicyConfig given = Backtest.engineConfig(parameters, capacity);
    PolicyConfig engine = given.withFloorBand(null);
    // A budget tells served from unserved at what one instance serves: mu, unless the policy says.
    PolicyConfig measured = engine.targets().maxRpsPerInstance() != null ? engine
        : engine.withMaxRpsPerInstance(muPerSecond);
    PolicyConfig forecastLed = measured.withBudget(engine.budget().withUnservedPercent(null))
        .withTargetRpsPerInstance(measured.targets().maxRpsPerInstance());
    for (double band : FLOOR_BANDS) {
      runs.add(new ControlLoopPolicy("inferscale", forecastLed.withFloorBand(band),
          parameters.schedules(), origin, forecaster, outcome -> { }));
    }
    // With a band of its own the policy is forecast-led, and its budgets move the band from it.
    PolicyConfig holding = given.targets().floorBand() == null ? measured
        : forecastLed.withFloorBand(given.targets().floorBand());
    for (double budget : BUDGETS) {
      runs.add(new ControlLoopPolicy("inferscale",
          holding.withBudget(engine.budget().withUnservedPercent(budget)),
          parameters.schedules(), origin, forecaster, outcome -> { }));
    }
    // Runs share the read-only trace and the forecasts: side by side, results in the runs' order;
    // the floor, which needs no run, after them.
    Computed<LeastCostFrontier> computed = longestFirst(runs, p -> simulator.run(p).result(),
        () -> LeastCostFrontier.clairvoyant(trace, mu, parameters.timing().coldStartMinutes(),
            BacktestParameters.scoredFrom(trace.length()),
            // One instance, as the clairvoyant keeps too; none where InferScale may scale to zero.
            Math.min(1, Math.min(bounds.minInstances(), engine.bounds().minInstances()))));
    List<PolicyResult> results = computed.results();
    LeastCostFrontier floor = computed.after();
    List<Point> tracking = new ArrayList<>();
    List<Point> inferscale = new ArrayList<>();
    List<Point> led = new ArrayList<>();
    List<Point> budgeted = new ArrayList<>();
    for (int i = 0; i < TARGETS.size(); i++) {
      tracking.add(Point.of(TARGETS.get(i), results.get(1 + i)));
      inferscale.add(Point.of(TARGETS.get(i), results.get(1 + TARGETS.size() + i)));
    }
    int ledFrom = 1 + 2 * TARGETS.size();
    for (int i = 0; i < FLOOR_BANDS.size(); i++) {
      led.add(Point.of(FLOOR_BANDS.get(i), results.get(ledFrom + i)));
    }
    for (int i = 0; i < BUDGETS.size(); i++) {
      budgeted.add(Point.of(BUDGETS.get(i), results.get(ledFrom + FLOOR_BANDS.size() + i)));
    }
    List<Saving> savings = tracking.stream()
        .map(p -> saving(p, inferscale, led, budgeted, floor.costRatioAt(p.unservedPct())))
        .toList();
    BacktestReport.Parameters reported = BacktestReport.Parameters.of(parameters, capacity,
        bounds, engine, trace.length()).swept();
    return new Frontier(trace.name(), reported, Point.of(null, results.get(0)), tracking,
        inferscale, led, budgeted, efficient(floor.points(mu)), savings,
        (System.nanoTime() - started) / 1e9);
  }

  /**
   * InferScale's cost at target tracking's unserved demand, on each of its frontiers, beside the
   * floor's.
   */
  static Saving saving(Point tracking, List<Point> inferscale, List<Point> forecastLed,
      List<Point> budgeted, double floorCost) {
    Double cost = costOnFrontier(tracking.unservedPct(), inferscale);
    Double ledCost = costOnFrontier(tracking.unservedPct(), forecastLed);
    Double budgetCost = costOnFrontier(tracking.unservedPct(), budgeted);
    return new Saving(tracking.knob(), tracking.unservedPct(), tracking.costRatio(), cost,
        percentLess(cost, tracking.costRatio()), ledCost,
        percentLess(ledCost, tracking.costRatio()), budgetCost,
        percentLess(budgetCost, tracking.costRatio()), floorCost,
        percentLess(floorCost, tracking.costRatio()));
  }

  /** How much less {@code cost} is than {@code than}, in percent; null when there is no cost. */
  public static Double percentLess(Double cost, double than) {
    return cost == null ? null : 100 * (1 - cost / than);
  }

  /**
   * The points no other point beats on both cost and unserved, by unserved ascending (so by cost
   * descending).
   */
  static List<Point> efficient(List<Point> points) {
    List<Point> sorted = new ArrayList<>(points);
    sorted.sort(Comparator.comparingDouble(Point::unservedPct)
        .thenComparingDouble(Point::costRatio));
    List<Point> efficient = new ArrayList<>();
    for (Point p : sorted) {
      if (efficient.isEmpty() || p.costRatio() < efficient.get(efficient.size() - 1).costRatio()) {
        efficient.add(p);
      }
    }
    return efficient;
  }

  /**
   * The cost at {@code unservedPct} on the frontier of {@code points}: linear in cost between its
   * efficient points around it, log in unserved; null outside.
   */
  public static Double costOnFrontier(double unservedPct, List<Point> points) {
    return costAt(unservedPct, efficient(points));
  }

  /** Linear in cost between the efficient points around it, log in unserved; null outside. */
  static Double costAt(double unservedPct, List<Point> efficient) {
    double x = Math.log(Math.max(LOG_FLOOR_PERCENT, unservedPct));
    for (int i = 0; i < efficient.size(); i++) {
      Point p = efficient.get(i);
      double xi = Math.log(Math.max(LOG_FLOOR_PERCENT, p.unservedPct()));
      if (x == xi) {
        return p.costRatio();
      }
      if (i > 0 && x < xi) {
        Point q = efficient.get(i - 1);
        double xq = Math.log(Math.max(LOG_FLOOR_PERCENT, q.unservedPct()));
        if (x < xq) {
          return null;
        }
        return q.costRatio() + (p.costRatio() - q.costRatio()) * (x - xq) / (xi - xq);
      }
    }
    return null;
  }
}
