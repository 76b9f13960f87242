package inferscale.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import inferscale.backtest.Backtest;
import inferscale.backtest.Backtest.PerInstanceCapacity;
import inferscale.backtest.BacktestParameters;
import inferscale.backtest.BacktestReport;
import inferscale.backtest.Frontier;
import inferscale.backtest.PolicyResult;
import inferscale.control.PortFailure;
import inferscale.decision.InvalidPolicyException;
import inferscale.decision.PolicyConfig;
import inferscale.decision.PolicyConfigParser;
import inferscale.decision.Timing;
import inferscale.forecast.Forecaster;
import inferscale.forecast.Seasonality;
import inferscale.json.Json;
import inferscale.planning.FloorSchedule;
import inferscale.sizing.Quantities;
import inferscale.trace.Trace;
import inferscale.trace.TraceCsv;
import inferscale.units.RequestRate;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
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
      "With --endpoint it runs on a SageMaker endpoint variant's own history, read from"
          + " CloudWatch with your AWS credentials and region (AWS_PROFILE, AWS_REGION, ...;"
          + " AWS_ENDPOINT_URL is honoured), with its instance type, its scaling today and the"
          + " policy of its deployed InferScale stack, and adds a sixth row, actual: what the"
          + " endpoint's own scaling cost and left unserved under the same capacity model.",
      ""
    })
final class BacktestCommand implements Callable<Integer> {
  /** Bounds and the endpoint's own scaling: shown, not contenders. */
  private static final List<String> REFERENCES =
      List.of("static-peak", "clairvoyant", Backtest.ACTUAL);

  private static final Timing DEFAULT_TIMING = BacktestParameters.defaults().timing();
  private static final double DEFAULT_UTILIZATION = BacktestParameters.defaults()
      .targetUtilization();

  /** Builds the AWS readers only for --endpoint, so other runs need no AWS configuration. */
  private final Supplier<EndpointRecords> endpointRecords;

  @Spec CommandSpec spec;

  @Option(names = "--trace", paramLabel = "FILE|synthetic:NAME",
      description = "Per-minute CSV with columns minute,requests (and optionally timestamp,"
          + "input_tokens,output_tokens,instances); minutes absent from the file are gaps."
          + " Default: the built-in NASA trace." + Traces.SYNTHETIC_HELP)
  Path traceFile;

  @Option(names = "--endpoint", paramLabel = "NAME",
      description = "Backtest on this SageMaker endpoint's own per-minute history instead of a"
          + " trace (not with --trace).")
  String endpointName;

  @Option(names = "--variant", paramLabel = "NAME",
      description = "With --endpoint: the production variant (default: AllTraffic).")
  String variantName;

  @Option(names = "--days", paramLabel = "N",
      description = "With --endpoint: days of history up to the last whole minute, 1 to "
          + EndpointRecords.MAX_DAYS + " (CloudWatch keeps 1-minute data for 15 days)"
          + " (default: " + EndpointRecords.MAX_DAYS + ").")
  Integer days;

  @Option(names = "--save-trace", paramLabel = "FILE",
      description = "With --endpoint: also write the history read as a trace CSV (with the"
          + " instance counts), to repeat the run offline with --trace.")
  Path saveTrace;

  @Option(names = "--rps-per-instance", paramLabel = "RPS",
      description = "Requests per second one instance serves within the latency SLO, from a load"
          + " test: each instance's capacity mu. Default: the policy's"
          + " targets.maxRpsPerInstance, else the trace's p99 minute over --peak-instances"
          + " (figures then relative, not the hardware's).")
  Double rpsPerInstance;

  @Option(names = "--peak-instances", paramLabel = "N", defaultValue = "20",
      description = "Without --rps-per-instance or a policy's maxRpsPerInstance: instances needed"
          + " at the trace's 99th-percentile minute, so mu = p99 / N requests per minute"
          + " (default: ${DEFAULT-VALUE}).")
  int peakInstances;

  @Option(names = "--min-instances", paramLabel = "N",
      description = "Fewest instances of target tracking (and of InferScale, unless the policy"
          + " sets its bounds). Default: the endpoint's scalable target's, else 1.")
  Integer minInstances;

