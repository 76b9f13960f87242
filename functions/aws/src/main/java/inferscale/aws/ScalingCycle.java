package inferscale.aws;

import inferscale.aws.CycleResult.ForecastSummary;
import inferscale.aws.CycleResult.NotApplied;
import inferscale.decision.Decision;
import inferscale.decision.DecisionEngine;
import inferscale.decision.DecisionInput;
import inferscale.decision.EndpointSnapshot;
import inferscale.decision.PredictiveFloor;
import inferscale.decision.ReasonCode;
import inferscale.decision.ScheduledFloor;
import inferscale.decision.Signal;
import inferscale.decision.SignalPoint;
import inferscale.decision.SignalSeries;
import inferscale.decision.Signals;
import inferscale.planning.PreWarmPlanner;
import inferscale.planning.ScheduledFloors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import javax.inject.Inject;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * One scaler cycle: read the endpoint, every signal (one GetMetricData call) and the capacity
 * headroom, run the core engine, and apply the decision when allowed. Reads always happen; the only
 * write is UpdateEndpointWeightsAndCapacities, and only when the count changes, the endpoint is
 * InService, the run is not a dry run and the endpoint is not paused.
 */
public final class ScalingCycle {
  /**
   * The longest history read. A policy asking for more (a cooldown of days, to all but stop
   * scale-in) reads a day: no scale-out found in it then counts as one at its start, so scale-in
   * waits rather than risk one inside the cooldown.
   */
  static final Duration MAX_LOOK_BACK = Duration.ofDays(1);
  /** How far ahead the forecast is read: CloudWatch takes datapoints up to 2 h in the future. */
  static final Duration LOOK_AHEAD = Duration.ofHours(2);

  /**
   * The least time the Lambda must have left to start the update: the update's whole-call budget
   * ({@link AwsClientSettings}, 15 s) plus 2 s to log the result and the EMF line. Killed mid-way,
   * the update's outcome would be unknown and the {@code ScaleOutApplied} metric the cooldown reads
   * back would be missing, so the next cycle could scale out again inside the cooldown: with less
   * time left the cycle skips the update (the next run a minute later decides again).
   */
  public static final Duration UPDATE_BUDGET = Duration.ofSeconds(17);

  private final MetricsReader metrics;
  private final EndpointReader endpoints;
  private final EndpointUpdater updater;
  private final CapacityReader capacity;
  private final Clock clock;
  private final DecisionEngine engine = new DecisionEngine();

  @Inject
  public ScalingCycle(MetricsReader metrics, EndpointReader endpoints, EndpointUpdater updater,
      CapacityReader capacity, Clock clock) {
    this.metrics = metrics;
    this.endpoints = endpoints;
    this.updater = updater;
    this.capacity = capacity;
    this.clock = clock;
  }

  /** @param log receives human-readable notes (e.g. a failed capacity lookup) as they happen */
  public CycleResult run(ScalerRequest request, Consumer<String> log) {
    return run(request, log, () -> Long.MAX_VALUE);
  }

