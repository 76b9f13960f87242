package inferscale.benchmarks;

import inferscale.backtest.Backtest;
import inferscale.backtest.BacktestParameters;
import inferscale.backtest.BacktestReport;
import inferscale.backtest.Frontier;
import inferscale.backtest.LeastCostFrontier;
import inferscale.backtest.PolicyResult;
import inferscale.backtest.Simulator;
import inferscale.decision.Timing;
import inferscale.forecast.Forecaster;
import inferscale.json.Json;
import inferscale.trace.SyntheticTraces;
import inferscale.trace.Trace;
import inferscale.trace.TraceCsv;
import inferscale.trace.TraceFormatException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The frontier on every trace given and on the seeded synthetic families: target tracking's and
 * InferScale's points, and InferScale's saving at each target-tracking point, beside the saving of
 * {@link IdealReactivePolicy}, a reference for what reacting alone could earn, and on step-wise
 * LLM traffic {@link LevelOraclePolicy}'s, for what headroom over the true level earns. A
 * benchmark, not a test: {@code java -cp benchmarks/target/benchmarks.jar
 * inferscale.benchmarks.FrontierReport [--seed N] [--policy JSON] TRACE.csv...}; {@code --policy
 * '{"targets.floorBand": 0.65}'} runs the budgets forecast-led, moving the band.
 */
public final class FrontierReport {
  /** Target utilisations the ideal reactive reference is swept over. */
  private static final List<Double> IDEAL_UTILIZATIONS =
      List.of(0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0);

  private FrontierReport() {}

  /**
   * {@link IdealReactivePolicy}'s frontier, with the backtest's cold start and capacity but no
   * metric delay.
   */
  private static List<Frontier.Point> idealReactive(Trace trace) {
    BacktestParameters parameters = BacktestParameters.defaults();
    Timing timing = parameters.timing();
    BacktestParameters instant = new BacktestParameters(parameters.peakInstances(),
        new Timing(timing.coldStartMinutes(), 0, timing.forecastIntervalMinutes()),
        parameters.targetUtilization());
    Simulator simulator = new Simulator(trace, instant,
        Backtest.capacity(trace, parameters).requestsPerMinute());
    return IDEAL_UTILIZATIONS.parallelStream().map(u -> {
      PolicyResult result = simulator.run(new IdealReactivePolicy(u)).result();
      return new Frontier.Point(u, result.costRatio(), result.unservedPct(),
          result.instanceHours());
    }).toList();
  }

  /**
   * {@link InformedFloor}'s floors: knowing what a policy can know a cold start ahead, and knowing
   * it no sooner than watching the endpoint's per-minute metrics tells; each null where the
   * generator does not say.
   */
  record Floors(LeastCostFrontier knowing, LeastCostFrontier watching) {}

  /** The floors of the synthetic families whose generator tells what a policy can know. */
  static Floors informedFloors(Trace trace, long seed, BacktestReport.Parameters parameters) {
    double mu = parameters.muPerInstance();
    int coldStart = parameters.coldStartMinutes();
    int scoredFrom = parameters.scoredFromMinute();
    for (SyntheticTraces.EpisodicTrace episodic : List.of(SyntheticTraces.burstyWebState(seed),
        SyntheticTraces.multimodalState(seed))) {
      if (episodic.trace().name().equals(trace.name())) {
        return new Floors(InformedFloor.episodic(episodic, mu, coldStart, scoredFrom),
            InformedFloor.episodicWithoutEnds(episodic, mu, coldStart,
                parameters.metricDelayMinutes(), scoredFrom));
      }
    }
    SyntheticTraces.LlmFleetSteps steps = SyntheticTraces.llmFleetStepsState(seed);
    if (steps.trace().name().equals(trace.name())) {
      return new Floors(InformedFloor.llmFleetSteps(steps, mu, coldStart, scoredFrom),
          InformedFloor.llmFleetStepsWatched(steps, mu, coldStart,
              parameters.metricDelayMinutes(), scoredFrom));
    }
    return new Floors(null, null);
  }

  /** {@link LevelOraclePolicy}'s frontier where the trace is the seed's step-wise one, or null. */
  static List<Frontier.Point> levelOracle(Trace trace, long seed) {
    SyntheticTraces.LlmFleetSteps steps = SyntheticTraces.llmFleetStepsState(seed);
    return steps.trace().name().equals(trace.name()) ? LevelOraclePolicy.frontier(steps) : null;
  }

  /** What a reference's frontier saves at each target-tracking point ("-" beyond its points). */
  private static String referenceSavings(List<Frontier.Point> reference, Frontier frontier) {
    StringBuilder savings = new StringBuilder();
    for (Frontier.Point tracking : frontier.targetTracking()) {
      Double cost = Frontier.costOnFrontier(tracking.unservedPct(), reference);
      savings.append(String.format(Locale.ROOT, "  %.1f: %s", tracking.knob(), cost == null
          ? "-" : String.format(Locale.ROOT, "%.1f%%",
              Frontier.percentLess(cost, tracking.costRatio()))));
    }
    return savings.toString();
  }

  /** What {@code floor} saves at each target-tracking point, when there is one. */
  private static void printFloor(String label, LeastCostFrontier floor, Frontier frontier) {
    if (floor == null) {
      return;
    }
    StringBuilder most = new StringBuilder();
    for (Frontier.Point tracking : frontier.targetTracking()) {
      most.append(String.format(Locale.ROOT, "  %.1f: %.1f%%", tracking.knob(),
          Frontier.percentLess(floor.costRatioAt(tracking.unservedPct()),
              tracking.costRatio())));
    }
    System.out.printf(Locale.ROOT, "%-44s %s:%s%n", "", label, most);
  }