  @Option(names = "--max-instances", paramLabel = "N",
      description = "Most instances, likewise. Default: the endpoint's scalable target's, else 4"
          + " times the instances the p99 minute needs.")
  Integer maxInstances;

  @Option(names = "--policy", paramLabel = "JSON",
      description = "InferScale's policy overrides, as in the schedule payload, e.g."
          + " '{\"budget\": {\"unservedPercent\": 0.5}}'. Rates are requests a second: a"
          + " target (targets.rpsPerInstance) needs a capacity in the same unit (--rps-per-instance"
          + " or targets.maxRpsPerInstance). With --endpoint the default is the policy of the"
          + " InferScale stack deployed for it, if any.")
  String policy;

  @Option(names = "--schedules", paramLabel = "JSON",
      description = "InferScale's explicit floors, as in the scaler's request: an array of"
          + " {name, cron, timeZone, minInstances} in AWS cron syntax, e.g. '[{\"name\":"
          + " \"batch\", \"cron\": \"0-19 2 ? * TUE,THU *\", \"timeZone\": \"UTC\","
          + " \"minInstances\": 20}]'. The reactive and inferscale policies keep them (from a"
          + " lead early, as deployed); target tracking does not. With --endpoint a deployed"
          + " stack's schedules are not read: give them here.")
  String schedules;

  @Option(names = "--scale-to-zero", paramLabel = "IDLE_MIN",
      description = "Let InferScale scale to zero (an inference component's copies) after this"
          + " many minutes without a request, as the policy's bounds.scaleToZeroAfterMinutes"
          + " with bounds.minInstances 0; requests that arrive while nothing serves are unserved"
          + " until the first instance is ready. Target tracking keeps its minimum (default 1).")
  Integer scaleToZeroMinutes;

  @Option(names = "--cold-start", paramLabel = "MIN",
      description = "Minutes from asking for an instance to it serving; billed from the request"
          + " (default: the policy's timing.coldStartMinutes, else 8).")
  Integer coldStartMinutes;

  @Option(names = "--metric-delay", paramLabel = "MIN",
      description = "Minutes before a minute's metrics reach the controllers"
          + " (default: the policy's, else 2); 0: each minute's metrics are seen within it, the"
          + " bound on what fresher data can buy. The fast path (a policy with"
          + " targets.concurrencyPerInstance) is modelled with the delay as it is: RPS carried"
          + " into the current minute by the in-flight requests, and a second cycle in each"
          + " minute the burst alarm fires.")
  Integer metricDelayMinutes;

  @Option(names = "--forecast-interval", paramLabel = "MIN",
      description = "Minutes between forecaster runs, as the ForecastIntervalMinutes the stack is"
          + " deployed with (default: the policy's, else 15).")
  Integer forecastIntervalMinutes;

  @Option(names = "--target-utilization", paramLabel = "U",
      description = "Share of mu that target tracking, and InferScale unless its policy sets"
          + " targets.rpsPerInstance, aim for per instance (default: with --endpoint, its"
          + " target-tracking policy's target over mu, at most 1; else 0.7).")
  Double targetUtilization;

  @Option(names = "--sweep",
      description = "Instead of one row per policy, the cost-unserved frontier: target tracking"
          + " and InferScale each at target utilisations 0.4 to 0.9, InferScale also led by its"
          + " forecast (targets.floorBand 0.2 to 1, the target at what one instance serves) and"
          + " holding unserved budgets of 0.1 to 5 %% (moving its target; with --policy"
          + " '{\"targets.floorBand\":0.65}', forecast-led, moving the band), and for each"
          + " target-tracking point what InferScale costs at the same unserved demand on each of"
          + " its frontiers. With --chart, draws the frontiers. Runs side by side on the cores.")
  boolean sweep;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  OutputFormat format;

  @Option(names = "--chart", paramLabel = "FILE",
      description = "Also draw demand and each policy's serving capacity, with a zoom on the"
          + " busiest day, to FILE.svg or FILE.png, in a folder that exists; the path written is"
          + " confirmed on stderr.")
  Path chart;

  BacktestCommand() {
    this(() -> DaggerCliAwsComponent.create().endpointRecords());
  }

  BacktestCommand(Supplier<EndpointRecords> endpointRecords) {
    this.endpointRecords = endpointRecords;
  }