  /**
   * @param remainingMillis the invocation's time left (Lambda's
   *     {@code Context.getRemainingTimeInMillis()}), asked just before the update
   */
  public CycleResult run(ScalerRequest request, Consumer<String> log,
      LongSupplier remainingMillis) {
    Instant now = clock.instant();
    // Whole minutes only: the current minute is still filling up, and a partial Invocations sum
    // would understate the request rate.
    Instant minute = now.truncatedTo(ChronoUnit.MINUTES);

    EndpointState endpoint = endpoints.read(request.endpointName(), request.variantName());

    Map<String, Signal> ids = new LinkedHashMap<>();
    List<MetricQuery> queries = new ArrayList<>();
    SignalMetrics specs = request.metrics();
    addQuery(queries, ids, "rps", specs.invocations(), Signal.RPS);
    addQuery(queries, ids, "kvCache", specs.kvCache(), Signal.KV_CACHE);
    addQuery(queries, ids, "waiting", specs.waitingRequests(), Signal.QUEUE);
    addQuery(queries, ids, "ttft", specs.ttftP90Ms(), Signal.TTFT);
    addQuery(queries, ids, "concurrency", specs.concurrentRequests(), null);
    queries.add(new MetricQuery("forecast", InferScaleMetrics.forecastRps(
        request.endpointName(), request.variantName(), request.forecastChannel()), 60));
    queries.add(new MetricQuery("forecastExpected", InferScaleMetrics.forecastExpectedRps(
        request.endpointName(), request.variantName(), request.forecastChannel()), 60));
    queries.add(new MetricQuery("scaleOuts",
        InferScaleMetrics.scaleOutApplied(request.endpointName(), request.variantName()), 60));
    // The history the engine reads, and at least the cooldown, which the read-back scale-outs set.
    Duration lookBack = Duration.ofMinutes(Math.min(MAX_LOOK_BACK.toMinutes(),
        Math.max(DecisionEngine.historyMinutes(request.policy()),
            request.policy().scaleIn().cooldownMinutes())));
    Map<String, List<SignalPoint>> read =
        metrics.read(queries, minute.minus(lookBack), minute.plus(LOOK_AHEAD));

    EnumMap<Signal, SignalSeries> series = new EnumMap<>(Signal.class);
    for (Map.Entry<String, Signal> id : ids.entrySet()) {
      List<SignalPoint> points = past(read.get(id.getKey()), minute);
      if (id.getValue() == Signal.RPS) {
        points = points.stream()
            .map(p -> new SignalPoint(p.timestamp(), p.value() / 60.0)).toList();
      }
      series.put(id.getValue(), new SignalSeries(points));
    }
    Map<String, Double> observed = new LinkedHashMap<>();
    List<SignalPoint> concurrency = past(read.get("concurrency"), minute);
    if (!concurrency.isEmpty()) {
      observed.put("concurrentRequestsPerModel", concurrency.get(concurrency.size() - 1).value());
    }
    List<SignalPoint> forecast = ahead(read.get("forecast"), minute);
    PredictiveFloor floor = PreWarmPlanner.predictiveFloor(
        forecast, ahead(read.get("forecastExpected"), minute), now, request.policy());
    ScheduledFloor scheduled = ScheduledFloors.floorAt(
        request.schedules(), now, request.policy().timing().preWarmLeadMinutes());

    CapacityCheck headroom = capacity(request, endpoint, log);
    List<ReasonCode> conditions = new ArrayList<>();
    if (floor == null) {
      conditions.add(ReasonCode.FORECAST_UNAVAILABLE);
    }
    if (headroom.failed()) {
      conditions.add(ReasonCode.CAPACITY_UNKNOWN);
    }

    EndpointSnapshot snapshot = withLastScaleOut(endpoint.snapshot(),
        past(read.get("scaleOuts"), minute.plus(Duration.ofMinutes(1))), minute.minus(lookBack));
    Decision decision = engine.decide(new DecisionInput(snapshot, new Signals(series),
        request.policy(), floor, scheduled, headroom.headroom(), now, conditions));

    List<NotApplied> notApplied = new ArrayList<>();
    if (!decision.changes()) {
      notApplied.add(NotApplied.NO_CHANGE);
    }
    if (request.dryRun()) {
      notApplied.add(NotApplied.DRY_RUN);
    }
    if (endpoint.paused()) {
      notApplied.add(NotApplied.PAUSED);
    }
    if (!endpoint.snapshot().inService()) {
      notApplied.add(NotApplied.ENDPOINT_NOT_IN_SERVICE);
    }
    if (notApplied.isEmpty()) {
      long left = remainingMillis.getAsLong();
      if (left < UPDATE_BUDGET.toMillis()) {
        notApplied.add(NotApplied.NOT_ENOUGH_TIME);
        log.accept("only " + left + " ms left, the update needs " + UPDATE_BUDGET.toMillis()
            + " ms: not applied, the next cycle decides again");
      }
    }
    boolean applied = false;
    if (notApplied.isEmpty()) {
      try {
        updater.setDesiredInstanceCount(request.endpointName(), request.variantName(),
            decision.to(), endpoint.currentWeight());
        applied = true;
      } catch (SdkException e) {
        // Rejected (e.g. "Cannot update in-progress endpoint" when another update started since
        // the read), throttled past the retries, or no answer. The count is absolute, so the next
        // cycle simply decides and sets it again; nothing here is half-done.
        notApplied.add(NotApplied.UPDATE_FAILED);
        log.accept("UpdateEndpointWeightsAndCapacities to " + decision.to() + " failed ("
            + CycleFailure.describe(e) + "); not applied");
      }
    }
    return new CycleResult(request.endpointName(), request.variantName(), applied, notApplied,
        request.dryRun(), endpoint.paused(), endpoint.snapshot().status(),
        endpoint.snapshot().instanceType(), headroom,
        summary(request.forecastChannel(), forecast, floor), observed, decision);
  }