  private static String percent(Double saving) {
    return saving == null ? "-" : String.format(Locale.ROOT, "%.1f", saving);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Options()).execute(args));
  }

  @Command(name = "FrontierReport", usageHelpWidth = 100,
      description = "The frontier on each trace given and on every synthetic family: both"
          + " policies' points, InferScale's savings, the budgets' realised unserved, and the"
          + " references' and floors' savings.")
  static final class Options implements Callable<Integer> {
    @Option(names = "--seed", paramLabel = "SEED", description = "The synthetic families' seed"
        + " (default: " + SyntheticTraces.DEFAULT_SEED + ").")
    long seed = SyntheticTraces.DEFAULT_SEED;

    @Option(names = "--policy", paramLabel = "JSON", description = "Policy overrides for"
        + " InferScale, e.g. '{\"targets.floorBand\": 0.65}' (the budgets move the band).")
    String policy;

    @Parameters(paramLabel = "TRACE.csv", arity = "0..*", description = "Traces to add.")
    List<Path> files = new ArrayList<>();

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      BacktestParameters parameters = BacktestParameters.defaults();
      if (policy != null) {
        JsonNode overrides;
        try {
          overrides = Json.mapper().readTree(policy);
        } catch (JsonProcessingException e) {
          throw new ParameterException(spec.commandLine(), "--policy is not valid JSON: "
              + Json.problem(e) + Json.location(e));
        }
        if (!overrides.isObject()) {
          throw new ParameterException(spec.commandLine(),
              "--policy must be a JSON object, got " + overrides);
        }
        parameters = parameters.withEndpoint(null, null, null, overrides);
        if (!parameters.problems().isEmpty()) {
          throw new ParameterException(spec.commandLine(),
              "--policy: " + String.join("; ", parameters.problems()));
        }
      }
      List<Trace> traces = new ArrayList<>();
      for (Path file : files) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          traces.add(TraceCsv.parse(file.getFileName().toString(), reader));
        } catch (IOException | TraceFormatException e) {
          throw new ParameterException(spec.commandLine(), file + ": " + (e instanceof
              NoSuchFileException ? "no such file" : e.getMessage()));
        }
      }
      traces.addAll(SyntheticTraces.all(seed));
      report(traces, parameters, seed);
      return 0;
    }
  }

  private static void report(List<Trace> traces, BacktestParameters parameters, long seed) {
    System.out.printf(Locale.ROOT, "%-44s %6s %28s %28s %22s %8s%n", "TRACE", "TARGET",
        "TARGET-TRACKING COST/UNSERVED", "INFERSCALE COST/UNSERVED",
        "SAVING % (TARGET/FC-LED)", "SECONDS");
    for (Trace trace : traces) {
      Frontier frontier = Frontier.sweep(trace, parameters, Forecaster.standard());
      for (int i = 0; i < frontier.targetTracking().size(); i++) {
        Frontier.Point tracking = frontier.targetTracking().get(i);
        Frontier.Point inferscale = frontier.inferscale().get(i);
        Frontier.Saving saving = frontier.savings().get(i);
        System.out.printf(Locale.ROOT, "%-44s %6.1f %14.3f/%-13.3f %14.3f/%-13.3f %22s %8s%n",
            i == 0 ? trace.name() : "", tracking.knob(), tracking.costRatio(),
            tracking.unservedPct(), inferscale.costRatio(), inferscale.unservedPct(),
            percent(saving.savingPercent()) + "/" + percent(saving.forecastLedSavingPercent()),
            i == 0 ? String.format(Locale.ROOT, "%.1f", frontier.elapsedSeconds()) : "");
      }
      StringBuilder budgets = new StringBuilder();
      for (Frontier.Point point : frontier.inferscaleBudget()) {
        budgets.append(String.format(Locale.ROOT, "  %.1f%% -> %.3f%% (x%.2f) at %.3f",
            point.knob(), point.unservedPct(), point.unservedPct() / point.knob(),
            point.costRatio()));
      }
      StringBuilder savings = new StringBuilder();
      for (Frontier.Saving saving : frontier.savings()) {
        savings.append(String.format(Locale.ROOT, "  %.1f: %s", saving.target(),
            saving.budgetSavingPercent() == null ? "-"
                : String.format(Locale.ROOT, "%.1f%%", saving.budgetSavingPercent())));
      }
      String ideal = referenceSavings(idealReactive(trace), frontier);
      StringBuilder floor = new StringBuilder();
      for (Frontier.Saving saving : frontier.savings()) {
        floor.append(String.format(Locale.ROOT, "  %.1f: %.1f%%", saving.target(),
            saving.floorSavingPercent()));
      }
      System.out.printf(Locale.ROOT, "%-44s budget realised:%s%n%-44s saving holding a budget"
          + " at each target-tracking point:%s%n%-44s saving of the ideal reactive reference:%s%n"
          + "%-44s most any policy saves (knowing every minute):%s%n",
          "", budgets, "", savings, "", ideal, "", floor);
      List<Frontier.Point> oracle = levelOracle(trace, seed);
      if (oracle != null) {
        System.out.printf(Locale.ROOT, "%-44s saving of the level oracle reference (told every"
            + " client's level):%s%n", "", referenceSavings(oracle, frontier));
      }
      Floors floors = informedFloors(trace, seed, frontier.parameters());
      printFloor("most a policy saves knowing what one can (expected)", floors.knowing(),
          frontier);
      printFloor("most a policy saves knowing no sooner than per-minute metrics tell (expected)",
          floors.watching(), frontier);
    }
  }
}