  @Override
  public Integer call() throws IOException {
    checkSource();
    JsonNode overrides = InferScaleCli.policyJson(spec, policy);
    List<FloorSchedule> floors = floorSchedules();
    if (chart != null) {
      BacktestChart.checkTarget(spec, chart);
    }
    if (saveTrace != null) {
      OutputFiles.checkWritable(spec, "--save-trace", saveTrace);
    }
    EndpointBacktest endpoint = null;
    Trace trace;
    if (endpointName != null) {
      AwsSetup aws;
      try {
        aws = AwsSetup.resolve();
      } catch (AwsSetup.Problem e) {
        return InferScaleCli.failed(spec, e.getMessage());
      }
      try {
        endpoint = EndpointBacktest.read(endpointRecords.get(), endpointName,
            variantName == null ? "AllTraffic" : variantName, days == null ? EndpointRecords.MAX_DAYS : days);
      } catch (PortFailure e) {
        return InferScaleCli.failed(spec, aws.explain(e));
      } catch (EndpointBacktest.NoHistory e) {
        return InferScaleCli.failed(spec, e.getMessage());
      }
      if (overrides == null && endpoint.deployed() != null) {
        overrides = endpoint.deployed().policy();
        List<String> invalid = BacktestParameters.defaults()
            .withEndpoint(null, null, null, overrides).problems();
        if (!invalid.isEmpty()) {
          return InferScaleCli.failed(spec, "the policy in schedule "
              + endpoint.deployed().scheduleName() + " is invalid: " + String.join("; ", invalid)
              + "; give one with --policy");
        }
      }
      trace = endpoint.trace();
    } else {
      trace = Traces.load(spec, traceFile);
    }
    List<String> warnings = new ArrayList<>();
    if (scaleToZeroMinutes != null) {
      overrides = scaleToZero(overrides, scaleToZeroMinutes, warnings);
    }
    BacktestParameters parameters;
    BacktestReport report = null;
    Frontier frontier = null;
    try {
      parameters = parameters(trace, overrides, endpoint, warnings).withSchedules(floors);
      if (sweep) {
        frontier = Frontier.sweep(trace, parameters, Forecaster.standard());
      } else {
        report = Backtest.run(trace, parameters, Forecaster.standard());
      }
    } catch (Backtest.TargetAboveCapacity e) {
      // Valid on its own, not with this capacity: the policy, or the capacity, to change.
      throw new ParameterException(spec.commandLine(), policySource() + e.getMessage()
          + (e.relative() ? "; give --rps-per-instance, what one instance serves, to run a"
              + " target in requests a second" : ""));
    } catch (InvalidPolicyException e) {
      throw new ParameterException(spec.commandLine(),
          policySource() + String.join("; ", e.problems()));
    } catch (IllegalArgumentException e) {
      // The endpoint's own history is no input the user typed: a failure, not a usage error.
      if (endpoint != null) {
        return InferScaleCli.failed(spec, "endpoint " + endpointName + ": " + e.getMessage());
      }
      throw new ParameterException(spec.commandLine(), "--trace: " + e.getMessage());
    }
    PrintWriter err = spec.commandLine().getErr();
    if (endpoint != null && saveTrace != null) {
      try {
        saveTrace(trace, parameters);
      } catch (IOException e) {
        return InferScaleCli.failed(spec, "--save-trace: cannot write " + saveTrace + ": "
            + e.getMessage());
      }
    }
    warnings.forEach(err::println);
    if (endpoint != null) {
      endpoint.notes(frontier != null ? frontier.parameters() : report.parameters())
          .forEach(err::println);
    }
    err.flush();
    PrintWriter out = spec.commandLine().getOut();
    if (frontier != null) {
      printFrontier(out, frontier);
      out.flush();
      Frontier swept = frontier;
      return chart == null ? 0 : writeChart(() -> FrontierChart.write(swept, chart));
    }
    if (format == OutputFormat.json) {
      ObjectNode json = Json.mapper().createObjectNode();
      if (endpoint != null) {
        json.set("endpoint", endpoint.json(report));
      }
      json.setAll((ObjectNode) new ObjectMapper().valueToTree(report));
      out.println(new ObjectMapper().writeValueAsString(json));
    } else {
      if (endpoint != null) {
        endpoint.printHeader(out, report);
      }
      printTable(out, report);
      printBudget(out, report, parameters);
    }
    out.flush();
    BacktestReport scored = report;
    return chart == null ? 0 : writeChart(() -> BacktestChart.write(scored, chart));
  }

