package inferscale.control;

import inferscale.control.ScalerOutcome.ForecastSummary;
import inferscale.control.ScalerOutcome.NotApplied;
import inferscale.decision.Decision;
import inferscale.decision.DecisionEngine;
import inferscale.decision.DecisionInput;
import inferscale.decision.EndpointSnapshot;
import inferscale.decision.Headroom;
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
import inferscale.fleet.FleetTurn;
import inferscale.fleet.QuotaShare;
import inferscale.planning.PreWarmPlanner;
import inferscale.planning.ScheduledFloors;
import inferscale.units.RequestRate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * One scaler cycle, the same in the ScalerFunction, a dry run and the backtest: read the endpoint
 * and, in one telemetry read, its signals, the published forecast and the scaler's own record of
 * scale-outs; turn them into the engine's input (how far back, which units, which forecast minutes
 * count, when the cooldown started); decide; apply when allowed; and record the cycle ({@link
 * ScalerRecord}), whose applied scale-outs later cycles read back. Its changes are {@link
 * EndpointControl#setDesiredInstances} (the count, and with a fallback variant its count and the
 * weights), only when one of them changes, the endpoint is InService, the task is not a dry run,
 * the endpoint is not paused and there is time for it; and {@link EndpointControl#remember}, the
 * record of its last ask (when it asks, and when it sees how an ask ended), never in a dry run or
 * on a paused endpoint.
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
    Instant clockNow = clock.instant();
    Instant now = clockNow.truncatedTo(ChronoUnit.MINUTES);
    PolicyConfig policy = task.policy();
    EndpointState state = endpoint.read();
    List<String> notes = new ArrayList<>();
    ReadPlan plan = mainRead(policy, now);
    Instant from = plan.from();
    Readings read = telemetry.read(plan.series(), plan.from(), plan.to());
    StartupLead lead = lead(state.snapshot().instanceType(), policy, read, now);
    policy = policy.withTiming(policy.timing().withColdStartMinutes(lead.coldStartMinutes()));
    LastAsk asked = state.lastAsk();
    LastAsk settled = asked == null ? null : asked.settle(state, clockNow,
        capacityTimeout(policy), jitter(task, asked));
    boolean blocked = settled != null && settled.backingOff(clockNow);

    UnservedBudget.State budget = budget(policy, now);
    if (budget != null) {
      policy = budget.floorBand() != null ? policy.withFloorBand(budget.floorBand())
          : policy.withTargetRpsPerInstance(
              budget.utilization() * policy.targets().maxRpsPerInstance());
    }
    Instant windowEnd = now.plus(Duration.ofMinutes(forecastMinutes(policy.timing())));
    List<SignalPoint> upper = read.between(Series.FORECAST_UPPER_RPS, now, windowEnd);
    PredictiveFloor floor = PreWarmPlanner.predictiveFloor(upper,
        read.between(Series.FORECAST_EXPECTED_RPS, now, windowEnd), now, policy);
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
        lastScaleOut(read.before(Series.SCALE_OUTS, throughMinute(now)), from));
    // A second run in a minute (an alarm's beside the schedule's) on an endpoint already serving
    // what the first asked for (SageMaker keeps it Updating meanwhile, which holds anyway) decides
    // from the count the minute started with: its scale-out replaces the first one's.
    boolean sameMinute = settled != null && settled.madeInMinute(now) && snapshot.inService()
        && settled.to() == snapshot.desiredInstances();
    if (sameMinute) {
      snapshot = snapshot.withDesiredInstances(settled.from());
      notes.add("decided from " + settled.from() + ", the count this minute started with: a run"
          + " at " + settled.at() + " already asked for " + settled.to());
    }
    DecisionInput input = new DecisionInput(snapshot, signals(read, policy, now, state),
        policy, floor, scheduled, Headroom.tighter(unitHeadroom(state, snapshot, headroom, notes),
            quotaHeadroom(task, snapshot, notes)), now,
        conditions);
    Decision decision = engine.decide(blocked ? input.withCondition(
        ReasonCode.CAPACITY_UNAVAILABLE) : input);
    if (blocked) {
      notes.add("the last scale-out found no capacity (" + settled.failures() + " in a row"
          + (state.failureReason() == null ? "" : ": " + state.failureReason())
          + "); no scale-out before " + settled.retryAt());
    }
    FallbackPlan fallback = fallback(policy, state, decision, blocked, notes);

    int current = state.snapshot().desiredInstances();
    boolean countChanges = decision.to() != current;
    List<NotApplied> notApplied = reasonsNotToApply(task, state,
        countChanges || (fallback != null && fallback.changes()));
    if (sameMinute && settled.scaleOut() && decision.to() < settled.to()) {
      notApplied.add(NotApplied.ALREADY_ASKED);
    }
    String superseded = superseded(task.fleet(), asked, now);
    if (superseded != null) {
      notApplied.add(NotApplied.SUPERSEDED);
      notes.add(superseded);
    }
    if (notApplied.isEmpty()) {
      Duration left = timeLeft.get();
      if (left.compareTo(endpoint.updateBudget()) < 0) {
        notApplied.add(NotApplied.NOT_ENOUGH_TIME);
        notes.add("only " + left.toMillis() + " ms left, the update needs "
            + endpoint.updateBudget().toMillis() + " ms: not applied, the next cycle decides again");
      }
    }
    LastAsk kept = settled;
    if (notApplied.isEmpty()) {
      try {
        endpoint.setDesiredInstances(state, decision.to(),
            fallback != null && fallback.changes() ? fallback : null);
        if (countChanges) {
          kept = LastAsk.asked(clockNow, snapshot.desiredInstances(), decision.to(), settled);
        }
      } catch (PortFailure e) {
        // The count is absolute, so the next cycle simply decides and sets it again; a refusal
        // beyond the account's quota is a lack of capacity, which backs off.
        notApplied.add(NotApplied.UPDATE_FAILED);
        notes.add("the update to " + decision.to() + " failed (" + e.getMessage()
            + "); not applied");
        if (countChanges && decision.to() > current
            && String.valueOf(e.getMessage()).contains(QUOTA_REFUSAL)) {
          LastAsk refused = LastAsk.asked(clockNow, snapshot.desiredInstances(), decision.to(),
              settled);
          kept = refused.noCapacity(clockNow, jitter(task, refused));
        }
      }
    }
    // Kept after the update, so a record never names an ask SageMaker did not take; a run that
    // reads the endpoint in between finds it Updating. A dry run and a paused endpoint keep none.
    boolean saved = kept != asked && !task.dryRun() && !state.paused()
        && remember(kept, notes);
    // A component's variant is the one it is deployed to, as the endpoint was read.
    ScalerOutcome outcome = new ScalerOutcome(task.endpointName(), snapshot.variantName(),
        task.inferenceComponentName(), task.trigger(), notApplied.isEmpty(), notApplied,
        task.dryRun(), state.paused(), snapshot.status(), snapshot.servingInstances(),
        snapshot.instanceType(), headroom, summary(upper, floor), lead,
        saved || kept == asked ? kept : asked,
        saved ? startupMinutes(asked, settled, clockNow) : null, fallback, observed(read, now),
        demand(read, policy, now), budget, notes, decision);
    record.record(outcome);
    return outcome;
  }

  /** SageMaker's error code for an update beyond the account's instance quota. */
  static final String QUOTA_REFUSAL = "ResourceLimitExceeded";

  /**
   * How long a scale-out may take before it counts as having found no capacity: two cold starts,
   * and never less than {@link #MIN_CAPACITY_TIMEOUT}.
   */
  static Duration capacityTimeout(PolicyConfig policy) {
    return Duration.ofMinutes(Math.max(MIN_CAPACITY_TIMEOUT.toMinutes(),
        2L * policy.timing().coldStartMinutes()));
  }

  static final Duration MIN_CAPACITY_TIMEOUT = Duration.ofMinutes(15);

  /**
   * The back-off's jitter, in [0, 1): random across endpoints and asks, the same for every run
   * that judges the same ask, so concurrent runs agree and a replay repeats.
   */
  private static double jitter(ScalerTask task, LastAsk ask) {
    long seed = Objects.hash(task.endpointName(), task.variantName() != null
        ? task.variantName() : task.inferenceComponentName(), ask.at());
    return new SplittableRandom(seed).nextDouble();
  }

  /** Minutes a scale-out took to serve, when this cycle is the first to see it served. */
  private static Double startupMinutes(LastAsk asked, LastAsk settled, Instant now) {
    if (asked == null || asked == settled || settled.outcome() != LastAsk.Outcome.SERVED
        || !asked.scaleOut()) {
      return null;
    }
    return Duration.between(asked.at(), now).toMillis() / 60_000.0;
  }

  /**
   * The cold start to plan with, learned from this instance type's timed scale-outs: the tally
   * this scaler published within the hour, or tallied again from two weeks of them (a read of its
   * own, once an hour).
   */
  private StartupLead lead(String instanceType, PolicyConfig policy, Readings read,
      Instant now) {
    SignalPoint minutes = newest(read.get(Series.LEARNED_COLD_START));
    SignalPoint updates = newest(read.get(Series.LEAD_UPDATES));
    if (minutes != null && updates != null && minutes.timestamp().equals(updates.timestamp())) {
      StartupLead recalled = StartupLead.recalled(minutes.value(), updates.value(),
          minutes.timestamp(), policy.timing());
      if (!recalled.stale(now)) {
        return recalled;
      }
    }
    List<SignalPoint> observed = instanceType == null ? List.of()
        : telemetry.startupMinutes(instanceType, now.minus(STARTUP_HISTORY), throughMinute(now));
    return StartupLead.of(observed, policy.timing(), now);
  }

  /** How far back timed scale-outs count: CloudWatch keeps per-minute points this long. */
  static final Duration STARTUP_HISTORY = Duration.ofDays(14);

  private static FallbackPlan fallback(PolicyConfig policy, EndpointState state,
      Decision decision, boolean blocked, List<String> notes) {
    if (!policy.fallback().configured()) {
      return null;
    }
    if (state.fallback() == null) {
      notes.add("the fallback variant " + policy.fallback().variantName()
          + " is not on the endpoint: no fallback");
      return null;
    }
    FallbackPlan plan = FallbackPlan.plan(policy, state, decision.need(), decision.to(), blocked);
    notes.add(plan.sentence());
    return plan;
  }

  /** Keeps the record; false, with a note, when it could not be kept. */
  private boolean remember(LastAsk ask, List<String> notes) {
    try {
      endpoint.remember(ask);
      return true;
    } catch (PortFailure e) {
      notes.add("the record of the last ask could not be kept (" + e.getMessage() + ")");
      return false;
    }
  }

  /** What a cycle reads first, in one read: the series its policy needs, over [from, to). */
  public record ReadPlan(Set<Series> series, Instant from, Instant to) {
    public ReadPlan {
      series = Collections.unmodifiableSet(EnumSet.copyOf(series));
    }
  }

  /**
   * The first read of a cycle for {@code minute}: what the fleet dispatcher reads ahead for many
   * endpoints at once.
   */
  public static ReadPlan mainRead(PolicyConfig policy, Instant minute) {
    Instant now = minute.truncatedTo(ChronoUnit.MINUTES);
    // Through the furthest minute any forecast reaches: the floor's window, which the lead sets,
    // is known only once the lead is.
    return new ReadPlan(seriesRead(policy), now.minus(Duration.ofMinutes(historyMinutes(policy))),
        now.plus(Duration.ofMinutes(Timing.MAX_FORECAST_REACH_MINUTES + 1L)));
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
   * The budget's controller, from the week's and its last day's tally (its own record, read back,
   * or tallied again once an hour from a week of requests and requests per serving instance in a
   * read of their own) and the target utilisation or floor band this scaler set last (its own
   * record). Null without a budget.
   */
  private UnservedBudget.State budget(PolicyConfig policy, Instant now) {
    if (policy.budget().unservedPercent() == null) {
      return null;
    }
    // Through this minute: a second run in it (the fast path's) goes on from the first one's
    // setting, moved by no more minutes.
    Series setting = policy.targets().floorBand() != null ? Series.BUDGET_FLOOR_BAND
        : Series.BUDGET_UTILIZATION;
    Readings read = telemetry.read(EnumSet.of(setting, Series.BUDGET_WEEK_BURN,
        Series.BUDGET_WEEK_MINUTES, Series.BUDGET_DAY_BURN, Series.BUDGET_DAY_MINUTES),
        now.minus(MAX_HISTORY), throughMinute(now));
    SignalPoint last = newest(read.get(setting));
    UnservedBudget.Week week = publishedWeek(read);
    if (week == null || week.stale(now)) {
      Readings weekRead = telemetry.read(EnumSet.of(Series.REQUESTS,
          Series.REQUESTS_PER_INSTANCE), now.minus(UnservedBudget.WINDOW), now);
      week = UnservedBudget.week(policy, weekRead.get(Series.REQUESTS),
          weekRead.get(Series.REQUESTS_PER_INSTANCE), now);
    }
    // A cycle after a long pause moves its setting no more than an hour's cycles would.
    int elapsed = last == null ? 1
        : (int) Math.min(60, Duration.between(last.timestamp(), now).toMinutes());
    return UnservedBudget.next(policy, last == null ? null : last.value(), elapsed, week);
  }

  /**
   * The tally the scaler published last: the week's burn and minutes and its last day's minutes
   * at one minute, and the day's burn there when it had one; null when there is none.
   */
  private static UnservedBudget.Week publishedWeek(Readings read) {
    SignalPoint burn = newest(read.get(Series.BUDGET_WEEK_BURN));
    SignalPoint minutes = newest(read.get(Series.BUDGET_WEEK_MINUTES));
    SignalPoint dayMinutes = newest(read.get(Series.BUDGET_DAY_MINUTES));
    if (burn == null || minutes == null || dayMinutes == null
        || !burn.timestamp().equals(minutes.timestamp())
        || !burn.timestamp().equals(dayMinutes.timestamp())) {
      return null;
    }
    SignalPoint dayBurn = newest(read.get(Series.BUDGET_DAY_BURN));
    boolean dayBurnRead = dayBurn != null && dayBurn.timestamp().equals(burn.timestamp());
    if (dayMinutes.value() >= UnservedBudget.MIN_MINUTES && !dayBurnRead) {
      return null; // a day enough to judge on has a burn published: one was lost, tally again
    }
    return new UnservedBudget.Week(burn.value(), (int) minutes.value(),
        dayBurnRead ? dayBurn.value() : null, (int) dayMinutes.value(), burn.timestamp());
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
    if (policy.fallback().configured()) {
      series.add(Series.FALLBACK_REQUESTS);
    }
    if (policy.bounds().scaleToZeroAfterMinutes() != null) {
      series.add(Series.NO_CAPACITY_REQUESTS);
    }
    series.add(Series.LEARNED_COLD_START);
    series.add(Series.LEAD_UPDATES);
    for (Signal signal : policy.targets().signals()) {
      series.add(Series.of(signal));
    }
    return series;
  }

  /**
   * The tracked signals up to now, the current minute included: a high-resolution series already
   * has part of it (what a run the fast path starts mid-minute acts on); a per-minute one has not
   * published it yet. RPS from the requests counted each minute, the fallback variant's included
   * (the endpoint's demand, whichever variant takes it), and those that found nothing serving (a
   * component scaled to zero); with a concurrency target, the minutes
   * {@code Invocations} has not published yet come from the in-flight requests by Little's law
   * ({@link #rpsFromConcurrency}), so RPS, with all its rules, reacts within seconds.
   */
  private static Signals signals(Readings read, PolicyConfig policy, Instant now,
      EndpointState state) {
    Map<Signal, SignalSeries> signals = new EnumMap<>(Signal.class);
    Instant since = now.minus(Duration.ofMinutes(historyMinutes(policy)));
    for (Signal signal : policy.targets().signals()) {
      List<SignalPoint> points = read.between(Series.of(signal), since, throughMinute(now));
      if (signal == Signal.RPS) {
        List<SignalPoint> perMinute = sum(sum(points,
            read.between(Series.FALLBACK_REQUESTS, since, throughMinute(now))),
            read.between(Series.NO_CAPACITY_REQUESTS, since, throughMinute(now)));
        if (policy.bounds().scaleToZeroAfterMinutes() != null) {
          perMinute = withIdleMinutes(perMinute, state.snapshot().lastModifiedTime() == null
              ? since : max(since, state.snapshot().lastModifiedTime()),
              now.minus(Duration.ofMinutes(policy.timing().metricDelayMinutes())));
        }
        points = rpsFromConcurrency(perMinute.stream().map(p -> new SignalPoint(p.timestamp(),
            RequestRate.ofPerMinute(p.value()).perSecond())).toList(),
            read.between(Series.CONCURRENT_REQUESTS, since, throughMinute(now)), policy, state);
      }
      signals.put(signal, new SignalSeries(points));
    }
    return new Signals(signals);
  }

  /**
   * The requests per minute with a zero for each minute in [from, to) that has no point: a count
   * metric such as Invocations may have no point for a minute without requests, and a policy that
   * scales to zero must see those minutes as idle, not as missing data that holds the count. From
   * the last change on only (a component just created or scaled has no idle history to go by),
   * and only minutes the metric delay says are published by now.
   */
  static List<SignalPoint> withIdleMinutes(List<SignalPoint> perMinute, Instant from, Instant to) {
    Instant first = from.truncatedTo(ChronoUnit.MINUTES);
    if (first.isBefore(from)) {
      first = first.plus(1, ChronoUnit.MINUTES);
    }
    // A zero added to a published minute leaves it as it was.
    List<SignalPoint> zeros = new ArrayList<>();
    for (Instant minute = first; minute.isBefore(to); minute = minute.plus(1, ChronoUnit.MINUTES)) {
      zeros.add(new SignalPoint(minute, 0));
    }
    return sum(perMinute, zeros);
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /** Two per-minute series added minute by minute; a minute in one only is that one's. */
  private static List<SignalPoint> sum(List<SignalPoint> a, List<SignalPoint> b) {
    if (b.isEmpty()) {
      return a;
    }
    Map<Instant, Double> sums = new java.util.TreeMap<>();
    a.forEach(p -> sums.merge(p.timestamp(), p.value(), Double::sum));
    b.forEach(p -> sums.merge(p.timestamp(), p.value(), Double::sum));
    List<SignalPoint> points = new ArrayList<>();
    sums.forEach((minute, value) -> points.add(new SignalPoint(minute, value)));
    return points;
  }

  /**
   * The RPS series, carried on past its newest minute with the in-flight requests of the minutes
   * after it: RPS = in flight × serving instances / latency, the latency being what the policy's
   * two targets imply (concurrencyPerInstance / rpsPerInstance), over the variant's share of the
   * traffic when a fallback takes the rest. Without a concurrency target, the series as read.
   */
  static List<SignalPoint> rpsFromConcurrency(List<SignalPoint> rps,
      List<SignalPoint> concurrency, PolicyConfig policy, EndpointState state) {
    Double inFlightTarget = policy.targets().concurrencyPerInstance();
    double share = trafficShare(state);
    if (inFlightTarget == null || concurrency.isEmpty() || share <= 0) {
      return rps;
    }
    double rpsPerInFlight = policy.targets().rpsPerInstance() / inFlightTarget;
    int serving = state.snapshot().servingInstances();
    Instant newest = rps.isEmpty() ? Instant.MIN : rps.get(rps.size() - 1).timestamp();
    List<SignalPoint> carried = new ArrayList<>(rps);
    for (SignalPoint inFlight : concurrency) {
      if (inFlight.timestamp().isAfter(newest)) {
        carried.add(new SignalPoint(inFlight.timestamp(),
            inFlight.value() * serving * rpsPerInFlight / share, true));
      }
    }
    return carried;
  }

  /** The scaled variant's share of the endpoint's traffic: 1 without a fallback variant. */
  private static double trafficShare(EndpointState state) {
    if (state.fallback() == null) {
      return 1;
    }
    double total = state.variantWeight() + state.fallback().weight();
    return total <= 0 ? 0 : state.variantWeight() / total;
  }

  /** The end of the minute that starts at {@code now}. */
  private static Instant throughMinute(Instant now) {
    return now.plus(Duration.ofMinutes(1));
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
      boolean changes) {
    List<NotApplied> notApplied = new ArrayList<>();
    if (!changes) {
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

  /**
   * What the engine may add: instances as the reservations allow, or for a component the copies
   * its instances hold (the reservations counted in instances under managed instance scaling).
   */
  private static Headroom unitHeadroom(EndpointState state, EndpointSnapshot decidedFrom,
      CapacityCheck check, List<String> notes) {
    if (state.hostingNote() != null) {
      // A component whose copies cannot be counted: reservations count instances, not copies.
      notes.add(state.hostingNote());
      return null;
    }
    return state.hosting() == null ? Headroom.reserved(check.headroom())
        : state.hosting().headroom(decidedFrom.desiredInstances(), check.headroom());
  }

  /**
   * Why a fleet turn must not apply, or null: a turn is for its minute and the next, and is
   * carried out once (one delivered again finds the ask the first one made).
   */
  private static String superseded(FleetTurn turn, LastAsk asked, Instant now) {
    if (turn == null) {
      return null;
    }
    if (asked != null && !asked.at().isBefore(turn.cycle())) {
      return "the fleet's turn for " + turn.cycle() + " was already carried out, or overtaken: an"
          + " ask was made at " + asked.at();
    }
    if (now.isAfter(turn.cycle().plus(Duration.ofMinutes(1)))) {
      return "the fleet's turn for " + turn.cycle() + " arrived at " + now + ", too late: the"
          + " turns sent since decide";
    }
    return null;
  }

  /** The endpoint's share of its type's account quota, when the fleet dispatcher sent one. */
  private static Headroom quotaHeadroom(ScalerTask task, EndpointSnapshot decidedFrom,
      List<String> notes) {
    QuotaShare.Allowance quota = task.fleet() == null ? null : task.fleet().quota();
    if (quota == null) {
      return null;
    }
    if (task.inferenceComponentName() != null || !quota.instanceType().equals(
        decidedFrom.instanceType())) {
      notes.add("the fleet's quota share is for " + quota.instanceType() + " instances, not "
          + (task.inferenceComponentName() != null ? "a component's copies" : "the endpoint's "
          + decidedFrom.instanceType()) + ": not applied");
      return null;
    }
    return new Headroom(Math.max(0, quota.maxInstances() - decidedFrom.desiredInstances()),
        quota.limitedBy(), ReasonCode.QUOTA_LIMITED);
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
    List<SignalPoint> concurrency = read.before(Series.CONCURRENT_REQUESTS, throughMinute(now));
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
