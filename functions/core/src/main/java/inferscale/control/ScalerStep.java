package inferscale.control;

import inferscale.control.ScalerOutcome.ForecastSummary;
import inferscale.control.ScalerOutcome.NotApplied;
import inferscale.decision.Decision;
import inferscale.decision.DecisionEngine;
import inferscale.decision.DecisionInput;
import inferscale.decision.EndpointSnapshot;
import inferscale.decision.PolicyConfig;
import inferscale.decision.PredictiveFloor;
import inferscale.decision.ReasonCode;
import inferscale.decision.ScheduledFloor;
import inferscale.decision.Signal;
import inferscale.decision.SignalPoint;
import inferscale.decision.SignalSeries;
import inferscale.decision.Signals;
import inferscale.decision.Timing;
import inferscale.decision.UnservedBudget;
import inferscale.planning.PreWarmPlanner;
import inferscale.planning.ScheduledFloors;
import inferscale.units.RequestRate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One scaler cycle, the same in the ScalerFunction, a dry run and the backtest: read the endpoint
 * and, in one telemetry read, its signals, the published forecast and the scaler's own record of
 * scale-outs; turn them into the engine's input (how far back, which units, which forecast minutes
 * count, when the cooldown started); decide; apply when allowed; and record the cycle ({@link
 * ScalerRecord}), whose applied scale-outs later cycles read back. The only change it makes is
 * {@link EndpointControl#setDesiredInstances}, and only when the count changes, the endpoint is
 * InService, the task is not a dry run, the endpoint is not paused and there is time for it.
 */
public final class ScalerStep {
  /**
   * The longest history read. A policy asking for more (a cooldown of days, to all but stop
   * scale-in) reads a day: no scale-out found in it then counts as one at its start, so scale-in
   * waits rather than risk one inside the cooldown.
   */
  static final Duration MAX_HISTORY = Duration.ofDays(1);

  private final Telemetry telemetry;
  private final EndpointControl endpoint;
  private final Capacity capacity;
  private final ScalerRecord record;
  private final Clock clock;
  private final DecisionEngine engine = new DecisionEngine();

  public ScalerStep(Telemetry telemetry, EndpointControl endpoint, Capacity capacity,
      ScalerRecord record, Clock clock) {
    this.telemetry = telemetry;
    this.endpoint = endpoint;
    this.capacity = capacity;
    this.record = record;
    this.clock = clock;
  }

  /**
   * @param timeLeft the time left to finish (a Lambda invocation's remaining time), asked just
   *     before the update
   * @throws PortFailure when the endpoint or the telemetry cannot be read: nothing was changed
   */
  public ScalerOutcome run(ScalerTask task, Supplier<Duration> timeLeft) {
    // A cycle decides for the whole minute it runs in, whatever second it starts: the minute's own
    // forecast point counts, and the floor's window does not shift with the second.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MINUTES);
    PolicyConfig policy = task.policy();
    EndpointState state = endpoint.read();
    Instant from = now.minus(Duration.ofMinutes(historyMinutes(policy)));
    Readings read = telemetry.read(seriesRead(policy), from,
        now.plus(Duration.ofMinutes(forecastMinutes(policy.timing()))));
    UnservedBudget.State budget = budget(policy, now);
    if (budget != null) {
      policy = policy.withTargetRpsPerInstance(
          budget.utilization() * policy.targets().maxRpsPerInstance());
    }

    List<String> notes = new ArrayList<>();
    List<SignalPoint> upper = read.from(Series.FORECAST_UPPER_RPS, now);
    PredictiveFloor floor = PreWarmPlanner.predictiveFloor(
        upper, read.from(Series.FORECAST_EXPECTED_RPS, now), now, policy);
    ScheduledFloor scheduled = ScheduledFloors.floorAt(
        task.schedules(), now, policy.timing().preWarmLeadMinutes());
    CapacityCheck headroom = capacity(task, state.snapshot().instanceType(), notes);
    List<ReasonCode> conditions = new ArrayList<>();
    if (floor == null) {
      conditions.add(ReasonCode.FORECAST_UNAVAILABLE);
    }
    if (headroom.failed()) {
      conditions.add(ReasonCode.CAPACITY_UNKNOWN);
    }
    EndpointSnapshot snapshot = state.snapshot().withLastScaleOutTime(
        lastScaleOut(read.before(Series.SCALE_OUTS, now.plus(Duration.ofMinutes(1))), from));
    Decision decision = engine.decide(new DecisionInput(snapshot, signals(read, policy, now),
        policy, floor, scheduled, headroom.headroom(), now, conditions));

    List<NotApplied> notApplied = reasonsNotToApply(task, state, decision);
    if (notApplied.isEmpty()) {
      Duration left = timeLeft.get();
      if (left.compareTo(endpoint.updateBudget()) < 0) {
        notApplied.add(NotApplied.NOT_ENOUGH_TIME);
        notes.add("only " + left.toMillis() + " ms left, the update needs "
            + endpoint.updateBudget().toMillis() + " ms: not applied, the next cycle decides again");
      }
    }
    if (notApplied.isEmpty()) {
      try {
        endpoint.setDesiredInstances(state, decision.to());
      } catch (PortFailure e) {
        // The count is absolute, so the next cycle simply decides and sets it again.
        notApplied.add(NotApplied.UPDATE_FAILED);
        notes.add("the update to " + decision.to() + " failed (" + e.getMessage()
            + "); not applied");
      }
    }
    ScalerOutcome outcome = new ScalerOutcome(task.endpointName(), task.variantName(),
        notApplied.isEmpty(), notApplied, task.dryRun(), state.paused(), snapshot.status(),
        snapshot.servingInstances(), snapshot.instanceType(), headroom, summary(upper, floor),
        observed(read, now), demand(read, policy, now), budget, notes, decision);
    record.record(outcome);
    return outcome;
  }

  /**
   * Minutes of history a cycle reads: what the engine needs, and at least the scale-in cooldown,
   * which the scale-outs read back set; at most {@link #MAX_HISTORY}.
   */
  public static int historyMinutes(PolicyConfig policy) {
    return (int) Math.min(MAX_HISTORY.toMinutes(), Math.max(DecisionEngine.historyMinutes(policy),
        policy.scaleIn().cooldownMinutes()));
  }

  /**
   * The budget's controller, from the last day's requests and requests per serving instance, the
   * week's tally (its own record, read back, or tallied again once an hour from a week of the same
   * metrics in a read of their own) and the target utilisation this scaler set last (its own
   * record). Null without a budget.
   */
  private UnservedBudget.State budget(PolicyConfig policy, Instant now) {
    if (policy.budget().unservedPercent() == null) {
      return null;
    }
    Readings read = telemetry.read(EnumSet.of(Series.REQUESTS, Series.REQUESTS_PER_INSTANCE,
        Series.BUDGET_UTILIZATION, Series.BUDGET_WEEK_BURN, Series.BUDGET_WEEK_MINUTES),
        now.minus(MAX_HISTORY), now);
    SignalPoint last = newest(read.get(Series.BUDGET_UTILIZATION));
    SignalPoint burn = newest(read.get(Series.BUDGET_WEEK_BURN));
    SignalPoint minutes = newest(read.get(Series.BUDGET_WEEK_MINUTES));
    UnservedBudget.Week week = burn == null || minutes == null
        || !burn.timestamp().equals(minutes.timestamp()) ? null
        : new UnservedBudget.Week(burn.value(), (int) minutes.value(), burn.timestamp());
    if (week == null || week.stale(now)) {
      Readings weekRead = telemetry.read(EnumSet.of(Series.REQUESTS,
          Series.REQUESTS_PER_INSTANCE), now.minus(UnservedBudget.WINDOW), now);
      week = UnservedBudget.week(policy, weekRead.get(Series.REQUESTS),
          weekRead.get(Series.REQUESTS_PER_INSTANCE), now);
    }
    // A cycle after a long pause moves the target no more than an hour's cycles would.
    int elapsed = last == null ? 1
        : (int) Math.min(60, Duration.between(last.timestamp(), now).toMinutes());
    return UnservedBudget.next(policy, last == null ? null : last.value(),
        read.get(Series.REQUESTS), read.get(Series.REQUESTS_PER_INSTANCE), elapsed, now, week);
  }

  private static SignalPoint newest(List<SignalPoint> points) {
    return points.isEmpty() ? null : points.get(points.size() - 1);
  }

  /** Minutes of forecast read from now: through the last minute of the floor's window. */
  static int forecastMinutes(Timing timing) {
    return timing.preWarmLeadMinutes() + timing.floorWindowMinutes() + 1;
  }

  private static Set<Series> seriesRead(PolicyConfig policy) {
    // The requests always: the demand each cycle records, whichever signals it tracks.
    Set<Series> series = EnumSet.of(Series.REQUESTS, Series.FORECAST_UPPER_RPS,
        Series.FORECAST_EXPECTED_RPS, Series.SCALE_OUTS, Series.CONCURRENT_REQUESTS);
    for (Signal signal : policy.targets().signals()) {
      series.add(Series.of(signal));
    }
    return series;
  }

  /** The tracked signals up to now; RPS from the requests counted each minute. */
  private static Signals signals(Readings read, PolicyConfig policy, Instant now) {
    Map<Signal, SignalSeries> signals = new EnumMap<>(Signal.class);
    Instant since = now.minus(Duration.ofMinutes(historyMinutes(policy)));
    for (Signal signal : policy.targets().signals()) {
      List<SignalPoint> points = read.between(Series.of(signal), since, now);
      if (signal == Signal.RPS) {
        points = points.stream().map(p -> new SignalPoint(p.timestamp(),
            RequestRate.ofPerMinute(p.value()).perSecond())).toList();
      }
      signals.put(signal, new SignalSeries(points));
    }
    return new Signals(signals);
  }

  /**
   * When this scaler last applied a scale-out, from its own record. None since {@code readFrom}
   * means none for at least that long, which is no shorter than the cooldown, so the read's start
   * is a safe bound.
   */
  private static Instant lastScaleOut(List<SignalPoint> scaleOuts, Instant readFrom) {
    Instant last = readFrom;
    for (SignalPoint point : scaleOuts) {
      if (point.value() >= 1 && point.timestamp().isAfter(last)) {
        last = point.timestamp();
      }
    }
    return last;
  }

  private static List<NotApplied> reasonsNotToApply(ScalerTask task, EndpointState state,
      Decision decision) {
    List<NotApplied> notApplied = new ArrayList<>();
    if (!decision.changes()) {
      notApplied.add(NotApplied.NO_CHANGE);
    }
    if (task.dryRun()) {
      notApplied.add(NotApplied.DRY_RUN);
    }
    if (state.paused()) {
      notApplied.add(NotApplied.PAUSED);
    }
    if (!state.snapshot().inService()) {
      notApplied.add(NotApplied.ENDPOINT_NOT_IN_SERVICE);
    }
    return notApplied;
  }

  private CapacityCheck capacity(ScalerTask task, String instanceType, List<String> notes) {
    if (task.capacityMode() == CapacityMode.NONE) {
      return CapacityCheck.unchecked("capacity check disabled (capacityCheck = none)");
    }
    if (instanceType == null) {
      String note = "instance type unknown (serverless variant?): capacity not checked, not clamped";
      notes.add(note);
      return CapacityCheck.unknown(null, note);
    }
    try {
      CapacityCheck check = capacity.headroom(instanceType);
      return check.reservations() > 0 ? check : check.withNote("no active capacity reservation for "
          + check.ec2InstanceType() + ": scale-out is limited to 0 more instances");
    } catch (PortFailure e) {
      // Denied or failed: an unknown headroom must not stop a scale-out, so decide unclamped.
      String note = "capacity reservations could not be read (" + e.getMessage()
          + "); headroom unknown, scale-out not clamped";
      notes.add(note);
      return CapacityCheck.unknown(null, note);
    }
  }

  private ForecastSummary summary(List<SignalPoint> forecast, PredictiveFloor floor) {
    SignalPoint peak = null;
    for (SignalPoint p : forecast) {
      if (peak == null || p.value() > peak.value()) {
        peak = p;
      }
    }
    String note = floor != null ? null
        : forecast.isEmpty()
            ? "no forecast published on the " + telemetry.forecastChannel()
                + " channel: reactive only"
            : "no forecast point in the pre-warm window: reactive only";
    return new ForecastSummary(telemetry.forecastChannel(), forecast.size(),
        peak == null ? null : peak.value(), peak == null ? null : peak.timestamp(),
        floor != null, note);
  }

  private static Map<String, Double> observed(Readings read, Instant now) {
    Map<String, Double> observed = new LinkedHashMap<>();
    List<SignalPoint> concurrency = read.before(Series.CONCURRENT_REQUESTS, now);
    if (!concurrency.isEmpty()) {
      observed.put("concurrentRequestsPerModel", concurrency.get(concurrency.size() - 1).value());
    }
    return observed;
  }

  /**
   * The newest minute of requests before now, with what one instance serves in a minute when the
   * policy says: what the asked-for and the serving counts are scored against.
   */
  private static ObservedDemand demand(Readings read, PolicyConfig policy, Instant now) {
    List<SignalPoint> requests = read.before(Series.REQUESTS, now);
    if (requests.isEmpty()) {
      return null;
    }
    SignalPoint newest = requests.get(requests.size() - 1);
    Double maxRps = policy.targets().maxRpsPerInstance();
    return new ObservedDemand(newest.timestamp(), newest.value(),
        maxRps == null ? null : RequestRate.ofPerSecond(maxRps).perMinute());
  }
}