  /** Both frontiers, and what InferScale saves at each target-tracking point. */
  private void printFrontier(PrintWriter out, Frontier frontier) throws JsonProcessingException {
    if (format == OutputFormat.json) {
      out.println(new ObjectMapper().writeValueAsString(frontier));
      return;
    }
    out.printf(Locale.ROOT, "Frontier of %s: cost ratio and unserved %% at each target"
        + " utilisation%n", frontier.trace());
    BacktestReport.Parameters p = frontier.parameters();
    out.printf(Locale.ROOT, "mu %.3f requests/min per instance (%s); cold start %d min; metric"
        + " delay %d min; scored from minute %d; clairvoyant %.3f at 0 %% unserved%n%n",
        p.muPerInstance(), capacitySource(p), p.coldStartMinutes(), p.metricDelayMinutes(),
        p.scoredFromMinute(), frontier.clairvoyant().costRatio());
    out.printf(Locale.ROOT, "%-6s %20s %20s   %s%n", "TARGET", "TARGET-TRACKING",
        "INFERSCALE", "AT TARGET TRACKING'S UNSERVED %: COST (SAVING)");
    out.printf(Locale.ROOT, "%-6s %9s %10s %9s %10s   %-22s %-22s %-22s %-22s%n", "", "COST",
        "UNSERVED %", "COST", "UNSERVED %", "INFERSCALE SWEPT", "FORECAST-LED",
        "INFERSCALE BUDGET", "FLOOR (ANY POLICY)");
    for (int i = 0; i < frontier.targetTracking().size(); i++) {
      Frontier.Point tracking = frontier.targetTracking().get(i);
      Frontier.Point inferscale = frontier.inferscale().get(i);
      Frontier.Saving saving = frontier.savings().get(i);
      out.printf(Locale.ROOT, "%-6.1f %9.3f %10.3f %9.3f %10.3f   %-22s %-22s %-22s %-22s%n",
          tracking.knob(), tracking.costRatio(), tracking.unservedPct(), inferscale.costRatio(),
          inferscale.unservedPct(), costAndSaving(saving.inferscaleCostRatio(),
              saving.savingPercent()),
          costAndSaving(saving.forecastLedCostRatio(), saving.forecastLedSavingPercent()),
          costAndSaving(saving.budgetCostRatio(), saving.budgetSavingPercent()),
          costAndSaving(saving.floorCostRatio(), saving.floorSavingPercent()));
    }
    out.printf(Locale.ROOT, "%n%-16s %9s %10s %18s%n", "BUDGET (UNSERVED)", "COST",
        "UNSERVED %", "REALISED / BUDGET");
    for (Frontier.Point point : frontier.inferscaleBudget()) {
      out.printf(Locale.ROOT, "%-16s %9.3f %10.3f %18.2f%n",
          String.format(Locale.ROOT, "%.1f %%", point.knob()), point.costRatio(),
          point.unservedPct(), point.unservedPct() / point.knob());
    }
    StringBuilder bands = new StringBuilder();
    for (Frontier.Point point : frontier.inferscaleForecastLed()) {
      bands.append(String.format(Locale.ROOT, "  %.2f: %.3f / %.3f %%", point.knob(),
          point.costRatio(), point.unservedPct()));
    }
    out.printf(Locale.ROOT, "%nForecast-led (the floor at the expected forecast plus"
        + " targets.floorBand of its band, the target at what one instance serves), cost /"
        + " unserved:%s%n", bands);
    out.printf(Locale.ROOT, "%nInferScale's cost at target tracking's unserved demand is"
        + " interpolated on InferScale's efficient points, linear in cost and log in unserved;"
        + " outside them, not extrapolated (-).%nThe floor is the least any policy can cost"
        + " there: a fleet that knows every minute's demand, billed from the ask as every policy"
        + " is, leaving short the minutes cheapest to leave short.%nSimulated %d runs in %.1f"
        + " s.%n",
        1 + 2 * frontier.targetTracking().size() + frontier.inferscaleForecastLed().size()
            + frontier.inferscaleBudget().size(),
        frontier.elapsedSeconds());
  }

