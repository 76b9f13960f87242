package inferscale.aws.fleet;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import inferscale.aws.adapters.DecisionMetrics;
import inferscale.aws.adapters.InferScaleMetrics;
import inferscale.fleet.QuotaShare;
import inferscale.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one fleet cycle did: the dispatcher's answer to a hand invoke and its log line.
 *
 * @param discovered the endpoints in the region
 * @param directoryRead whether this cycle read the directory (else it used the one kept)
 * @param planned the turns planned (one per endpoint that opted in with valid tags)
 * @param turns the endpoints a turn was planned for, with their quota share; null in the log
 * @param skipped the endpoints (and components) opted in whose tags are invalid, each with why
 * @param quotas each instance type's quota and the instances the account's endpoints hold
 * @param metricReads GetMetricData requests made, and the queries they held
 * @param sent the messages sent (none in a dry run)
 * @param refused the messages SQS refused, each with why
 * @param notes what the cycle could not do as usual (quotas or metrics unreadable), each in a
 *     sentence
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DispatchReport(FleetDispatcher.FanOut fanOut, Instant cycle, boolean dryRun,
    int discovered, boolean directoryRead, boolean quotasRead, int planned, List<Turn> turns,
    List<Skipped> skipped, List<Quota> quotas, int metricReads, int metricQueries, int sent,
    List<String> refused, List<String> notes) {
  /** What the dispatcher publishes for the fleet dashboard. */
  public static final String ENDPOINTS = "FleetEndpoints";
  public static final String SKIPPED = "FleetSkipped";
  public static final String SENT = "FleetTurnsSent";
  public static final String REFUSED = "FleetTurnsRefused";
  public static final String QUOTA_APPLIED = "QuotaApplied";
  public static final String QUOTA_IN_USE = "QuotaInUse";

  /** @param maxInstances the most instances the quota share lets it hold, or null without one */
  public record Turn(String endpoint, int priority, Integer maxInstances, String quotaShare) {}

  /** @param inferenceComponentName the component that opted in by its own tags, or null */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Skipped(String endpointName, String inferenceComponentName, String error) {}

  public record Quota(String instanceType, int quota, int inUse) {}

  /** The report with its turns left out (they are counted), for the log. */
  public DispatchReport withoutTurns() {
    return new DispatchReport(fanOut, cycle, dryRun, discovered, directoryRead, quotasRead,
        planned, null, skipped, quotas, metricReads, metricQueries, sent, refused, notes);
  }

  public String toJson() {
    try {
      return Json.mapper().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a dispatch report always serialises", e);
    }
  }

  /** The dimension that keeps one stack's fleet metrics apart from another's. */
  public static final String STACK = "Stack";
  /** The dimension that keeps the scaler's fan-out apart from the forecaster's. */
  public static final String FAN_OUT = "FanOut";

  /**
   * The cycle's Embedded Metric Format lines for the fleet dashboard: the fleet's counts, and each
   * instance type's quota and use, by {@value #STACK}.
   *
   * @param stack the deployment's name
   */
  public List<String> emf(String stack) {
    List<String> lines = new ArrayList<>();
    ObjectNode fleet = DecisionMetrics.emfLine(cycle);
    ArrayNode counts = DecisionMetrics.directive(fleet, FAN_OUT, STACK);
    fleet.put(FAN_OUT, fanOut.name());
    fleet.put(STACK, stack);
    DecisionMetrics.metric(fleet, counts, ENDPOINTS, (double) planned);
    DecisionMetrics.metric(fleet, counts, SKIPPED, (double) skipped.size());
    DecisionMetrics.metric(fleet, counts, SENT, (double) sent);
    DecisionMetrics.metric(fleet, counts, REFUSED, (double) refused.size());
    lines.add(fleet.toString());
    for (Quota quota : quotas) {
      ObjectNode line = DecisionMetrics.emfLine(cycle);
      ArrayNode byType = DecisionMetrics.directive(line, InferScaleMetrics.INSTANCE_TYPE, STACK);
      line.put(InferScaleMetrics.INSTANCE_TYPE, quota.instanceType());
      line.put(STACK, stack);
      DecisionMetrics.metric(line, byType, QUOTA_APPLIED, (double) quota.quota());
      DecisionMetrics.metric(line, byType, QUOTA_IN_USE, (double) quota.inUse());
      lines.add(line.toString());
    }
    return lines;
  }

  /** Gathers a report as the cycle goes. */
  static final class Builder {
    private final FleetDispatcher.FanOut fanOut;
    private final Instant cycle;
    private final boolean dryRun;
    private int discovered;
    private boolean directoryRead;
    private boolean quotasRead;
    private final List<Turn> turns = new ArrayList<>();
    private final List<Skipped> skipped = new ArrayList<>();
    private final List<Quota> quotas = new ArrayList<>();
    private int metricReads;
    private int metricQueries;
    private int sent;
    private final List<String> refused = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    Builder(FleetDispatcher.FanOut fanOut, Instant cycle, boolean dryRun) {
      this.fanOut = fanOut;
      this.cycle = cycle;
      this.dryRun = dryRun;
    }

    void discovered(int endpoints) {
      discovered = endpoints;
    }

    void directoryRead() {
      directoryRead = true;
    }

    void quotasRead() {
      quotasRead = true;
    }

    void turn(String endpoint, int priority, QuotaShare.Allowance share) {
      turns.add(new Turn(endpoint, priority, share == null ? null : share.maxInstances(),
          share == null ? null : share.limitedBy()));
    }

    void skipped(String endpointName, String componentName, String error) {
      skipped.add(new Skipped(endpointName, componentName, error));
    }

    void quota(String instanceType, int quota, int inUse) {
      quotas.add(new Quota(instanceType, quota, inUse));
    }

    void metricRead(int queries) {
      metricReads++;
      metricQueries += queries;
    }

    Builder sent(int messages) {
      sent = messages;
      return this;
    }

    void refused(List<String> messages) {
      refused.addAll(messages);
    }

    void note(String note) {
      notes.add(note);
    }

    DispatchReport build() {
      return new DispatchReport(fanOut, cycle, dryRun, discovered, directoryRead, quotasRead,
          turns.size(), List.copyOf(turns), List.copyOf(skipped), List.copyOf(quotas), metricReads,
          metricQueries, sent, List.copyOf(refused), List.copyOf(notes));
    }
  }
}
