package inferscale.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import inferscale.aws.adapters.InferScaleMetrics;
import inferscale.aws.adapters.ScalerRecords;
import inferscale.backtest.Backtest.PerInstanceCapacity;
import inferscale.backtest.BacktestParameters;
import inferscale.backtest.ShadowScore;
import inferscale.backtest.ShadowScore.Scored;
import inferscale.cli.EndpointRecords.DeployedPolicy;
import inferscale.control.PortFailure;
import inferscale.decision.InvalidPolicyException;
import inferscale.decision.PolicyConfig;
import inferscale.decision.PolicyConfigParser;
import inferscale.json.Json;
import inferscale.units.RequestRate;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code report}: live shadow scoring, InferScale's recorded asks against the endpoint's own. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Score what the endpoint's deployed InferScale scaler recorded each minute: the instances"
          + " it asked for against those the endpoint had, on the requests that came, with the"
          + " backtest's accounting (cold start, billing from the ask, capacity per instance)."
          + " A dry-run deployment (DryRun=true) records as Mode=Shadow and changes nothing: the"
          + " report then answers what InferScale would have done on this traffic.",
      "Reads CloudWatch with your AWS credentials and region (AWS_PROFILE, AWS_REGION, ...);"
          + " AWS_ENDPOINT_URL is honoured.",
      ""
    })
final class ReportCommand implements Callable<Integer> {
  private static final int DAY = 24 * 60;

  private final Supplier<EndpointRecords> endpointRecords;

  @Spec CommandSpec spec;

  @Mixin EndpointVariantOptions variant;

  @Option(names = "--days", paramLabel = "N", defaultValue = "7",
      description = "Days up to now, 1 to " + EndpointRecords.MAX_DAYS + " (CloudWatch keeps"
          + " 1-minute data for 15 days) (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--mode", paramLabel = "MODE",
      description = "shadow (a dry-run deployment's records) or live (a deployment that"
          + " applies). Default: shadow when there are shadow records, else live.")
  Mode mode;

  @Option(names = "--rps-per-instance", paramLabel = "RPS",
      description = "Requests per second one instance serves within the latency SLO. Default:"
          + " what the scaler recorded from its policy's targets.maxRpsPerInstance, else the"
          + " busiest (p99) minute over 20 instances, with a warning: figures then relative.")
  Double rpsPerInstance;

  @Option(names = "--cold-start", paramLabel = "MIN",
      description = "Minutes from asking for an instance to it serving. Default: the deployed"
          + " stack's policy timing.coldStartMinutes, else 8, the backtest's default.")
  Integer coldStartMinutes;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  BacktestCommand.OutputFormat format;

  ReportCommand() {
    this(() -> DaggerCliAwsComponent.create().endpointRecords());
  }

  ReportCommand(Supplier<EndpointRecords> endpointRecords) {
    this.endpointRecords = endpointRecords;
  }

  enum Mode {
    shadow(InferScaleMetrics.MODE_SHADOW),
    live(InferScaleMetrics.MODE_LIVE);

    final String dimension;

    Mode(String dimension) {
      this.dimension = dimension;
    }
  }