  private static String costAndSaving(Double cost, Double saving) {
    return cost == null ? "-" : String.format(Locale.ROOT, "%.3f (%.1f %%)", cost, saving);
  }

  /** Where the policy a problem names came from, as the message's prefix. */
  private String policySource() {
    return policy != null ? "--policy: " : "the policy deployed for the endpoint: ";
  }

  /** One source of traffic, and the endpoint-only options only with it. */
  private void checkSource() {
    if (endpointName != null && traceFile != null) {
      throw new ParameterException(spec.commandLine(),
          "--trace and --endpoint are alternatives: give one");
    }
    if (endpointName == null) {
      for (var option : List.of(
          new Object[] {"--variant", variantName}, new Object[] {"--days", days},
          new Object[] {"--save-trace", saveTrace})) {
        if (option[1] != null) {
          throw new ParameterException(spec.commandLine(), option[0] + " needs --endpoint");
        }
      }
    }
    if (days != null) {
      EndpointRecords.checkDays(spec, days);
    }
    if (scaleToZeroMinutes != null && scaleToZeroMinutes < 1) {
      throw new ParameterException(spec.commandLine(),
          "--scale-to-zero must be at least 1 idle minute, got " + scaleToZeroMinutes);
    }
    if (sweep && targetUtilization != null) {
      throw new ParameterException(spec.commandLine(),
          "--sweep sweeps the target utilisation itself: leave --target-utilization out");
    }
  }


  /**
   * The flags, else what the policy and the endpoint say, else the defaults; every problem named
   * by its flag.
   */
  private BacktestParameters parameters(Trace trace, JsonNode overrides,
      EndpointBacktest endpoint, List<String> warnings) {
    Timing policyTiming = policyTiming(overrides);
    Timing timing = new Timing(
        coldStartMinutes != null ? coldStartMinutes : policyTiming.coldStartMinutes(),
        metricDelayMinutes != null ? metricDelayMinutes : policyTiming.metricDelayMinutes(),
        forecastIntervalMinutes != null ? forecastIntervalMinutes
            : policyTiming.forecastIntervalMinutes());
    EndpointRecords.TodaysScaling today = endpoint == null ? null : endpoint.todaysScaling();
    BacktestParameters parameters = new BacktestParameters(peakInstances, timing,
        targetUtilization != null ? targetUtilization : DEFAULT_UTILIZATION)
        .withEndpoint(rpsPerInstance,
            minInstances != null ? minInstances : today == null ? null : today.minInstances(),
            maxInstances != null ? maxInstances : today == null ? null : today.maxInstances(),
            overrides);
    checked(parameters);
    if (targetUtilization == null && today != null
        && today.invocationsPerInstanceTarget() != null) {
      double mu = Backtest.capacity(trace, parameters).requestsPerMinute();
      double utilization = today.invocationsPerInstanceTarget() / mu;
      if (utilization > 1) {
        warnings.add(String.format(Locale.ROOT, "warning: target tracking's target, %.1f"
            + " invocations a minute per instance, is above what one instance serves (mu %.1f):"
            + " the target-tracking row aims at mu instead", today.invocationsPerInstanceTarget(),
            mu));
      }
      parameters = new BacktestParameters(parameters.peakInstances(), parameters.timing(),
          Math.min(1, utilization))
          .withEndpoint(parameters.rpsPerInstance(), parameters.minInstances(),
              parameters.maxInstances(), parameters.policyOverrides());
      checked(parameters);
    }
    PolicyConfigParser.Parsed parsed = overrides == null ? null
        : BacktestParameters.readWithStandInCapacity(overrides, timing);
    PolicyConfig own = parsed == null ? null : parsed.policy();
    if (parsed != null) {
      warnings.addAll(InferScaleCli.deprecationNotes(parsed.deprecatedFields(), policy != null));
    }
    Double ownTarget = own == null ? null : BacktestParameters.ownTarget(own);
    Double ownCapacity = own == null ? null : BacktestParameters.ownCapacity(own);
    if (rpsPerInstance != null && ownCapacity != null
        && Math.abs(ownCapacity - rpsPerInstance) > 1e-9 * rpsPerInstance) {
      warnings.add("note: --rps-per-instance (" + Quantities.plain(rpsPerInstance) + " a second)"
          + " is what every policy's instances serve here; InferScale's floor and budget still"
          + " take the policy's targets.maxRpsPerInstance (" + Quantities.plain(ownCapacity)
          + ") as what one serves");
    }
    if (parsed != null) {
      parsed.unusedBudgetBounds(sweep).forEach(unused -> warnings.add("note: " + unused));
    }
    if (sweep && own != null && own.budget().unservedPercent() != null) {
      warnings.add("note: --sweep holds budgets of " + Frontier.BUDGETS.stream()
          .map(String::valueOf).collect(Collectors.joining(", "))
          + " % itself: the policy's budget.unservedPercent is not used, its bounds are");
    }
    if (sweep && ownTarget != null) {
      warnings.add("note: --sweep sets the target itself: the policy's targets.rpsPerInstance is"
          + " not used");
    }
    if (sweep && trace.length() < Seasonality.DAILY.periodMinutes()) {
      warnings.add(String.format(Locale.ROOT, "note: the trace covers %d minute%s, less than a"
          + " day: a few minutes decide every point, and the savings say little about the"
          + " traffic", trace.length(), trace.length() == 1 ? "" : "s"));
    }
    PerInstanceCapacity capacity = Backtest.capacity(trace, parameters);
    Double aboveMu = own == null ? null : Backtest.targetAboveMu(own, capacity);
    if (!sweep && aboveMu != null && capacity.source().equals(PerInstanceCapacity.P99_DEFAULT)) {
      warnings.add(String.format(Locale.ROOT, "note: the policy's targets.rpsPerInstance (%s a"
          + " second) is above mu, %.4g a second, a relative figure here (the trace's p99 minute"
          + " over %d instances): InferScale runs as deployed, and --rps-per-instance, what one"
          + " instance serves, makes the run like for like", aboveMu,
          RequestRate.ofPerMinute(capacity.requestsPerMinute()).perSecond(),
          parameters.peakInstances()));
    }
    if (!sweep && parameters.targetUtilization() < 1 && own != null
        && own.targets().floorBand() != null && own.budget().unservedPercent() != null
        && ownTarget == null) {
      warnings.add(String.format(Locale.ROOT, "note: with targets.floorBand the budget moves"
          + " the band and leaves the target at %.0f %% of mu, which may leave the budget"
          + " unspent; --target-utilization 1 runs the forecast-led point the sweep runs",
          100 * parameters.targetUtilization()));
    }
    return parameters;
  }

