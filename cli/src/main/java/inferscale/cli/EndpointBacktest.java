package inferscale.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import inferscale.backtest.Backtest;
import inferscale.backtest.BacktestReport;
import inferscale.backtest.EndpointHistory;
import inferscale.backtest.PolicyResult;
import inferscale.cli.EndpointRecords.DeployedPolicy;
import inferscale.cli.EndpointRecords.TodaysScaling;
import inferscale.control.PortFailure;
import inferscale.decision.EndpointSnapshot;
import inferscale.json.Json;
import inferscale.sizing.InstanceCatalog;
import inferscale.sizing.InstanceType;
import inferscale.trace.Trace;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An endpoint variant's own history and setup, read once for {@code backtest --endpoint}: the
 * trace, the scaling it has today, the policy of its InferScale stack, and what a reader of the
 * figures must know about the minutes recorded.
 */
final class EndpointBacktest {
  private final EndpointSnapshot variant;
  private final int days;
  private final EndpointHistory history;
  private final Trace trace;
  private final TodaysScaling todaysScaling;
  private final DeployedPolicy deployed;
  /** What could not be read, and so was left at its default. */
  private final List<String> unread;

  private EndpointBacktest(EndpointSnapshot variant, int days, EndpointHistory history,
      TodaysScaling todaysScaling, DeployedPolicy deployed, List<String> unread) {
    this.variant = variant;
    this.days = days;
    this.history = history;
    this.trace = history.trace();
    this.todaysScaling = todaysScaling;
    this.deployed = deployed;
    this.unread = List.copyOf(unread);
  }

  /** The variant has no Invocations in the days asked for: nothing to backtest on. */
  static final class NoHistory extends Exception {
    private static final long serialVersionUID = 1L;

    NoHistory(String message) {
      super(message);
    }
  }

  /**
   * @throws PortFailure when the endpoint cannot be read (missing, denied, unreachable)
   * @throws NoHistory when it recorded no requests in those days
   */
  static EndpointBacktest read(EndpointRecords records, String endpoint, String variantName,
      int days) throws NoHistory {
    EndpointSnapshot variant = records.variant(endpoint, variantName);
    Instant end = EndpointRecords.readEnd();
    int minutes = (int) Duration.ofDays(days).toMinutes();
    EndpointHistory history = records.history(variant, end.minus(Duration.ofDays(days)), minutes);
    if (history.firstRecordedMinute() < 0) {
      throw new NoHistory("endpoint " + endpoint + " variant " + variantName + " recorded no"
          + " Invocations in " + EndpointRecords.lastDays(days) + ": nothing to backtest on"
          + " (SageMaker publishes Invocations only for minutes with requests)");
    }
    List<String> unread = new ArrayList<>();
    TodaysScaling today = null;
    try {
      today = records.todaysScaling(endpoint, variantName);
    } catch (PortFailure e) {
      unread.add("its scalable target (" + e.getMessage() + ")");
    }
    DeployedPolicy deployed = null;
    try {
      deployed = records.deployedPolicy(endpoint, variantName);
    } catch (PortFailure e) {
      unread.add("InferScale's schedules (" + e.getMessage() + ")");
    }
    return new EndpointBacktest(variant, days, history, today, deployed, unread);
  }

  Trace trace() {
    return trace;
  }

  /** Application Auto Scaling's setup of the variant, or null when it has none. */
  TodaysScaling todaysScaling() {
    return todaysScaling;
  }

  /** The deployed InferScale stack's policy, or null when none is deployed for the variant. */
  DeployedPolicy deployed() {
    return deployed;
  }