  /**
   * The snapshot with the time of this scaler's last applied scale-out, read back from its own
   * decision metrics. No scale-out since {@code readFrom} means none for at least that long,
   * which is no shorter than the cooldown, so the read's start is a safe bound.
   */
  private static EndpointSnapshot withLastScaleOut(EndpointSnapshot snapshot,
      List<SignalPoint> scaleOuts, Instant readFrom) {
    Instant last = readFrom;
    for (SignalPoint point : scaleOuts) {
      if (point.value() >= 1 && point.timestamp().isAfter(last)) {
        last = point.timestamp();
      }
    }
    return snapshot.withLastScaleOutTime(last);
  }

  private static ForecastSummary summary(ForecastChannel channel, List<SignalPoint> forecast,
      PredictiveFloor floor) {
    SignalPoint peak = null;
    for (SignalPoint p : forecast) {
      if (peak == null || p.value() > peak.value()) {
        peak = p;
      }
    }
    String note = floor != null ? null
        : forecast.isEmpty() ? "no forecast published on the " + channelName(channel)
            + " channel: reactive only"
        : "no forecast point in the pre-warm window: reactive only";
    return new ForecastSummary(channel, forecast.size(), peak == null ? null : peak.value(),
        peak == null ? null : peak.timestamp().toString(), floor != null, note);
  }

  private static String channelName(ForecastChannel channel) {
    return channel == ForecastChannel.DRY_RUN ? "dry-run (Mode=DryRun)"
        : "live (a dry-run deployment's is under Mode=DryRun)";
  }

  private CapacityCheck capacity(ScalerRequest request, EndpointState endpoint,
      Consumer<String> log) {
    if (request.capacityMode() == CapacityMode.NONE) {
      return CapacityCheck.unchecked("capacity check disabled (capacityCheck = none)");
    }
    String type = endpoint.snapshot().instanceType();
    if (type == null) {
      String note = "instance type unknown (serverless variant?): capacity not checked, not clamped";
      log.accept(note);
      return new CapacityCheck(CapacityMode.RESERVATIONS.jsonName(), null, null, 0, note);
    }
    try {
      CapacityCheck check = capacity.headroom(type);
      if (check.reservations() == 0) {
        return new CapacityCheck(check.mode(), check.ec2InstanceType(), check.headroom(), 0,
            "no active capacity reservation for " + check.ec2InstanceType()
                + ": scale-out is limited to 0 more instances");
      }
      return check;
    } catch (SdkException e) {
      // Denied (no ec2:DescribeCapacityReservations) or failed: an unknown headroom must not stop
      // a scale-out, so decide unclamped and say so.
      String note = "capacity reservations could not be read (" + e.getClass().getSimpleName()
          + ": " + e.getMessage() + "); headroom unknown, scale-out not clamped";
      log.accept(note);
      return new CapacityCheck(CapacityMode.RESERVATIONS.jsonName(),
          Ec2CapacityReader.ec2Type(type), null, 0, note);
    }
  }

  private static void addQuery(List<MetricQuery> queries, Map<String, Signal> ids, String id,
      MetricSpec spec, Signal signal) {
    if (spec == null) {
      return;
    }
    queries.add(new MetricQuery(id, spec, 60));
    if (signal != null) {
      ids.put(id, signal);
    }
  }

  private static List<SignalPoint> past(List<SignalPoint> points, Instant minute) {
    if (points == null) {
      return List.of();
    }
    return points.stream().filter(p -> p.timestamp().isBefore(minute)).toList();
  }

  /** The forecast points from this minute on. */
  private static List<SignalPoint> ahead(List<SignalPoint> points, Instant minute) {
    if (points == null) {
      return List.of();
    }
    return points.stream().filter(p -> !p.timestamp().isBefore(minute)).toList();
  }
}