  /** The overrides with InferScale's bounds letting it scale to zero after the idle minutes. */
  private static JsonNode scaleToZero(JsonNode overrides, int idleMinutes,
      List<String> warnings) {
    JsonNode kept = overrides;
    for (String path : List.of("bounds.minInstances", "bounds.scaleToZeroAfterMinutes")) {
      JsonNode without = PolicyConfigParser.without(kept, path);
      if (without != null && !without.equals(kept)) {
        warnings.add("note: --scale-to-zero replaces the policy's " + path);
      }
      kept = without;
    }
    if (kept != null && !kept.isObject()) {
      return kept; // no policy: the policy's check says so
    }
    ObjectNode policy = kept == null ? Json.mapper().createObjectNode()
        : ((ObjectNode) kept).deepCopy();
    JsonNode given = policy.get("bounds");
    if (given != null && !given.isObject()) {
      return policy; // bounds that are no group: the policy's check says so
    }
    ObjectNode bounds = given != null ? (ObjectNode) given : policy.putObject("bounds");
    bounds.put("minInstances", 0).put("scaleToZeroAfterMinutes", idleMinutes);
    return policy;
  }

  /** The policy's timing over the backtest's defaults; a bad policy is reported with the rest. */
  private static Timing policyTiming(JsonNode overrides) {
    if (overrides == null) {
      return DEFAULT_TIMING;
    }
    try {
      return BacktestParameters.withStandInCapacity(overrides, DEFAULT_TIMING).timing();
    } catch (InvalidPolicyException e) {
      return DEFAULT_TIMING;
    }
  }

