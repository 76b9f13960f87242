package inferscale.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import inferscale.backtest.Backtest;
import inferscale.backtest.BacktestParameters;
import inferscale.backtest.BacktestReport;
import inferscale.backtest.PolicyResult;
import inferscale.decision.Timing;
import inferscale.forecast.Forecaster;
import inferscale.trace.Trace;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code backtest}: what each policy would have done on a real traffic trace, and at what cost. */
@Command(
    name = "backtest",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Replay a per-minute request trace through static-peak, clairvoyant, target-tracking"
          + " (SageMaker's default target tracking), reactive (InferScale's engine without"
          + " forecast) and inferscale (everything on), with the same cold start, metric delay"
          + " and per-instance capacity for all, and score cost and unserved demand.",
      "Without --trace it runs on a built-in trace: NASA's web server, July-August 1995.",
      ""
    })
final class BacktestCommand implements Callable<Integer> {
  private static final List<String> REFERENCES = List.of("static-peak", "clairvoyant");

  @Spec CommandSpec spec;

  @Option(names = "--trace", paramLabel = "FILE",
      description = "Per-minute CSV with columns minute,requests (and optionally timestamp,"
          + "input_tokens,output_tokens); minutes absent from the file are gaps."
          + " Default: the built-in NASA trace.")
  Path traceFile;

  @Option(names = "--peak-instances", paramLabel = "N", defaultValue = "20",
      description = "Instances needed at the trace's 99th-percentile minute; sets each instance's"
          + " capacity mu = p99 / N requests per minute (default: ${DEFAULT-VALUE}).")
  int peakInstances;

  @Option(names = "--cold-start", paramLabel = "MIN", defaultValue = "8",
      description = "Minutes from asking for an instance to it serving; billed from the request"
          + " (default: ${DEFAULT-VALUE}).")
  int coldStartMinutes;

  @Option(names = "--metric-delay", paramLabel = "MIN", defaultValue = "2",
      description = "Minutes before a minute's metrics reach the controllers"
          + " (default: ${DEFAULT-VALUE}).")
  int metricDelayMinutes;

  @Option(names = "--forecast-interval", paramLabel = "MIN", defaultValue = "15",
      description = "Minutes between forecaster runs, as the ForecastIntervalMinutes the stack is"
          + " deployed with (default: ${DEFAULT-VALUE}).")
  int forecastIntervalMinutes;

  @Option(names = "--target-utilization", paramLabel = "U", defaultValue = "0.7",
      description = "Share of mu that target tracking and InferScale aim for per instance"
          + " (default: ${DEFAULT-VALUE}).")
  double targetUtilization;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  OutputFormat format;

  @Option(names = "--chart", paramLabel = "FILE",
      description = "Also draw demand and each policy's serving capacity, with a zoom on the"
          + " busiest day, to FILE.svg or FILE.png, in a folder that exists; the path written is"
          + " confirmed on stderr.")
  Path chart;

  @Override
  public Integer call() throws JsonProcessingException {
    BacktestParameters parameters = new BacktestParameters(peakInstances,
        new Timing(coldStartMinutes, metricDelayMinutes, forecastIntervalMinutes),
        targetUtilization);
    List<String> problems = parameters.problems();
    if (!problems.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "invalid options: " + String.join("; ",
          problems.stream().map(BacktestCommand::asFlag).toList()));
    }
    if (chart != null) {
      BacktestChart.checkTarget(spec, chart);
    }
    Trace trace = Traces.load(spec, traceFile);
    BacktestReport report;
    try {
      report = Backtest.run(trace, parameters, Forecaster.standard());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--trace: " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (format == OutputFormat.json) {
      out.println(new ObjectMapper().writeValueAsString(report));
    } else {
      printTable(out, report);
    }
    out.flush();
    return chart == null ? 0 : writeChart(report);
  }

  /** The report is out already: a chart that cannot be written costs only itself. */
  private int writeChart(BacktestReport report) {
    PrintWriter err = spec.commandLine().getErr();
    try {
      err.println("chart written to " + BacktestChart.write(report, chart));
      return 0;
    } catch (IOException e) {
      err.println("error: --chart: cannot write " + chart + ": " + e.getMessage());
      return 1;
    } finally {
      err.flush();
    }
  }

  private void printTable(PrintWriter out, BacktestReport report) {
    BacktestReport.Parameters p = report.parameters();
    out.printf(Locale.ROOT, "Backtest of %s%n", report.trace());
    out.printf(Locale.ROOT,
        "mu %.3f requests/min per instance (p99 minute over %d instances); cold start %d min;"
            + " metric delay %d min; scored from minute %d%n%n",
        p.muPerInstance(), p.peakInstances(), p.coldStartMinutes(), p.metricDelayMinutes(),
        p.scoredFromMinute());
    out.printf(Locale.ROOT, "%-16s %15s %11s %11s %17s %13s%n", "POLICY", "INSTANCE-HOURS",
        "COST RATIO", "UNSERVED %", "UNDER-PROV MIN %", "SCALE EVENTS");
    List<PolicyResult> policies = report.policies();
    List<PolicyResult> contenders = policies.stream()
        .filter(r -> !REFERENCES.contains(r.name())).toList();
    for (PolicyResult r : policies) {
      boolean contender = contenders.contains(r);
      out.printf(Locale.ROOT, "%-16s %15s %11s %11s %17s %13s%n", r.name(),
          marked(String.format(Locale.ROOT, "%,.1f", r.instanceHours()),
              contender && isBest(contenders, r, PolicyResult::instanceHours)),
          marked(String.format(Locale.ROOT, "%.3f", r.costRatio()),
              contender && isBest(contenders, r, PolicyResult::costRatio)),
          marked(String.format(Locale.ROOT, "%.3f", r.unservedPct()),
              contender && isBest(contenders, r, PolicyResult::unservedPct)),
          marked(String.format(Locale.ROOT, "%.2f", r.underProvisionedMinutesPct()),
              contender && isBest(contenders, r, PolicyResult::underProvisionedMinutesPct)),
          marked(Integer.toString(r.scaleEvents()),
              contender && isBest(contenders, r, x -> x.scaleEvents())));
    }
    out.printf(Locale.ROOT, "%n* best among %s; static-peak and clairvoyant are bounds, not"
        + " contenders. Cost ratio 1.0 = the instances each minute needed.%n",
        String.join(", ", contenders.stream().map(PolicyResult::name).toList()));
    out.printf(Locale.ROOT, "Simulated %d policies in %.1f s.%n", policies.size(),
        report.elapsedSeconds());
  }

  private static boolean isBest(
      List<PolicyResult> contenders, PolicyResult candidate, ToDoubleFunction<PolicyResult> metric) {
    double best = contenders.stream().mapToDouble(metric).min().orElse(Double.NaN);
    return metric.applyAsDouble(candidate) == best;
  }

  private static String marked(String value, boolean best) {
    return best ? value + "*" : value + " ";
  }

  /** Core names the parameters by field; the user typed flags. */
  private static String asFlag(String problem) {
    return problem
        .replace("peakInstances", "--peak-instances")
        .replace("coldStartMinutes", "--cold-start")
        .replace("metricDelayMinutes", "--metric-delay")
        .replace("forecastIntervalMinutes", "--forecast-interval")
        .replace("targetUtilization", "--target-utilization");
  }

  enum OutputFormat {
    table,
    json
  }
}