  @Override
  public Integer call() throws JsonProcessingException {
    EndpointRecords.checkDays(spec, days);
    // The backtest's own checks of the two figures this scoring shares with it.
    BacktestParameters defaults = BacktestParameters.defaults();
    List<String> problems = new BacktestParameters(defaults.peakInstances(),
        defaults.timing().withColdStartMinutes(coldStartMinutes == null
            ? defaults.timing().coldStartMinutes() : coldStartMinutes),
        defaults.targetUtilization()).withEndpoint(rpsPerInstance, null, null, null).problems();
    if (!problems.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "invalid options: " + String.join("; ",
          problems.stream().map(BacktestCommand::asFlag).toList()));
    }
    AwsSetup aws;
    try {
      aws = AwsSetup.resolve();
    } catch (AwsSetup.Problem e) {
      return InferScaleCli.failed(spec, e.getMessage());
    }
    Instant end = EndpointRecords.readEnd();
    int minutes = days * DAY;
    Instant start = end.minus(Duration.ofMinutes(minutes));
    ScalerRecords.Minutes record;
    EndpointRecords records;
    try {
      records = endpointRecords.get();
      record = read(records, start, minutes);
    } catch (PortFailure e) {
      return InferScaleCli.failed(spec, aws.explain(e));
    }
    if (record == null) {
      return InferScaleCli.failed(spec, "no InferScale records for endpoint " + variant.endpointName
          + " variant " + variant.variantName + " in " + EndpointRecords.lastDays(days)
          + (mode == null ? "" : " in mode " + mode) + ": deploy the stack for it (DryRun=true"
          + " records without changing anything) and let it run");
    }
    Double rps = rpsPerInstance != null ? rpsPerInstance : record.capacityPerInstance() == null
        ? null : RequestRate.ofPerMinute(record.capacityPerInstance()).perSecond();
    int coldStart = coldStart(records);
    ShadowScore whole;
    try {
      whole = ShadowScore.score(start, record.asks(), record.serving(), record.requests(), rps,
          coldStart);
    } catch (IllegalArgumentException noDemand) {
      return InferScaleCli.failed(spec, "endpoint " + variant.endpointName + ": "
          + noDemand.getMessage() + "; give --rps-per-instance");
    }
    if (whole == null) {
      return InferScaleCli.failed(spec, "the records of endpoint " + variant.endpointName + " have no"
          + " minute with both an ask and requests in " + EndpointRecords.lastDays(days));
    }
    if (rps == null) {
      spec.commandLine().getErr().println("warning: no --rps-per-instance and the deployed"
          + " policy has no targets.maxRpsPerInstance: each instance is assumed to serve the"
          + " p99 minute over " + BacktestParameters.defaults().peakInstances() + " instances,"
          + " so unserved figures are relative to that guess");
      spec.commandLine().getErr().flush();
    }
    // The last day at the whole window's capacity, so the two windows are comparable.
    double mu = whole.muPerInstance();
    ShadowScore lastDay = ShadowScore.score(end.minus(Duration.ofMinutes(DAY)),
        tail(record.asks()), tail(record.serving()), tail(record.requests()),
        RequestRate.ofPerMinute(mu).perSecond(), coldStart);
    PrintWriter out = spec.commandLine().getOut();
    if (format == BacktestCommand.OutputFormat.json) {
      ObjectNode json = Json.mapper().createObjectNode()
          .put("endpointName", variant.endpointName).put("variantName", variant.variantName)
          .put("mode", record.mode()).put("muPerInstance", mu).put("coldStartMinutes", coldStart);
      json.set("whole", Json.mapper().valueToTree(whole));
      json.set("lastDay", Json.mapper().valueToTree(lastDay));
      out.println(Json.mapper().writeValueAsString(json));
    } else {
      printTable(out, record.mode(), mu, coldStart, whole, lastDay);
    }
    out.flush();
    return 0;
  }

  /** The records of the mode asked for, or of the first mode that has any; null when none. */
  private ScalerRecords.Minutes read(EndpointRecords records, Instant start, int minutes) {
    for (Mode candidate : mode != null ? List.of(mode) : List.of(Mode.shadow, Mode.live)) {
      ScalerRecords.Minutes record = records.scalerRecords().read(variant.endpointName, variant.variantName,
          candidate.dimension, start, minutes);
      if (Arrays.stream(record.asks()).anyMatch(ask -> !Double.isNaN(ask))) {
        return record;
      }
    }
    return null;
  }

  /** The flag, else the deployed stack's, else the backtest's default: each said on stderr. */
  private int coldStart(EndpointRecords records) {
    if (coldStartMinutes != null) {
      return coldStartMinutes;
    }
    DeployedPolicy deployed = null;
    try {
      deployed = records.deployedPolicy(variant.endpointName, variant.variantName);
    } catch (PortFailure e) {
      spec.commandLine().getErr().println("warning: could not read InferScale's schedules ("
          + e.getMessage() + "); cold start taken as the backtest's default");
    }
    if (deployed != null && deployed.policy() != null) {
      try {
        return PolicyConfigParser.parse(deployed.policy(), PolicyConfig.defaults()
            .withBounds(1, Integer.MAX_VALUE)).timing().coldStartMinutes();
      } catch (InvalidPolicyException e) {
        spec.commandLine().getErr().println("warning: the deployed policy of schedule "
            + deployed.scheduleName() + " is invalid (" + String.join("; ", e.problems())
            + "); cold start taken as the backtest's default");
      }
    }
    return BacktestParameters.defaults().timing().coldStartMinutes();
  }

  private static double[] tail(double[] values) {
    return Arrays.copyOfRange(values, Math.max(0, values.length - DAY), values.length);
  }

  private void printTable(PrintWriter out, String recordedMode, double mu, int coldStart,
      ShadowScore whole, ShadowScore lastDay) {
    out.printf(Locale.ROOT, "Shadow scoring of %s/%s (mode %s: %s)%n", variant.endpointName,
        variant.variantName, recordedMode, recordedMode.equals(InferScaleMetrics.MODE_SHADOW)
            ? "InferScale's asks were recorded, not applied"
            : "InferScale's asks were applied, so both rows are mostly its own");
    out.printf(Locale.ROOT, "mu %.3f requests/min per instance (%s); cold start %d min;"
        + " records from %s%n%n", mu, rpsPerInstance != null ? "--rps-per-instance"
            : whole.capacitySource().equals(PerInstanceCapacity.P99_DEFAULT)
                ? "p99 minute over " + BacktestParameters.defaults().peakInstances()
                    + " instances" : "the policy's maxRpsPerInstance",
        coldStart, whole.from());
    out.printf(Locale.ROOT, "%-22s %-10s %15s %11s %11s %18s %13s%n", "WINDOW", "ROW",
        "INSTANCE-HOURS", "COST RATIO", "UNSERVED %", "OVER-CAPACITY MIN", "SCALE EVENTS");
    window(out, "last 24 h", lastDay);
    window(out, "last " + days + (days == 1 ? " day" : " days"), whole);
    out.printf(Locale.ROOT, "%nOver-capacity minutes: minutes with requests beyond what the"
        + " serving instances take at mu. Caveat: the endpoint's latency, and so its traffic,"
        + " was shaped by the instances it had; what InferScale's instances would have changed in"
        + " it shows only in a live run.%n");
  }

  private static void window(PrintWriter out, String label, ShadowScore score) {
    if (score == null) {
      out.printf(Locale.ROOT, "%-22s no minute with both an ask and requests%n", label);
      return;
    }
    String title = label + ", " + score.minutes() + " min";
    row(out, title, "inferscale", score.inferscale());
    row(out, "", "actual", score.actual());
    Scored a = score.inferscale();
    Scored b = score.actual();
    out.printf(Locale.ROOT, "%-22s %-10s %15s %11s %11s %18s %13s%n", "", "difference",
        String.format(Locale.ROOT, "%+,.1f (%+.1f %%)", a.instanceHours() - b.instanceHours(),
            b.instanceHours() == 0 ? 0 : 100 * (a.instanceHours() / b.instanceHours() - 1)),
        String.format(Locale.ROOT, "%+.3f", a.costRatio() - b.costRatio()),
        String.format(Locale.ROOT, "%+.3f", a.unservedPct() - b.unservedPct()),
        String.format(Locale.ROOT, "%+d", a.overCapacityMinutes() - b.overCapacityMinutes()),
        String.format(Locale.ROOT, "%+d", a.scaleEvents() - b.scaleEvents()));
  }

  private static void row(PrintWriter out, String title, String name, Scored s) {
    out.printf(Locale.ROOT, "%-22s %-10s %,15.1f %11.3f %11.3f %,18d %13d%n", title, name,
        s.instanceHours(), s.costRatio(), s.unservedPct(), s.overCapacityMinutes(),
        s.scaleEvents());
  }
}