  /** The --schedules floors, none when it is left out; every problem named by its entry. */
  private List<FloorSchedule> floorSchedules() {
    if (schedules == null) {
      return List.of();
    }
    if (schedules.isBlank()) {
      // An unset shell variable, most likely: not the same as leaving --schedules out.
      throw new ParameterException(spec.commandLine(),
          "--schedules is empty: give a JSON array, or leave --schedules out for none");
    }
    JsonNode json = InferScaleCli.optionJson(spec, "--schedules", schedules);
    if (!json.isArray()) {
      throw new ParameterException(spec.commandLine(), "--schedules must be a JSON array of"
          + " {name, cron, timeZone, minInstances}, got " + json);
    }
    List<String> problems = new ArrayList<>();
    List<FloorSchedule> floors = FloorSchedule.fromJson(json, problems);
    if (!problems.isEmpty()) {
      throw new ParameterException(spec.commandLine(),
          "invalid options: --schedules: " + String.join("; ", problems));
    }
    return floors;
  }

  private void checked(BacktestParameters parameters) {
    List<String> problems = parameters.problems();
    if (!problems.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "invalid options: " + String.join("; ",
          problems.stream().map(BacktestCommand::asFlag).toList()));
    }
  }

  /** The history as a trace CSV, and the command that repeats this run offline on it. */
  private void saveTrace(Trace trace, BacktestParameters parameters) throws IOException {
    OutputFiles.replace(saveTrace, temporary -> {
      try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
        TraceCsv.write(trace, writer);
      }
    });
    PrintWriter err = spec.commandLine().getErr();
    err.println("trace saved to " + saveTrace + " (" + trace.length() + " minutes); repeat"
        + " offline with:");
    err.println("  inferscale backtest " + String.join(" ",
        offlineArguments(parameters).stream().map(BacktestCommand::shellQuoted).toList()));
  }

  /** As a POSIX shell reads it back: single quotes where anything but plain characters. */
  static String shellQuoted(String argument) {
    return argument.matches("[A-Za-z0-9_./:=@%+,-]+") ? argument
        : "'" + argument.replace("'", "'\\''") + "'";
  }

  /** Every parameter this run used, as flags. */
  private List<String> offlineArguments(BacktestParameters p) {
    List<String> args = new ArrayList<>(List.of("--trace", saveTrace.toString(),
        "--peak-instances", Integer.toString(p.peakInstances()),
        "--cold-start", Integer.toString(p.timing().coldStartMinutes()),
        "--metric-delay", Integer.toString(p.timing().metricDelayMinutes()),
        "--forecast-interval", Integer.toString(p.timing().forecastIntervalMinutes())));
    // A sweep chooses the targets itself.
    args.addAll(sweep ? List.of("--sweep")
        : List.of("--target-utilization", Double.toString(p.targetUtilization())));
    if (p.rpsPerInstance() != null) {
      args.addAll(List.of("--rps-per-instance", Double.toString(p.rpsPerInstance())));
    }
    if (p.minInstances() != null) {
      args.addAll(List.of("--min-instances", Integer.toString(p.minInstances())));
    }
    if (p.maxInstances() != null) {
      args.addAll(List.of("--max-instances", Integer.toString(p.maxInstances())));
    }
    if (p.policyOverrides() != null) {
      args.addAll(List.of("--policy", p.policyOverrides().toString()));
    }
    if (schedules != null) {
      args.addAll(List.of("--schedules", schedules));
    }
    return args;
  }

  /** A chart, drawn once the figures are out. */
  private interface ChartWriter {
    Path write() throws IOException;
  }

  /** The figures are out already: a chart that cannot be written costs only itself. */
  private int writeChart(ChartWriter writer) {
    PrintWriter err = spec.commandLine().getErr();
    try {
      err.println("chart written to " + writer.write());
      return 0;
    } catch (IOException e) {
      err.println("error: --chart: cannot write " + chart + ": " + e.getMessage());
      return 1;
    } finally {
      err.flush();
    }
  }

  /**
   * Where mu comes from; a rate given a second (a load test, the policy's) also as given, since
   * the header counts a minute.
   */
  private static String capacitySource(BacktestReport.Parameters p) {
    if (p.capacitySource().equals(PerInstanceCapacity.P99_DEFAULT)) {
      return "p99 minute over " + p.peakInstances() + " instances";
    }
    // Six significant digits undo the minute's arithmetic without rounding what was typed.
    BigDecimal perSecond = new BigDecimal(RequestRate.ofPerMinute(p.muPerInstance()).perSecond())
        .round(new MathContext(6));
    return "from " + p.capacitySource() + ", " + perSecond.stripTrailingZeros().toPlainString()
        + " a second";
  }

  /** A share of mu as the header prints it, e.g. "70.0 %". */
  private static String share(double utilization) {
    return String.format(Locale.ROOT, "%.1f %%", 100 * utilization);
  }

  private void printTable(PrintWriter out, BacktestReport report) {
    BacktestReport.Parameters p = report.parameters();
    String target = share(p.targetUtilization());
    String inferscaleTarget = share(p.inferscaleTargetUtilization());
    out.printf(Locale.ROOT, "Backtest of %s%n", report.trace());
    out.printf(Locale.ROOT,
        "mu %.3f requests/min per instance (%s); target %s; instances %s; cold start"
            + " %d min; metric delay %d min; scored from minute %d%n%n",
        p.muPerInstance(), capacitySource(p),
        target + " of mu"
            + (inferscaleTarget.equals(target) ? "" : " (InferScale's policy: " + inferscaleTarget
                + ")"),
        range(p.bounds()) + (p.bounds().equals(p.inferscaleBounds())
            ? "" : " (InferScale's policy: " + range(p.inferscaleBounds()) + ")"),
        p.coldStartMinutes(), p.metricDelayMinutes(), p.scoredFromMinute());
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
    out.printf(Locale.ROOT, "%n* best among %s; static-peak and clairvoyant are bounds%s, not"
        + " contenders. Cost ratio 1.0 = the instances each minute needed.%n",
        String.join(", ", contenders.stream().map(PolicyResult::name).toList()),
        policies.size() > contenders.size() + 2 ? " and actual is what the endpoint did" : "");
    out.printf(Locale.ROOT, "Simulated %d policies in %.1f s.%n", policies.size(),
        report.elapsedSeconds());
  }

  /** With a budget in the policy: what InferScale left unserved, against the budget. */
  private static void printBudget(PrintWriter out, BacktestReport report,
      BacktestParameters parameters) {
    if (parameters.policyOverrides() == null) {
      return;
    }
    Double budget = BacktestParameters.withStandInCapacity(parameters.policyOverrides(),
        parameters.timing()).budget().unservedPercent();
    if (budget == null) {
      return;
    }
    report.policies().stream().filter(r -> r.name().equals("inferscale")).findFirst()
        .ifPresent(held -> out.printf(Locale.ROOT, "InferScale held budget.unservedPercent"
            + " %s %%: %.3f %% of the scored requests went unserved, %s (the budget's window is"
            + " 7 days: a shorter trace judges it on less).%n", budget, held.unservedPct(),
            timesTheBudget(held.unservedPct() / budget)));
  }

  /** Two decimals say nothing of a budget barely touched. */
  private static String timesTheBudget(double ratio) {
    return ratio > 0 && ratio < 0.005 ? "under a hundredth of the budget"
        : String.format(Locale.ROOT, "%.2f times the budget", ratio);
  }

  private static String range(PolicyConfig.Bounds bounds) {
    return bounds.minInstances() + " to " + bounds.maxInstances();
  }

  private static boolean isBest(
      List<PolicyResult> contenders, PolicyResult candidate, ToDoubleFunction<PolicyResult> metric) {
    double best = contenders.stream().mapToDouble(metric).min().orElse(Double.NaN);
    return metric.applyAsDouble(candidate) == best;
  }

  private static String marked(String value, boolean best) {
    return best ? value + "*" : value + " ";
  }

  /** Core names the parameters by field; the user typed flags, and the policy's own fields. */
  static String asFlag(String problem) {
    if (problem.startsWith("policy: ")) {
      return "--policy: " + problem.substring("policy: ".length());
    }
    return problem
        .replace("peakInstances", "--peak-instances")
        .replace("rpsPerInstance must", "--rps-per-instance must")
        .replace("minInstances", "--min-instances")
        .replace("maxInstances", "--max-instances")
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