  /** Warnings for stderr: what the figures cannot say, and what could not be read. */
  List<String> notes(BacktestReport.Parameters p) {
    List<String> notes = new ArrayList<>();
    for (String what : unread) {
      notes.add("warning: could not read " + what + "; left at the backtest's default");
    }
    if (p.capacitySource().equals(Backtest.PerInstanceCapacity.P99_DEFAULT)) {
      notes.add("warning: no --rps-per-instance and no targets.maxRpsPerInstance in the policy:"
          + " each instance is assumed to serve the p99 minute over " + p.peakInstances()
          + " instances, so cost and unserved figures are relative to that guess, not to what"
          + " " + variant.instanceType() + " serves; give a load-tested --rps-per-instance");
    }
    EndpointHistory.Quality quality = history.quality();
    if (quality.saturatedMinutes() > 0) {
      notes.add("note: " + quality.saturatedMinutes() + " minutes were saturated (5XX errors on"
          + " 1 % of the requests or more): the demand recorded in them is a lower bound of what"
          + " came");
    }
    return notes;
  }

  void printHeader(PrintWriter out, BacktestReport report) {
    EndpointHistory.Quality quality = history.quality();
    out.printf(Locale.ROOT, "Endpoint %s variant %s: %s, %d instances serving now%n",
        variant.endpointName(), variant.variantName(), variant.instanceType(),
        variant.servingInstances());
    out.printf(Locale.ROOT, "History: %s, %,d minutes from %s (the first with"
        + " Invocations); %,d without data (no requests); %,d with 5XX errors (%,d errors);"
        + " %,d with model errors (%,d); %,d saturated (demand a lower bound)%n",
        EndpointRecords.lastDays(days),
        quality.minutes(), trace.start(), quality.minutesWithoutData(), quality.minutesWith5xx(),
        quality.invocation5xxErrors(), quality.minutesWithModelErrors(), quality.modelErrors(),
        quality.saturatedMinutes());
    out.println("Scaling today: " + scalingToday());
    out.println("InferScale policy: " + policySource());
    Double price = hourlyPrice();
    if (price != null) {
      StringBuilder costs = new StringBuilder();
      for (PolicyResult r : report.policies()) {
        costs.append(costs.length() == 0 ? "" : ", ").append(r.name()).append(String.format(
            Locale.ROOT, " $%,.0f", r.instanceHours() * price));
      }
      out.printf(Locale.ROOT, "Cost over the scored minutes at $%.3f an instance-hour (%s list"
          + " price): %s%n", price, InstanceCatalog.builtIn().region(), costs);
    }
    out.println();
  }

  ObjectNode json(BacktestReport report) {
    ObjectNode json = Json.mapper().createObjectNode()
        .put("name", variant.endpointName())
        .put("variant", variant.variantName())
        .put("instanceType", variant.instanceType())
        .put("servingInstances", variant.servingInstances())
        .put("days", days)
        .put("historyStart", String.valueOf(trace.start()))
        .put("scalingToday", scalingToday())
        .put("policySource", policySource());
    json.set("history", Json.mapper().valueToTree(
        history.quality()));
    Double price = hourlyPrice();
    if (price != null) {
      json.put("hourlyPrice", price);
    }
    return json;
  }

  private String scalingToday() {
    if (todaysScaling == null) {
      return "no scalable target (Application Auto Scaling does not scale it)";
    }
    String tracking = todaysScaling.invocationsPerInstanceTarget() == null
        ? "no target-tracking policy on SageMakerVariantInvocationsPerInstance"
        : String.format(Locale.ROOT, "target tracking %s at %.1f invocations/min per instance",
            todaysScaling.policyName(), todaysScaling.invocationsPerInstanceTarget());
    return "scalable target " + todaysScaling.minInstances() + " to "
        + todaysScaling.maxInstances() + " instances, " + tracking;
  }

  private String policySource() {
    return deployed == null ? "no InferScale stack deployed for this variant: --policy, else the"
        + " backtest's default" : "schedule " + deployed.scheduleName() + " (unless --policy)";
  }

  /** The built-in catalog's list price of the variant's instance type, or null if not listed. */
  private Double hourlyPrice() {
    return InstanceCatalog.builtIn().instances().stream()
        .filter(type -> type.name().equals(variant.instanceType()))
        .map(InstanceType::hourlyPrice).findFirst().orElse(null);
  }
}
