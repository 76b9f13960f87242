package inferscale.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import inferscale.forecast.Forecaster;
import inferscale.forecast.ForecasterConfig;
import inferscale.forecast.Forecasters;
import inferscale.forecast.Seasonality;
import inferscale.forecast.WalkForwardEvaluation;
import inferscale.forecast.WalkForwardEvaluation.Model;
import inferscale.forecast.WalkForwardEvaluation.ModelScore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Walk-forward evaluation of the forecaster against naive baselines on a trace. */
@Command(
    name = "forecast-eval",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Walk-forward evaluation of the forecaster (inferscale) against baselines.",
      "Every hour of the scored part (every 15 minutes when it spans under 28 days; after a"
          + " 7-day warm-up on traces longer than 10.5 days, else after 1 day) each model"
          + " forecasts from the 28 days before.",
      "Reports sMAPE (percent) at 10, 30 and 60 minutes ahead, on minutes with data, and at each"
          + " of those horizons the fraction of actuals at or below the p90 upper quantile"
          + " (its coverage: 0.9 when the band is calibrated).",
      "Fails (exit code 1) when nothing can be evaluated: a trace too short to score, or without"
          + " demand."
    })
final class ForecastEvalCommand implements Callable<Integer> {
  enum Format {
    table,
    json
  }

  @Spec CommandSpec spec;

  @Option(names = "--trace", paramLabel = "FILE|synthetic:NAME",
      description = "Trace CSV (default: built-in NASA trace)." + Traces.SYNTHETIC_HELP)
  Path trace;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(
      names = "--candidates",
      description = "Also score each method inferscale blends on its own (seasonal-profile,"
          + " holt-winters, last-value, mean-10m, mean-60m, damped-trend). The blend inferscale"
          + " chose (per band of horizons, each method's weight averaged over the origins) is"
          + " shown either way.")
  boolean candidates;

  @Override
  public Integer call() {
    ForecasterConfig config = ForecasterConfig.defaults();
    List<Model> models = new ArrayList<>();
    models.add(new Model("inferscale", Forecaster.standard(config)));
    models.add(
        new Model("seasonal-naive-week", Forecasters.seasonalNaive(Seasonality.WEEKLY, config)));
    models.add(
        new Model("seasonal-naive-day", Forecasters.seasonalNaive(Seasonality.DAILY, config)));
    models.add(new Model("last-value", Forecasters.lastValue(config)));
    if (candidates) {
      Forecasters.candidateForecasters(config).forEach((name, forecaster) ->
          models.add(new Model("candidate:" + name, forecaster)));
    }
    WalkForwardEvaluation.Result result =
        WalkForwardEvaluation.evaluate(Traces.load(spec, trace), models);
    if (result.status() != WalkForwardEvaluation.Status.OK) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("error: nothing to evaluate on " + result.trace() + ": " + result.message());
      err.flush();
      return 1;
    }
    PrintWriter out = spec.commandLine().getOut();
    if (format == Format.json) {
      out.println(json(result));
    } else {
      printTable(out, result);
    }
    out.flush();
    return 0;
  }

  private static String json(WalkForwardEvaluation.Result result) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("trace", result.trace());
    root.put("horizons", result.horizons());
    root.put("status", result.status());
    List<Map<String, Object>> models = new ArrayList<>();
    for (ModelScore score : result.models()) {
      Map<String, Object> model = new LinkedHashMap<>();
      model.put("name", score.name());
      Map<String, Double> smape = new LinkedHashMap<>();
      for (int h : result.horizons()) {
        smape.put(Integer.toString(h), finiteOrNull(score.smapePercent().get(h)));
      }
      model.put("smape", smape);
      model.put("upperCoverage", finiteOrNull(score.upperCoverage()));
      Map<String, Double> coverage = new LinkedHashMap<>();
      for (int h : result.horizons()) {
        coverage.put(Integer.toString(h), finiteOrNull(score.upperCoverageByHorizon().get(h)));
      }
      model.put("upperCoverageByHorizon", coverage);
      model.put("scoredOrigins", score.scoredOrigins());
      if (!score.meanBlend().isEmpty()) {
        List<Map<String, Object>> bands = new ArrayList<>();
        score.meanBlend().forEach((through, weights) -> {
          Map<String, Object> band = new LinkedHashMap<>();
          band.put("throughMinute", through == Integer.MAX_VALUE ? null : through);
          band.put("meanWeights", weights);
          bands.add(band);
        });
        model.put("blend", bands);
      }
      models.add(model);
    }
    root.put("models", models);
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write the result as JSON", e);
    }
  }

  private static Double finiteOrNull(double value) {
    return Double.isFinite(value) ? value : null;
  }

  private static void printTable(PrintWriter out, WalkForwardEvaluation.Result result) {
    out.printf("trace: %s%n", result.trace());
    out.printf(
        "warm-up: %d minutes; re-fit every %d minutes from the 28 days before%n",
        result.warmUpMinutes(), result.refitMinutes());
    out.printf("%-26s", "model");
    for (int h : result.horizons()) {
      out.printf(" %12s", "sMAPE@" + h + "m %");
    }
    for (int h : result.horizons()) {
      out.printf(" %9s", "p90@" + h + "m");
    }
    out.printf(" %8s%n", "origins");
    boolean unscored = false;
    for (ModelScore score : result.models()) {
      out.printf("%-26s", score.name());
      for (int h : result.horizons()) {
        double smape = score.smapePercent().get(h);
        unscored |= Double.isNaN(smape);
        out.printf(" %12s", orDash("%.2f", smape));
      }
      for (int h : result.horizons()) {
        out.printf(" %9s", orDash("%.3f", score.upperCoverageByHorizon().get(h)));
      }
      out.printf(" %8d%n", score.scoredOrigins());
    }
    if (unscored) {
      out.printf("- not scored: the model needs more history than the trace has, or the horizon"
          + " runs past the trace's end%n");
    }
    for (ModelScore score : result.models()) {
      if (!score.meanBlend().isEmpty()) {
        printBlend(out, score);
      }
    }
  }

  /** One row per candidate, one column per band: its weight averaged over the origins. */
  private static void printBlend(PrintWriter out, ModelScore score) {
    out.printf("%n%s blends its candidates per band of minutes ahead (mean weight):%n", score.name());
    out.printf("%-20s", "candidate");
    int from = 1;
    for (int through : score.meanBlend().keySet()) {
      out.printf(" %10s", through == Integer.MAX_VALUE ? from + "+" : from + "-" + through);
      from = through + 1;
    }
    out.println();
    Map<String, Map<Integer, Double>> byCandidate = new LinkedHashMap<>();
    score.meanBlend().forEach((through, weights) -> weights.forEach((name, weight) ->
        byCandidate.computeIfAbsent(name, n -> new LinkedHashMap<>()).put(through, weight)));
    byCandidate.forEach((name, weights) -> {
      out.printf("%-20s", name);
      weights.values().forEach(weight -> out.printf(" %10s", String.format(Locale.ROOT, "%.2f", weight)));
      out.println();
    });
  }

  private static String orDash(String format, double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
  }
}
