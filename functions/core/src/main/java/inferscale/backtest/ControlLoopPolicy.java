package inferscale.backtest;

import inferscale.control.CapacityCheck;
import inferscale.control.CapacityMode;
import inferscale.control.EndpointControl;
import inferscale.control.EndpointState;
import inferscale.control.ForecastPublication;
import inferscale.control.ForecastStep;
import inferscale.control.ForecastStore;
import inferscale.control.FallbackPlan;
import inferscale.control.ForecastTask;
import inferscale.control.LastAsk;
import inferscale.control.Readings;
import inferscale.control.RequestHistory;
import inferscale.control.ScalerOutcome;
import inferscale.control.ScalerRecord;
import inferscale.control.ScalerStep;
import inferscale.control.ScalerTask;
import inferscale.control.Series;
import inferscale.control.StartupLead;
import inferscale.control.Telemetry;
import inferscale.control.Trigger;
import inferscale.decision.EndpointSnapshot;
import inferscale.decision.PolicyConfig;
import inferscale.decision.SignalPoint;
import inferscale.decision.UnservedBudget;
import inferscale.forecast.Forecaster;
import inferscale.forecast.HistoryFingerprint;
import inferscale.planning.FloorSchedule;
import inferscale.units.RequestRate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * InferScale's control steps driven by the simulator, through the same ports the Lambda functions
 * use: the simulated endpoint (its status and counts; a count set is what the simulator grants),
 * its published metrics (requests, KV cache, queue, what the forecast step published, the scaler's
 * record of scale-outs) and a clock at the simulated minute. The forecast step runs from the first
 * minute whenever it is due ({@link ForecastStep#due}), before that minute's scaler cycle, as its
 * schedule would run the ForecastFunction. With a concurrency target (the fast path), the
 * endpoint publishes SageMaker's high-resolution in-flight requests per instance (RPS per
 * instance × the latency the policy's targets imply) for the current minute too, and the stack's
 * alarm on it starts a second cycle within the minute when it goes over the target. Nothing of
 * the scaler's or the forecaster's logic is
 * here: a figure the backtest reports is a figure about the code that runs on an endpoint.
 */
final class ControlLoopPolicy implements ScalingPolicy {
  static final String ENDPOINT_NAME = "backtest";
  static final String VARIANT_NAME = "AllTraffic";
  static final String INSTANCE_TYPE = "simulated";
  private static final Duration NO_DEADLINE = ChronoUnit.FOREVER.getDuration();

  private final String name;
  private final Instant origin;
  private final ScalerTask scalerTask;
  private final ForecastTask forecastTask;
  private final ScalerStep scalerStep;
  private final ForecastStep forecastStep;
  private final Consumer<ScalerOutcome> observer;
  private final PublishedMetrics metrics = new PublishedMetrics();
  private final SimulatedEndpoint endpoint = new SimulatedEndpoint();
  private final SimulationClock clock;
  /** Seconds a request takes, by Little's law from the policy's concurrency and RPS targets. */
  private final double latencySeconds;
  private SimulationView view;
  private Instant lastForecast;
  /** Whether the cycle running was started by the alarm, within the minute it fired. */
  private boolean alarmRun;

  /**
   * @param schedules explicit floors, as the scaler's request carries them
   * @param origin wall-clock time of minute 0, at which the schedules' cron expressions are read
   * @param forecaster what the forecast step forecasts with, or null for the reactive engine alone
   * @param observer receives every cycle's outcome
   */
  ControlLoopPolicy(String name, PolicyConfig policy, List<FloorSchedule> schedules,
      Instant origin, Forecaster forecaster, Consumer<ScalerOutcome> observer) {
    this.name = name;
    this.origin = origin;
    this.observer = observer;
    this.scalerTask = new ScalerTask(ENDPOINT_NAME, VARIANT_NAME, policy.validated(), schedules,
        CapacityMode.NONE, false, Trigger.SCHEDULE);
    this.forecastTask = new ForecastTask(ENDPOINT_NAME, VARIANT_NAME, policy.timing());
    this.clock = new SimulationClock(origin);
    Double concurrency = policy.targets().concurrencyPerInstance();
    this.latencySeconds = concurrency == null ? 0 : concurrency / policy.targets().rpsPerInstance();
    this.scalerStep = new ScalerStep(metrics, endpoint,
        instanceType -> CapacityCheck.unchecked("the simulated region has no capacity limit"),
        metrics, clock);
    this.forecastStep = forecaster == null ? null
        : new ForecastStep(metrics, metrics, () -> false, forecaster, clock);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int desired(SimulationView now) {
    view = now;
    int minute = now.minute();
    Instant at = at(minute);
    clock.set(at);
    if (forecastStep != null && ForecastStep.due(lastForecast, at, forecastTask.timing())) {
      forecastStep.run(forecastTask);
      lastForecast = at;
    }
    endpoint.asked = now.desired();
    ScalerOutcome scheduled = scalerStep.run(scalerTask, () -> NO_DEADLINE);
    observer.accept(scheduled);
    // A change just asked for leaves the endpoint Updating: an alarm's cycle could not apply.
    if (!scheduled.applied() && alarmFires(minute)) {
      alarmRun = true;
      observer.accept(scalerStep.run(scalerTask.triggeredBy(Trigger.ALARM), () -> NO_DEADLINE));
      alarmRun = false;
    }
    return endpoint.asked;
  }

  /**
   * The alarm on in-flight requests per instance goes from OK to ALARM in this minute: over the
   * concurrency target now and not in the minute before. Without a concurrency target there is no
   * alarm.
   */
  private boolean alarmFires(int minute) {
    Double target = scalerTask.policy().targets().concurrencyPerInstance();
    return target != null && concurrency(minute) > target && !(concurrency(minute - 1) > target);
  }

  /** In-flight requests per serving instance in minute {@code m}, or NaN when not measured. */
  private double concurrency(int m) {
    if (!view.recorded(m) || m < 0 || view.serving(m) == 0) {
      return Double.NaN;
    }
    return RequestRate.ofPerMinute(view.demand(m)).perSecond() / view.serving(m) * latencySeconds;
  }

  private Instant at(int minute) {
    return origin.plusSeconds(60L * minute);
  }

  private int minuteOf(Instant time) {
    return (int) Math.floorDiv(Duration.between(origin, time).getSeconds(), 60);
  }

  /** The simulated CloudWatch: what the endpoint and the steps have published by now. */
  private final class PublishedMetrics implements Telemetry, ForecastStore, ScalerRecord {
    /** Forecast rates by absolute minute: the maximum over every forecast published for it. */
    private final TreeMap<Integer, Double> upperRps = new TreeMap<>();
    private final TreeMap<Integer, Double> expectedRps = new TreeMap<>();
    private final TreeSet<Integer> scaleOuts = new TreeSet<>();
    private final TreeMap<Integer, Double> budgetUtilization = new TreeMap<>();
    private final TreeMap<Integer, Double> budgetFloorBand = new TreeMap<>();
    private final TreeMap<Integer, Double> budgetWeekBurn = new TreeMap<>();
    private final TreeMap<Integer, Double> budgetWeekMinutes = new TreeMap<>();
    private final TreeMap<Integer, Double> budgetDayBurn = new TreeMap<>();
    private final TreeMap<Integer, Double> budgetDayMinutes = new TreeMap<>();
    private final TreeMap<Integer, Double> learnedColdStart = new TreeMap<>();
    private final TreeMap<Integer, Double> leadUpdates = new TreeMap<>();
    private final Map<Series, PastPoints> pastPoints = new EnumMap<>(Series.class);
    /** The newest timed scale-outs, by minute served: all a lead is learned from. */
    private final TreeMap<Integer, Double> startups = new TreeMap<>();

    @Override
    public Readings read(Set<Series> series, Instant from, Instant to) {
      int first = minuteOf(from);
      int end = minuteOf(to);
      Map<Series, List<SignalPoint>> read = new EnumMap<>(Series.class);
      for (Series s : series) {
        read.put(s, switch (s) {
          case REQUESTS, NO_CAPACITY_REQUESTS, REQUESTS_PER_INSTANCE, KV_CACHE_USAGE,
              WAITING_REQUESTS ->
              endpointMetric(s, first, end);
          case FORECAST_UPPER_RPS -> published(upperRps, first, end);
          case FORECAST_EXPECTED_RPS -> published(expectedRps, first, end);
          case SCALE_OUTS -> scaleOuts.subSet(first, end).stream()
              .map(m -> new SignalPoint(at(m), 1)).toList();
          case BUDGET_UTILIZATION -> published(budgetUtilization, first, end);
          case BUDGET_FLOOR_BAND -> published(budgetFloorBand, first, end);
          case BUDGET_WEEK_BURN -> published(budgetWeekBurn, first, end);
          case BUDGET_WEEK_MINUTES -> published(budgetWeekMinutes, first, end);
          case BUDGET_DAY_BURN -> published(budgetDayBurn, first, end);
          case BUDGET_DAY_MINUTES -> published(budgetDayMinutes, first, end);
          case LEARNED_COLD_START -> published(learnedColdStart, first, end);
          case LEAD_UPDATES -> published(leadUpdates, first, end);
          case CONCURRENT_REQUESTS -> concurrency(first, end);
          case TTFT_P90_MS -> List.of(); // the simulation has no latency
          case FALLBACK_REQUESTS -> List.of(); // nor a second variant
        });
      }
      return new Readings(read);
    }

    /**
     * In-flight requests per serving instance, a high-resolution metric: a cycle sees the whole of
     * the minute before, and one the alarm starts sees the minute it fired in.
     */
    private List<SignalPoint> concurrency(int first, int end) {
      // By Little's law, which needs the latency only a concurrency target gives: else none.
      if (latencySeconds == 0) {
        return List.of();
      }
      int visibleEnd = alarmRun || view.newestVisibleMinute() >= view.minute()
          ? view.minute() + 1 : view.minute();
      List<SignalPoint> points = new ArrayList<>(Math.max(0, Math.min(end, visibleEnd) - first));
      for (int m = Math.max(first, 0); m < Math.min(end, visibleEnd); m++) {
        double value = ControlLoopPolicy.this.concurrency(m);
        if (!Double.isNaN(value)) {
          points.add(new SignalPoint(at(m), value));
        }
      }
      return points;
    }

    private List<SignalPoint> endpointMetric(Series series, int first, int end) {
      // Minutes already simulated and published are final: their points are made once and kept.
      // Requests are known as the minute ends; the queue and the cache once it was simulated.
      PastPoints past = pastPoints.computeIfAbsent(series, PastPoints::new);
      int measured = series == Series.REQUESTS || series == Series.NO_CAPACITY_REQUESTS
          || series == Series.REQUESTS_PER_INSTANCE ? view.minute() + 1 : view.minute();
      end = Math.min(end, Math.min(measured, view.newestVisibleMinute() + 1));
      past.extendTo(end);
      List<SignalPoint> points = new ArrayList<>(Math.max(0, end - first));
      for (int m = first; m < Math.min(0, end); m++) {
        addPoint(points, series, m);
      }
      points.addAll(past.between(Math.max(0, first), end));
      for (int m = Math.max(first, past.through); m < end; m++) {
        addPoint(points, series, m);
      }
      return Readings.oldestFirstAlready(points);
    }

    private void addPoint(List<SignalPoint> points, Series series, int m) {
      // SageMaker publishes per-instance counts only while instances serve; before the trace the
      // steady state shown to the signals is no history to judge a budget on.
      if (view.hasData(m) && (series != Series.REQUESTS_PER_INSTANCE
          || (m >= 0 && view.serving(m) > 0))) {
        // With nothing serving, requests fail for want of capacity and count as no invocations.
        boolean nothingServes = m >= 0 && view.serving(m) == 0;
        double value = switch (series) {
          case REQUESTS -> nothingServes ? 0 : view.demand(m);
          case NO_CAPACITY_REQUESTS -> nothingServes ? view.demand(m) : 0;
          case REQUESTS_PER_INSTANCE -> view.demand(m) / view.serving(m);
          case KV_CACHE_USAGE -> view.kvUsage(m);
          default -> view.waiting(m);
        };
        points.add(new SignalPoint(at(m), value));
      }
    }

    /** One endpoint series' points of the minutes from 0 up to those already simulated. */
    private final class PastPoints {
      private final Series series;
      private final List<SignalPoint> points = new ArrayList<>();
      /** The minute of each point, ascending. */
      private int[] minutes = new int[1024];
      private int through;

      PastPoints(Series series) {
        this.series = series;
      }

      /** Adds the minutes before {@code end} not yet added. */
      void extendTo(int end) {
        for (; through < end; through++) {
          int size = points.size();
          addPoint(points, series, through);
          if (points.size() > size) {
            if (size == minutes.length) {
              minutes = Arrays.copyOf(minutes, 2 * size);
            }
            minutes[size] = through;
          }
        }
      }

      /** The points of minutes in [first, end) already added. */
      List<SignalPoint> between(int first, int end) {
        int from = Arrays.binarySearch(minutes, 0, points.size(), first);
        int to = Arrays.binarySearch(minutes, 0, points.size(), Math.min(end, through));
        return points.subList(from < 0 ? -from - 1 : from, to < 0 ? -to - 1 : to);
      }
    }

    /** Values published per minute, by the forecast step or the scaler's record. */
    private List<SignalPoint> published(TreeMap<Integer, Double> values, int first, int end) {
      List<SignalPoint> points = new ArrayList<>();
      values.subMap(first, end).forEach((m, value) -> points.add(new SignalPoint(at(m), value)));
      return points;
    }

    /**
     * The trace's requests before {@code end}. The opening steady state before the trace is shown
     * to the scaler's signal reads, so that every controller starts steady; it is not history to
     * forecast from. The simulated endpoint answers no request with a 5XX: no minute is
     * saturated.
     */
    @Override
    public RequestHistory requestHistory(Instant end, int minutes) {
      int last = minuteOf(end);
      int first = last - minutes;
      SimulationView seen = view;
      HistoryFingerprint.Index index = seen.requestsIndex();
      // Published through its last minute: every run's history of this window is the same, known
      // by its fingerprint and built only if no run has forecast it yet.
      if (index != null && last - 1 <= seen.newestVisibleMinute() && index.covers(first, last)) {
        return RequestHistory.fingerprinted(index.window(first, last),
            index.minutesWithData(first, last), () -> history(first, last, seen));
      }
      return RequestHistory.of(history(first, last, seen));
    }

    private static double[] history(int first, int last, SimulationView view) {
      double[] history = new double[last - first];
      for (int m = first; m < last; m++) {
        history[m - first] = m >= 0 && view.hasData(m) ? view.demand(m) : Double.NaN;
      }
      return history;
    }

    @Override
    public void publish(ForecastPublication publication) {
      // Only minutes still ahead can matter; the rest would only grow the maps.
      upperRps.headMap(view.minute()).clear();
      expectedRps.headMap(view.minute()).clear();
      int first = minuteOf(publication.firstMinute());
      for (int i = 0; i < publication.minutes(); i++) {
        upperRps.merge(first + i, publication.upper().get(i).perSecond(), Math::max);
        expectedRps.merge(first + i, publication.expected().get(i).perSecond(), Math::max);
      }
    }

    @Override
    public List<SignalPoint> startupMinutes(String instanceType, Instant from, Instant to) {
      return published(startups, minuteOf(from), minuteOf(to));
    }

    @Override
    public void record(ScalerOutcome outcome) {
      StartupLead lead = outcome.lead();
      if (lead.measuredAt().equals(outcome.decision().at())) {
        // Only a cycle that tallied it records it, and only the newest is ever read back.
        learnedColdStart.clear();
        leadUpdates.clear();
        learnedColdStart.put(minuteOf(lead.measuredAt()), (double) lead.coldStartMinutes());
        leadUpdates.put(minuteOf(lead.measuredAt()), (double) lead.updates());
      }
      if (outcome.startupMinutes() != null) {
        startups.put(minuteOf(outcome.decision().at()), outcome.startupMinutes());
        if (startups.size() > StartupLead.RECENT_UPDATES) {
          startups.pollFirstEntry();
        }
      }
      if (outcome.scaleOutApplied()) {
        scaleOuts.add(minuteOf(outcome.decision().at()));
      }
      UnservedBudget.State budget = outcome.budget();
      if (budget != null) {
        // Only the newest value is ever read back.
        budgetUtilization.clear();
        budgetUtilization.put(minuteOf(outcome.decision().at()), budget.utilization());
        if (budget.floorBand() != null) {
          budgetFloorBand.clear();
          budgetFloorBand.put(minuteOf(outcome.decision().at()), budget.floorBand());
        }
        if (budget.weekMeasuredAt().equals(outcome.decision().at())
            && budget.weekBurnPercent() != null) {
          int tallied = minuteOf(budget.weekMeasuredAt());
          budgetWeekBurn.clear();
          budgetWeekMinutes.clear();
          budgetDayBurn.clear();
          budgetDayMinutes.clear();
          budgetWeekBurn.put(tallied, budget.weekBurnPercent());
          budgetWeekMinutes.put(tallied, (double) budget.weekMinutes());
          if (budget.burnPercent() != null) {
            budgetDayBurn.put(tallied, budget.burnPercent());
          }
          budgetDayMinutes.put(tallied, (double) budget.minutes());
        }
      }
    }

    @Override
    public String forecastChannel() {
      return channel();
    }

    @Override
    public String channel() {
      return "SIMULATED";
    }
  }

  /** The endpoint as the simulator's fleet has it: a count set is what the simulator grants. */
  private final class SimulatedEndpoint implements EndpointControl {
    private int asked;
    private LastAsk lastAsk;

    @Override
    public EndpointState read() {
      int changed = view.lastChangeMinute();
      return new EndpointState(new EndpointSnapshot(ENDPOINT_NAME, VARIANT_NAME, INSTANCE_TYPE,
          view.status(), view.serving(), view.desired(),
          changed == Fleet.NEVER ? null : at(changed)), false, 1, null, lastAsk, null);
    }

    @Override
    public void setDesiredInstances(EndpointState asRead, int count, FallbackPlan fallback) {
      asked = count;
    }

    @Override
    public void remember(LastAsk ask) {
      lastAsk = ask;
    }

    @Override
    public Duration updateBudget() {
      return Duration.ZERO;
    }
  }
}
